#include "api/tiles_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "api/json_io.hpp"
#include "map/road_class.hpp"
#include "map/tile_mvt.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

double round7(double v) { return std::round(v * 1e7) / 1e7; }

json::array lon_lat(map::TileId id, map::TilePoint p) {
  const double world_size = std::ldexp(static_cast<double>(map::kTileExtent), static_cast<int>(id.z));
  const map::WorldPoint w{(static_cast<double>(id.x) * map::kTileExtent + p.x) / world_size,
                          (static_cast<double>(id.y) * map::kTileExtent + p.y) / world_size};
  const core::LatLon ll = map::unproject({std::clamp(w.x, 0.0, 1.0), std::clamp(w.y, 0.0, 1.0)});
  return {round7(ll.lon()), round7(ll.lat())};
}

json::array vector_tile_urls(const BasemapOptions& o) {
  return {o.public_url + "/v1/tiles/{z}/{x}/{y}.mvt"};
}

// A data-driven value by road class: ["match", ["get", "class"], "motorway", v0, …, fallback].
json::array by_class(const json::array& per_class, json::value fallback) {
  json::array m{"match", json::array{"get", "class"}};
  for (size_t i = 0; i < per_class.size() && i < map::kRoadClassNames.size(); ++i) {
    m.emplace_back(json::string(map::kRoadClassNames[i]));
    m.push_back(per_class[i]);
  }
  m.push_back(std::move(fallback));
  return m;
}

// Line width interpolated from zoom 12 to 18, per class (motorway … service).
json::array widths(double scale) {
  const double at12[] = {2.5, 2.2, 2.0, 1.6, 1.2, 0.8, 0.4};
  const double at18[] = {22, 20, 18, 16, 14, 11, 6};
  json::array w12, w18;
  for (double w : at12) w12.push_back(w * scale);
  for (double w : at18) w18.push_back(w * scale);
  return {"interpolate", json::array{"exponential", 1.5}, json::array{"zoom"}, 12, by_class(w12, 0.5 * scale), 18,
          by_class(w18, 4 * scale)};
}

}  // namespace

std::string tile_geojson(std::span<const map::TileFeature> features, map::TileId id) {
  json::array out;
  for (const map::TileFeature& f : features) {
    json::array parts;
    for (const auto& part : f.parts) {
      json::array line;
      for (const map::TilePoint& p : part) line.push_back(lon_lat(id, p));
      parts.push_back(std::move(line));
    }
    json::object geometry;
    if (parts.size() == 1) {
      geometry = {{"type", "LineString"}, {"coordinates", std::move(parts[0])}};
    } else {
      geometry = {{"type", "MultiLineString"}, {"coordinates", std::move(parts)}};
    }
    json::object properties{{"class", map::road_class_name(f.road_class)}, {"oneway", f.oneway}};
    if (!f.name.empty()) properties["name"] = f.name;
    out.push_back(json::object{{"type", "Feature"},
                               {"id", f.id},
                               {"geometry", std::move(geometry)},
                               {"properties", std::move(properties)}});
  }
  return to_json(json::object{{"type", "FeatureCollection"}, {"features", std::move(out)}});
}

std::string tilejson(const BasemapOptions& o) {
  const map::MapBounds& b = *o.bounds;
  json::object doc{
      {"tilejson", "3.0.0"},
      {"name", "lastmile roads"},
      {"description", "The road network loaded with serve --map, as Mapbox Vector Tiles"},
      {"scheme", "xyz"},
      {"format", "pbf"},
      {"tiles", vector_tile_urls(o)},
      {"minzoom", map::kMinContentZoom},
      {"maxzoom", map::kMaxContentZoom},
      {"bounds", json::array{round7(b.west), round7(b.south), round7(b.east), round7(b.north)}},
      {"center", json::array{round7((b.west + b.east) / 2), round7((b.south + b.north) / 2), 14}},
      {"attribution", kOsmAttribution},
      {"vector_layers",
       json::array{json::object{{"id", map::kRoadsLayer},
                                {"description", "Drivable roads, one line per street"},
                                {"minzoom", map::kMinContentZoom},
                                {"maxzoom", map::kMaxContentZoom},
                                {"fields", json::object{{"name", "String"}, {"class", "String"},
                                                        {"oneway", "Boolean"}}}}}},
  };
  if (!o.raster_tiles_url.empty()) doc["raster_tiles"] = json::array{json::string(o.raster_tiles_url)};
  return to_json(doc);
}

std::string map_style(const BasemapOptions& o) {
  const bool vector = o.bounds.has_value();
  json::object sources;
  json::array layers{json::object{{"id", "background"}, {"type", "background"},
                                  {"paint", json::object{{"background-color", "#f2efe9"}}}}};
  if (!o.raster_tiles_url.empty()) {
    sources["raster"] = json::object{{"type", "raster"},
                                     {"tiles", json::array{json::string(o.raster_tiles_url)}},
                                     {"tileSize", 256},
                                     {"attribution", kOsmAttribution}};
    layers.push_back(json::object{{"id", "raster"}, {"type", "raster"}, {"source", "raster"},
                                  {"layout", json::object{{"visibility", vector ? "none" : "visible"}}}});
  }
  json::object style{{"version", 8}, {"name", "lastmile"}};
  if (vector) {
    sources["roads"] = json::object{{"type", "vector"}, {"url", o.public_url + "/v1/tiles.json"}};
    const json::object line_layout{{"line-cap", "round"}, {"line-join", "round"}};
    layers.push_back(json::object{
        {"id", "roads-casing"}, {"type", "line"}, {"source", "roads"}, {"source-layer", map::kRoadsLayer},
        {"layout", line_layout},
        {"paint", json::object{{"line-color", "#bbbbbb"}, {"line-width", widths(1.3)}}}});
    layers.push_back(json::object{
        {"id", "roads"}, {"type", "line"}, {"source", "roads"}, {"source-layer", map::kRoadsLayer},
        {"layout", line_layout},
        {"paint", json::object{{"line-color", by_class(json::array{"#e892a2", "#f9b29c", "#fcd6a4", "#f7fabf",
                                                                   "#ffffff", "#ffffff", "#ffffff"},
                                                       "#dddddd")},
                               {"line-width", widths(1.0)}}}});
    const map::MapBounds& b = *o.bounds;
    style["center"] = json::array{round7((b.west + b.east) / 2), round7((b.south + b.north) / 2)};
    style["zoom"] = 14;
  }
  style["sources"] = std::move(sources);
  style["layers"] = std::move(layers);
  return to_json(style);
}

}  // namespace lastmile::api
