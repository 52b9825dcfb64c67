#include "eta/history_trace.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <optional>
#include <string>

namespace lastmile::eta {
namespace {

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "POINT(<lon> <lat>)" (WKT, one space between the numbers).
std::optional<core::LatLon> parse_point(std::string_view s) {
  constexpr std::string_view kPrefix = "POINT(";
  if (s.substr(0, kPrefix.size()) != kPrefix || s.empty() || s.back() != ')') return std::nullopt;
  s = s.substr(kPrefix.size(), s.size() - kPrefix.size() - 1);
  const size_t space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto lon = parse_double(s.substr(0, space));
  const auto lat = parse_double(s.substr(space + 1));
  if (!lon || !lat) return std::nullopt;
  return core::LatLon::from_unsafe({*lat, *lon});
}

// "YYYY-MM-DD HH:MM:SS+HHMM" (also "+HH:MM" and "Z", which parse_iso8601 reads as they are).
std::optional<core::Timestamp> parse_time(std::string_view s) {
  std::string text(s);
  if (text.size() == 24 && (text[19] == '+' || text[19] == '-')) text.insert(22, ":");
  return core::parse_iso8601(text);
}

}  // namespace

core::Result<std::vector<TracePoint>> parse_barefoot_trace(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(json, ec);
  if (ec) return core::Error{core::ErrorCode::kInvalidJson, "trace is not valid JSON", ""};
  if (!doc.is_array()) return core::Error::wrong_type("", "an array");
  std::vector<TracePoint> out;
  const auto& array = doc.get_array();
  out.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (!array[i].is_object()) return core::Error::wrong_type(at, "an object");
    const auto& o = array[i].get_object();
    const auto* point = o.if_contains("point");
    const auto* time = o.if_contains("time");
    if (!point) return core::Error::missing_field(at + ".point");
    if (!time) return core::Error::missing_field(at + ".time");
    if (!point->is_string()) return core::Error::wrong_type(at + ".point", "a string");
    if (!time->is_string()) return core::Error::wrong_type(at + ".time", "a string");
    const auto where = parse_point(point->get_string());
    if (!where) return core::Error::invalid_field(at + ".point", "point must be POINT(<lon> <lat>) in range");
    const auto t = parse_time(time->get_string());
    if (!t) return core::Error::invalid_field(at + ".time", "time must be YYYY-MM-DD HH:MM:SS with an offset");
    if (!out.empty() && *t < out.back().time)
      return core::Error::invalid_field(at + ".time", "time goes backwards");
    out.push_back({*where, *t});
  }
  return out;
}

}  // namespace lastmile::eta
