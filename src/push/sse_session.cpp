#include "push/sse_session.hpp"

namespace lastmile::push {

namespace {

constexpr std::string_view kHead =
    "HTTP/1.1 200 OK\r\n"
    "Server: lastmile\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "X-Accel-Buffering: no\r\n"
    "Connection: close\r\n"
    "\r\n"
    "retry: 2000\n\n";

}  // namespace

std::string sse_frame(std::string_view text, int64_t id) {
  std::string out;
  out.reserve(text.size() + 32);
  if (id > 0) out.append("id: ").append(std::to_string(id)).push_back('\n');
  size_t start = 0;
  for (;;) {
    size_t end = text.find('\n', start);
    out.append("data: ").append(text.substr(start, end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.push_back('\n');
  return out;
}

SseSession::SseSession(Socket socket, const SessionOptions& options)
    : LiveSession(std::move(socket), options, std::string(kHead)) {}

void SseSession::encode(const std::vector<Outgoing>& batch, std::string& out) {
  for (const auto& m : batch) out += sse_frame(*m.text, m.id);
}

void SseSession::encode_heartbeat(core::Timestamp at, std::string& out) {
  out.append(": heartbeat ").append(core::format_iso8601(at)).append("\n\n");
}

std::chrono::milliseconds SseSession::write_timeout(Write) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(options_.write_timeout);
}

}  // namespace lastmile::push
