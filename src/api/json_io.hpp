#pragma once
// JSON for HTTP: request bodies are read with core::JsonReader (re-exported here), responses are
// written with to_json.

#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "core/json_reader.hpp"

namespace lastmile::api {

using core::JsonReader;
using core::parse_object;
using core::StringRule;

// Serialises a value to compact JSON text.
std::string to_json(const boost::json::value& v);

// Small helpers for optional values in responses.
boost::json::value json_or_null(const std::optional<std::string>& s);
boost::json::value time_or_null(const std::optional<core::Timestamp>& t);

}  // namespace lastmile::api
