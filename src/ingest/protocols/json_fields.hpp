#pragma once
// Small helpers shared by the JSON-based ingest decoders (owntracks, json_batch): parsing untrusted
// bytes into a Boost.JSON value and reading typed fields with a stable error code and field path.
// Pure functions; no I/O. Every number they return is finite.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace lastmile::ingest::json_fields {

// Largest magnitude accepted for a measurement (coordinates, speeds, accuracies…). Anything larger is
// not a real reading and would only cause overflow downstream.
inline constexpr double kMaxAbsMeasurement = 1e9;
// 9999-12-31T23:59:59Z: the last instant core::format_iso8601 can write, in seconds since the epoch.
inline constexpr double kMaxEpochSeconds = 253402300799.0;

// Parses `text` as JSON nested at most 32 levels deep.
// Errors: kInvalidJson when it is not JSON (an empty text is not JSON either).
core::Result<boost::json::value> parse(std::string_view text);

// `field` of `obj` as a finite number with |x| <= max_abs. `path` names the field in errors.
// Absent or null: nullopt, or kMissingField(path) when `required`.
// Errors: kWrongType(path) when not a number; kInvalidField(path) when not finite or too large.
core::Result<std::optional<double>> number_field(const boost::json::object& obj, std::string_view field,
                                                 const std::string& path, bool required,
                                                 double max_abs = kMaxAbsMeasurement);

// `field` of `obj` as a string. Absent or null: nullopt, or kMissingField(path) when `required`.
// Errors: kWrongType(path) when not a string.
core::Result<std::optional<std::string>> string_field(const boost::json::object& obj,
                                                      std::string_view field, const std::string& path,
                                                      bool required);

// Seconds since the epoch (finite, 0 <= s <= kMaxEpochSeconds) to whole milliseconds, rounded.
int64_t epoch_seconds_to_ms(double seconds);

// A value as attribute text: strings as they are, numbers/booleans/null/arrays/objects as compact JSON.
std::string attribute_text(const boost::json::value& v);

// Appends every member of `obj` whose key is not in `mapped` to `out` as (key, attribute_text).
void keep_unmapped(const boost::json::object& obj, std::initializer_list<std::string_view> mapped,
                   std::vector<std::pair<std::string, std::string>>& out);

}  // namespace lastmile::ingest::json_fields
