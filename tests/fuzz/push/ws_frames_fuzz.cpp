// Fuzzes the WebSocket client-frame reader (push/ws_protocol.hpp): whatever bytes a client sends,
// in whatever pieces, the reader consumes them without a crash, a hang or UB, reports at most one
// error, and every event it reports is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "push/ws_protocol.hpp"

using lastmile::push::ws::FrameReader;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks how the rest arrives: in pieces of 1 to 32 bytes, like TCP reads.
  const size_t piece = (data[0] % 32) + 1;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  FrameReader reader(/*max_message=*/4096);
  int errors = 0;
  while (!rest.empty()) {
    std::string_view in = rest.substr(0, piece);
    const size_t offered = in.size();
    for (int guard = 0; !in.empty(); ++guard) {
      if (guard > 1000) __builtin_trap();  // no progress: a hang
      const size_t before = in.size();
      auto e = reader.read(in);
      using Kind = FrameReader::Event::Kind;
      if (e.kind == Kind::kError && ++errors > 1) __builtin_trap();
      if ((e.kind == Kind::kPing || e.kind == Kind::kPong || e.kind == Kind::kClose) && e.payload.size() > 125)
        __builtin_trap();
      if (e.kind == Kind::kNone && !in.empty()) __builtin_trap();  // kNone means all consumed
      if (in.size() > before) __builtin_trap();
      if (reader.done()) break;
    }
    rest.remove_prefix(offered);
    if (reader.done()) break;
  }
  return 0;
}
