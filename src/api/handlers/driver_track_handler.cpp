// GET /v1/drivers/{id}/track: a driver's stored GPS history as GeoJSON or GPX.
#include <boost/json.hpp>

#include <fmt/format.h>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

constexpr int kMaxPoints = 50'000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

Result<core::Timestamp> time_param(const RequestContext& ctx, const char* key, core::Timestamp fallback) {
  auto v = ctx.query(key);
  if (!v) return fallback;
  auto t = v->size() == 10 ? core::parse_date(*v) : core::parse_iso8601(*v);
  if (!t) return Error::invalid_field(key, std::string(key) + " must be YYYY-MM-DD or an ISO 8601 time");
  return *t;
}

std::string geojson(const core::DriverId& driver, const std::vector<ingest::Ping>& points) {
  json::array coords, times;
  for (const auto& p : points) {
    coords.push_back(json::array{p.position.lon(), p.position.lat()});
    times.push_back(json::value(core::format_iso8601(p.t)));
  }
  json::object feature{{"type", "Feature"},
                       {"geometry", json::object{{"type", "LineString"}, {"coordinates", std::move(coords)}}},
                       {"properties", json::object{{"driver_id", driver.str()}, {"times", std::move(times)}}}};
  return to_json(json::object{{"type", "FeatureCollection"}, {"features", json::array{std::move(feature)}}});
}

std::string gpx(const core::DriverId& driver, const std::vector<ingest::Ping>& points) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gpx version=\"1.1\" creator=\"lastmile\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
      "<trk><name>" + driver.str() + "</name><trkseg>\n";  // ids are [a-z0-9_]: nothing to escape
  for (const auto& p : points) {
    out += fmt::format("<trkpt lat=\"{:.7f}\" lon=\"{:.7f}\">", p.position.lat(), p.position.lon());
    if (p.altitude_m) out += fmt::format("<ele>{:.1f}</ele>", *p.altitude_m);
    out += "<time>" + core::format_iso8601(p.t) + "</time></trkpt>\n";
  }
  out += "</trkseg></trk>\n</gpx>\n";
  return out;
}

}  // namespace

Result<Reply> get_driver_track(const Services& s, RequestContext& ctx) {
  const core::DriverId driver(ctx.param(0));
  auto d = s.store.get_driver(ctx.tenant(), driver);
  if (!d) return d.error();
  if (ctx.role() == domain::Role::kCarrier && d->carrier_id != ctx.principal->carrier_id)
    return Error::not_found("driver");
  auto to = time_param(ctx, "to", ctx.now);
  if (!to) return to.error();
  auto from = time_param(ctx, "from", core::Timestamp{to->ms - kDayMs});
  if (!from) return from.error();
  if (from->ms >= to->ms) return Error::invalid_field("from", "from must be before to");
  const std::string format = ctx.query("format").value_or("geojson");
  if (format != "geojson" && format != "gpx") return Error::invalid_field("format", "format must be geojson or gpx");

  auto points = s.store.list_track_points(ctx.tenant(), driver, *from, *to, kMaxPoints);
  if (!points) return points.error();
  Reply r;
  if (format == "gpx") {
    r.body = gpx(driver, *points);
    r.content_type = "application/gpx+xml";
  } else {
    r.body = geojson(driver, *points);
    r.content_type = "application/geo+json";
  }
  return r;
}

}  // namespace lastmile::api::handlers
