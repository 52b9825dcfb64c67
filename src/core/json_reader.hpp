#pragma once
// Reading untrusted JSON into typed values, shared by the API's request bodies and the ingest
// decoders (library lastmile_json: core + Boost.JSON, no I/O).
//
// JsonReader walks one JSON object and remembers the FIRST problem it meets (missing field, wrong
// type, out-of-range value) with the field's dotted path; accessors return a neutral value after a
// problem, so a parser reads every field in sequence and checks error() once at the end.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::core {

// Parses `text` as JSON nested at most 32 levels deep. kInvalidJson when it is not JSON. The value
// allocates from `storage` (default: the heap), which must outlive it.
Result<boost::json::value> parse_json(std::string_view text, boost::json::storage_ptr storage = {});

// Parses `body` as a JSON object. kInvalidJson when it is not JSON, is nested deeper than 32
// levels, or is not an object. An empty body is an empty object.
Result<boost::json::object> parse_object(std::string_view body);

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
  std::optional<Timestamp> timestamp(std::string_view key, bool required = false);
  // A nested object; nullptr when absent or null (records kMissingField when required).
  const boost::json::object* object(std::string_view key, bool required = false);
  // A nested array with at most max_items items; nullptr when absent or null.
  const boost::json::array* array(std::string_view key, size_t max_items, bool required = false);
  // `lat` and `lon` of this object: both or neither.
  std::optional<LatLon> lat_lon(std::string_view lat_key = "lat", std::string_view lon_key = "lon");

  std::string path_of(std::string_view key) const;
  const std::optional<Error>& error() const { return error_; }
  void fail(Error e);

 private:
  const boost::json::value* find(std::string_view key, bool required);

  const boost::json::object& obj_;
  std::string path_;
  std::optional<Error> error_;
};

}  // namespace lastmile::core
