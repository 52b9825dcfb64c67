#include "app/listen_address.hpp"

#include <stdexcept>

namespace lastmile::app {

std::pair<std::string, unsigned short> split_host_port(const std::string& hp, std::string_view flag) {
  const std::string name(flag);
  auto colon = hp.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error(name + " must be HOST:PORT, got '" + hp + "'");
  std::string host = hp.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(hp.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw std::runtime_error(name + " port must be 0-65535, got '" + hp + "'");
  return {host.empty() ? "0.0.0.0" : host, static_cast<unsigned short>(port)};
}

}  // namespace lastmile::app
