// The offline basemap (docs/routing.md "Tiles"): GET /v1/tiles/{z}/{x}/{y}.mvt|.geojson, the
// road network as vector tiles; GET /v1/tiles.json (TileJSON) and GET /v1/tiles/style.json (a
// MapLibre style). Public: the customer tracking page draws its map from them. Tiles are cacheable
// for a day, with an ETag that changes only with the map, so a client revalidates with a 304.
#include <cstdio>

#include "api/handlers/handlers.hpp"
#include "api/tiles_json.hpp"
#include "map/tile_service.hpp"

namespace lastmile::api::handlers {

namespace {

constexpr std::string_view kTileCacheControl = "public, max-age=86400";
constexpr std::string_view kDocumentCacheControl = "public, max-age=300";
constexpr std::string_view kMvtType = "application/vnd.mapbox-vector-tile";
constexpr std::string_view kGeoJsonType = "application/geo+json";

core::Error no_map() {
  return {core::ErrorCode::kNotFound, "this server has no road network; start it with --map to serve tiles", ""};
}

// Whether an If-None-Match header (a list of entity tags, or "*") names `etag`. Weak tags match
// too (RFC 9110 13.1.2: If-None-Match uses the weak comparison).
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

std::string body_etag(std::string_view body) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(h));
  return text;
}

// A 200 with `body`, or a 304 without it when the client already holds this version.
Reply cacheable(const RequestContext& ctx, std::string etag, std::string_view cache_control,
                std::string_view content_type, std::string body) {
  Reply r;
  r.content_type = std::string(content_type);
  if (etag_matches(ctx.header(http::field::if_none_match), etag)) {
    r.status = 304;
  } else {
    r.body = std::move(body);
  }
  r.headers = {{"ETag", std::move(etag)},
               {"Cache-Control", std::string(cache_control)},
               {"Access-Control-Allow-Origin", "*"}};
  return r;
}

BasemapOptions basemap_options(const Services& s) {
  BasemapOptions o;
  o.public_url = s.public_url;
  o.raster_tiles_url = s.raster_tiles_url;
  if (s.tiles != nullptr) o.bounds = s.tiles->bounds();
  return o;
}

}  // namespace

Result<Reply> get_tile(const Services& s, RequestContext& ctx) {
  auto request = map::parse_tile_path(ctx.param(0), ctx.param(1), ctx.param(2));
  if (!request) return request.error();
  if (s.tiles == nullptr) return no_map();
  const map::TileId id = request->id;
  std::string etag = s.tiles->etag(id, request->format);
  const bool fresh = etag_matches(ctx.header(http::field::if_none_match), etag);
  if (request->format == map::TileFormat::kMvt) {
    // On a 304 nothing is encoded.
    std::string body = fresh ? std::string() : *s.tiles->mvt(id);
    return cacheable(ctx, std::move(etag), kTileCacheControl, kMvtType, std::move(body));
  }
  std::string body = fresh ? std::string() : tile_geojson(s.tiles->features(id), id);
  return cacheable(ctx, std::move(etag), kTileCacheControl, kGeoJsonType, std::move(body));
}

Result<Reply> get_tilejson(const Services& s, RequestContext& ctx) {
  if (s.tiles == nullptr) return no_map();
  std::string body = tilejson(basemap_options(s));
  std::string etag = body_etag(body);
  return cacheable(ctx, std::move(etag), kDocumentCacheControl, "application/json", std::move(body));
}

Result<Reply> get_map_style(const Services& s, RequestContext& ctx) {
  // Without a map, a raster template alone still makes a style.
  if (s.tiles == nullptr && s.raster_tiles_url.empty()) return no_map();
  std::string body = map_style(basemap_options(s));
  std::string etag = body_etag(body);
  return cacheable(ctx, std::move(etag), kDocumentCacheControl, "application/json", std::move(body));
}

}  // namespace lastmile::api::handlers
