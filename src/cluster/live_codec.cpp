#include "cluster/live_codec.hpp"

#include <boost/json.hpp>

namespace lastmile::cluster {

namespace json = boost::json;
using core::Error;

namespace {

constexpr std::pair<LiveFrame::Kind, std::string_view> kKinds[] = {
    {LiveFrame::Kind::kPosition, "position"},
    {LiveFrame::Kind::kStop, "stop"},
    {LiveFrame::Kind::kException, "exception"},
    {LiveFrame::Kind::kEta, "eta"}};

core::Result<std::string> string_field(const json::object& o, std::string_view key, bool required) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) {
    if (required) return Error::missing_field(std::string(key));
    return std::string();
  }
  if (!v->is_string()) return Error::wrong_type(std::string(key), "a string");
  return std::string(v->get_string());
}

}  // namespace

std::string live_subject(std::string_view tenant) { return "lastmile.live." + std::string(tenant); }

std::string encode_live_frame(const LiveFrame& f) {
  std::string_view kind = "position";
  for (auto [k, name] : kKinds)
    if (k == f.kind) kind = name;
  json::array audience;
  for (const auto& s : f.public_audience) audience.emplace_back(s);
  json::object o{{"v", 1},          {"kind", kind},     {"tenant", f.tenant}, {"driver", f.driver},
                 {"audience", std::move(audience)}, {"staff", f.staff_json}};
  if (f.route) o["route"] = *f.route;
  if (!f.public_json.empty()) o["public"] = f.public_json;
  return json::serialize(o);
}

core::Result<LiveFrame> decode_live_frame(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return Error{core::ErrorCode::kInvalidJson, "live frame is not JSON: " + ec.message(), ""};
  if (!doc.is_object()) return Error::wrong_type("", "an object");
  const auto& o = doc.get_object();
  const auto* v = o.if_contains("v");
  if (v == nullptr) return Error::missing_field("v");
  if (!v->is_int64() || v->get_int64() != 1) return Error::invalid_field("v", "unknown live frame version");
  LiveFrame f;
  auto kind = string_field(o, "kind", true);
  if (!kind) return kind.error();
  bool known = false;
  for (auto [k, name] : kKinds)
    if (name == *kind) {
      f.kind = k;
      known = true;
    }
  if (!known) return Error::invalid_field("kind", "unknown live frame kind");
  for (auto [key, out] : {std::pair{"tenant", &f.tenant}, std::pair{"driver", &f.driver}, std::pair{"staff", &f.staff_json}}) {
    auto s = string_field(o, key, true);
    if (!s) return s.error();
    *out = std::move(*s);
  }
  auto pub = string_field(o, "public", false);
  if (!pub) return pub.error();
  f.public_json = std::move(*pub);
  if (o.contains("route")) {
    auto r = string_field(o, "route", true);
    if (!r) return r.error();
    f.route = std::move(*r);
  }
  if (const auto* a = o.if_contains("audience")) {
    if (!a->is_array()) return Error::wrong_type("audience", "an array");
    for (const auto& s : a->get_array()) {
      if (!s.is_string()) return Error::wrong_type("audience[]", "a string");
      f.public_audience.emplace_back(s.get_string());
    }
  }
  return f;
}

}  // namespace lastmile::cluster
