// Fuzzes Graph::open (the .lmgraph reader) and, when a graph passes its checks, the router on it.
// When the first byte is odd the checksum is recomputed before the file is written, so the fuzzer
// reaches the section-table and structure checks instead of stopping at the checksum.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

#include "map/graph_file.hpp"
#include "map/router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::map;
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0 && bytes.size() >= 64) {
    const uint64_t sum = checksum64({reinterpret_cast<const unsigned char*>(bytes.data()) + 64, bytes.size() - 64});
    std::memcpy(bytes.data() + 24, &sum, 8);
  }
  static const std::string path = "/tmp/lastmile_graph_fuzz_" + std::to_string(::getpid()) + ".lmgraph";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto graph = Graph::open(path);
  if (!graph.ok() || graph->node_count() == 0) return 0;
  const Router router(*graph);
  const auto a = graph->coord(0);
  const auto b = graph->coord(graph->node_count() - 1);
  auto route = router.route(a, b);
  (void)route;
  return 0;
}
