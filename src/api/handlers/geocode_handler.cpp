// GET /v1/geocode: an address → coordinates on the imported map's OSM addresses, with a
// confidence score (docs/geocoding.md).
#include <boost/json.hpp>

#include <charconv>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "map/geocoder.hpp"

namespace lastmile::api::handlers {
namespace {

constexpr size_t kMaxQueryChars = 500;
constexpr int kMaxResults = 10;

Result<std::string> text_param(const RequestContext& ctx, const char* key) {
  std::string v = ctx.query(key).value_or("");
  if (v.size() > kMaxQueryChars) {
    return core::Error::invalid_field(key, std::string(key) + " is longer than " + std::to_string(kMaxQueryChars) + " characters");
  }
  return v;
}

Result<size_t> limit_param(const RequestContext& ctx) {
  const auto v = ctx.query("limit");
  if (!v) return size_t{5};
  int n = 0;
  const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > kMaxResults) {
    return core::Error::invalid_field("limit", "limit must be an integer from 1 to " + std::to_string(kMaxResults));
  }
  return static_cast<size_t>(n);
}

}  // namespace

namespace {
boost::json::object geocode_match_json(const map::GeocodeMatch& m) {
  return boost::json::object{{"lat", m.lat},
                             {"lon", m.lon},
                             {"confidence", m.confidence},
                             {"level", std::string(map::match_level_name(m.level))},
                             {"label", m.label}};
}
}  // namespace

Result<Reply> get_geocode(const Services& s, RequestContext& ctx) {
  if (s.addresses == nullptr || s.addresses->empty()) {
    return core::Error{core::ErrorCode::kUnavailable,
                       "geocoding needs a --map imported with its addresses (lastmile import-map)", ""};
  }
  // `q` is one free-text line ("12 avenue Princesse Grace, 98000 Monaco"); `line1`, `line2`, `city`
  // and `postal_code` are the structured form, as in a shipment's address.
  map::GeocodeQuery q;
  for (auto [key, out] : {std::pair{"line1", &q.line1}, std::pair{"line2", &q.line2}, std::pair{"city", &q.city},
                          std::pair{"postal_code", &q.postal_code}}) {
    auto v = text_param(ctx, key);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  auto free_text = text_param(ctx, "q");
  if (!free_text) return free_text.error();
  if (!free_text->empty()) q.line1 = std::move(*free_text);  // q takes the place of line1
  if (q.line1.empty() && q.line2.empty() && q.postal_code.empty()) return core::Error::missing_field("q");
  auto limit = limit_param(ctx);
  if (!limit) return limit.error();

  boost::json::array results;
  for (const map::GeocodeMatch& m : map::geocode(*s.addresses, q, *limit)) results.push_back(geocode_match_json(m));
  return json_reply(200, to_json(boost::json::object{{"results", std::move(results)},
                                                     {"accept_confidence", map::kGeocodeAcceptConfidence}}));
}

}  // namespace lastmile::api::handlers
