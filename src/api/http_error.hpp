#pragma once
// The one table that maps error codes to HTTP statuses, and the JSON error body
// {"error":{"code","message","field"}}.

#include <string>

#include "core/error.hpp"

namespace lastmile::api {

int http_status(core::ErrorCode code);
// The response body for `e`. `field` is omitted when empty.
std::string error_body(const core::Error& e);

}  // namespace lastmile::api
