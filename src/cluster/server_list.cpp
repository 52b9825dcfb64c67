#include "cluster/server_list.hpp"

#include <algorithm>

namespace lastmile::cluster {

core::Result<std::vector<std::string>> parse_server_list(std::string_view list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= list.size()) {
    const size_t comma = std::min(list.find(',', pos), list.size());
    std::string item(list.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    const auto colon = item.rfind(':');
    if (!item.starts_with("nats://") || colon == std::string::npos || colon <= 7 || colon + 1 == item.size() ||
        item.find_first_not_of("0123456789", colon + 1) != std::string::npos)
      return core::Error::invalid_field("cluster", "expected nats://HOST:PORT[,nats://HOST:PORT…], got '" + item + "'");
    out.push_back(std::move(item));
  }
  if (out.empty()) return core::Error::invalid_field("cluster", "no NATS server given");
  return out;
}

}  // namespace lastmile::cluster
