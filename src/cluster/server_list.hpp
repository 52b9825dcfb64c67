#pragma once
// The --cluster value: NATS server URLs, comma-separated.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::cluster {

// Splits "nats://a:1,nats://b:2" into URLs (empty items skipped). kInvalidField (field "cluster")
// when there is none or an item is not nats://HOST:PORT with a numeric port.
core::Result<std::vector<std::string>> parse_server_list(std::string_view list);

}  // namespace lastmile::cluster
