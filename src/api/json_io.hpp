#pragma once
// Reading untrusted JSON request bodies into typed values, and writing JSON responses.
//
// JsonReader walks one JSON object and remembers the FIRST problem it meets (missing field, wrong
// type, out-of-range value) with the field's dotted path; accessors return a neutral value after a
// problem, so a parser reads every field in sequence and checks error() once at the end.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::api {

// Parses `body` as a JSON object. kInvalidJson when it is not JSON, is nested deeper than 32
// levels, or is not an object. An empty body is an empty object.
core::Result<boost::json::object> parse_object(std::string_view body);

struct StringRule {
  bool required = false;
  size_t max_len = 200;
  size_t min_len = 0;
};

class JsonReader {
 public:
  // `path` is the dotted prefix of this object's fields in error messages ("" at the top level).
  JsonReader(const boost::json::object& obj, std::string path = "");

  std::string string(std::string_view key, StringRule rule = {});
  std::optional<std::string> optional_string(std::string_view key, size_t max_len = 200);
  // A finite number in [min, max]; nullopt when absent (or null) and not required.
  std::optional<double> number(std::string_view key, double min, double max, bool required = false);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<core::Timestamp> timestamp(std::string_view key, bool required = false);
  // A nested object; nullptr when absent or null (records kMissingField when required).
  const boost::json::object* object(std::string_view key, bool required = false);
  // A nested array with at most max_items items; nullptr when absent or null.
  const boost::json::array* array(std::string_view key, size_t max_items, bool required = false);
  // `lat` and `lon` of this object: both or neither.
  std::optional<core::LatLon> lat_lon(std::string_view lat_key = "lat", std::string_view lon_key = "lon");

  std::string path_of(std::string_view key) const;
  const std::optional<core::Error>& error() const { return error_; }
  void fail(core::Error e);

 private:
  const boost::json::value* find(std::string_view key, bool required);

  const boost::json::object& obj_;
  std::string path_;
  std::optional<core::Error> error_;
};

// Serialises a value to compact JSON text.
std::string to_json(const boost::json::value& v);

// Small helpers for optional values in responses.
boost::json::value json_or_null(const std::optional<std::string>& s);
boost::json::value time_or_null(const std::optional<core::Timestamp>& t);

}  // namespace lastmile::api
