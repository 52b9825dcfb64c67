#include "core/json_writer.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <string>

namespace lastmile::core {

namespace json = boost::json;

namespace {

// Shortest text that reads back as the same double ("43.7384", not Boost 1.81's "4.37384E1").
void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON has no NaN/Inf; parsers never produce them, be safe anyway
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

void append_value(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: append_double(out, v.get_double()); break;
    case json::kind::string: out += json::serialize(v.get_string()); break;  // Boost does the escaping
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, item);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(json::string_view(key));
        out.push_back(':');
        append_value(out, item);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string to_json(const json::value& v) {
  std::string out;
  out.reserve(256);
  append_value(out, v);
  return out;
}

}  // namespace lastmile::core
