#pragma once
// "HOST:PORT" listen addresses of `lastmile serve` (--http, --osmand).

#include <string>
#include <string_view>
#include <utility>

namespace lastmile::app {

// "HOST:PORT", "[v6]:PORT" or ":PORT" (all interfaces, "0.0.0.0") → host and port (0 = any free
// port). Throws std::runtime_error naming `flag` when `text` is not of that form.
std::pair<std::string, unsigned short> split_host_port(const std::string& text,
                                                       std::string_view flag = "--http");

}  // namespace lastmile::app
