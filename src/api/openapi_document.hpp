#pragma once
// The OpenAPI 3.1 document (src/api/openapi.json, embedded at build time).

#include <string_view>

namespace lastmile::api {

std::string_view openapi_document();

}  // namespace lastmile::api
