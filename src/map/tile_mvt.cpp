#include "map/tile_mvt.hpp"

#include <cassert>
#include <map>
#include <utility>
#include <vector>

#include "map/tile_id.hpp"

namespace lastmile::map {
namespace {

// Protobuf wire types.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Field numbers of vector_tile.proto (2.1).
constexpr uint32_t kTileLayers = 3;
constexpr uint32_t kLayerName = 1, kLayerFeatures = 2, kLayerKeys = 3, kLayerValues = 4, kLayerExtent = 5,
                   kLayerVersion = 15;
constexpr uint32_t kFeatureId = 1, kFeatureTags = 2, kFeatureType = 3, kFeatureGeometry = 4;
constexpr uint32_t kValueString = 1, kValueBool = 7;
constexpr uint32_t kGeomLineString = 2;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_key(std::string& out, uint32_t field, uint32_t wire_type) { put_varint(out, (field << 3) | wire_type); }

void put_bytes(std::string& out, uint32_t field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out.append(bytes);
}

void put_packed(std::string& out, uint32_t field, const std::vector<uint32_t>& values) {
  std::string packed;
  for (uint32_t v : values) put_varint(packed, v);
  put_bytes(out, field, packed);
}

// The layer's value table: each distinct value once, in order of first use.
class ValueTable {
 public:
  uint32_t string_value(std::string_view s) { return index_of(kValueString, std::string(s)); }
  uint32_t bool_value(bool b) { return index_of(kValueBool, b ? "1" : "0"); }
  void write(std::string& layer) const {
    for (const auto& [field, text] : order_) {
      std::string value;
      if (field == kValueString) {
        put_bytes(value, kValueString, text);
      } else {
        put_key(value, kValueBool, kVarint);
        put_varint(value, text == "1" ? 1 : 0);
      }
      put_bytes(layer, kLayerValues, value);
    }
  }

 private:
  uint32_t index_of(uint32_t field, std::string text) {
    auto key = std::make_pair(field, text);
    auto [it, inserted] = index_.try_emplace(key, static_cast<uint32_t>(order_.size()));
    if (inserted) order_.push_back(std::move(key));
    return it->second;
  }
  std::map<std::pair<uint32_t, std::string>, uint32_t> index_;
  std::vector<std::pair<uint32_t, std::string>> order_;
};

std::vector<uint32_t> geometry_of(const TileFeature& f) {
  std::vector<uint32_t> g;
  int32_t cx = 0;  // the cursor carries over from one part to the next
  int32_t cy = 0;
  for (const auto& part : f.parts) {
    assert(part.size() >= 2);
    g.push_back(mvt_command(MvtCommand::kMoveTo, 1));
    g.push_back(zigzag32(part[0].x - cx));
    g.push_back(zigzag32(part[0].y - cy));
    g.push_back(mvt_command(MvtCommand::kLineTo, static_cast<uint32_t>(part.size() - 1)));
    for (size_t i = 1; i < part.size(); ++i) {
      g.push_back(zigzag32(part[i].x - part[i - 1].x));
      g.push_back(zigzag32(part[i].y - part[i - 1].y));
    }
    cx = part.back().x;
    cy = part.back().y;
  }
  return g;
}

}  // namespace

std::string encode_roads_mvt(std::span<const TileFeature> features) {
  if (features.empty()) return {};
  enum Key : uint32_t { kName = 0, kClass = 1, kOneway = 2 };
  ValueTable values;
  std::string layer;
  put_key(layer, kLayerVersion, kVarint);
  put_varint(layer, 2);
  put_bytes(layer, kLayerName, kRoadsLayer);
  for (const TileFeature& f : features) {
    std::vector<uint32_t> tags;
    if (!f.name.empty()) {
      tags.push_back(kName);
      tags.push_back(values.string_value(f.name));
    }
    tags.push_back(kClass);
    tags.push_back(values.string_value(road_class_name(f.road_class)));
    tags.push_back(kOneway);
    tags.push_back(values.bool_value(f.oneway));

    std::string feature;
    put_key(feature, kFeatureId, kVarint);
    put_varint(feature, f.id);
    put_packed(feature, kFeatureTags, tags);
    put_key(feature, kFeatureType, kVarint);
    put_varint(feature, kGeomLineString);
    put_packed(feature, kFeatureGeometry, geometry_of(f));
    put_bytes(layer, kLayerFeatures, feature);
  }
  for (std::string_view key : {"name", "class", "oneway"}) put_bytes(layer, kLayerKeys, key);
  values.write(layer);
  put_key(layer, kLayerExtent, kVarint);
  put_varint(layer, kTileExtent);

  std::string tile;
  put_bytes(tile, kTileLayers, layer);
  return tile;
}

}  // namespace lastmile::map
