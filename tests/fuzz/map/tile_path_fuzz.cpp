// Fuzzes the tile path parser of GET /v1/tiles/{z}/{x}/{y}.{mvt|geojson} (map/tile_id.hpp): the
// input is split at its first two '/' into the three path segments. Whatever it accepts must be a
// tile of the pyramid whose canonical path is the input itself (one tile, one URL); whatever it
// refuses must be kInvalidTile naming z, x or y. An accepted tile is then projected back and forth.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "map/tile_id.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::map;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t first = input.find('/');
  if (first == std::string_view::npos) return 0;
  const size_t second = input.find('/', first + 1);
  if (second == std::string_view::npos) return 0;
  const auto z = input.substr(0, first);
  const auto x = input.substr(first + 1, second - first - 1);
  const auto y = input.substr(second + 1);

  auto parsed = parse_tile_path(z, x, y);
  if (!parsed.ok()) {
    const auto& e = parsed.error();
    if (e.code != lastmile::core::ErrorCode::kInvalidTile) std::abort();
    if (e.field != "z" && e.field != "x" && e.field != "y") std::abort();
    if (e.message.empty()) std::abort();
    return 0;
  }
  const TileId id = parsed->id;
  if (id.z > kMaxTileZoom) std::abort();
  const uint64_t side = uint64_t{1} << id.z;
  if (id.x >= side || id.y >= side) std::abort();
  if (tile_path(*parsed) != input) std::abort();

  // The tile's north-west corner projects back into the same tile (and no NaN escapes).
  const double corner_x = (static_cast<double>(id.x) + 0.5) / static_cast<double>(side);
  const double corner_y = (static_cast<double>(id.y) + 0.5) / static_cast<double>(side);
  const auto ll = unproject({corner_x, corner_y});
  if (!(ll.lat() >= -90 && ll.lat() <= 90 && ll.lon() >= -180 && ll.lon() <= 180)) std::abort();
  const TileId back = tile_at(project(ll.lat(), ll.lon()), id.z);
  if (id.z <= 20 && !(back == id)) std::abort();
  return 0;
}
