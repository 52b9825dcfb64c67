#pragma once
// A tiny Mapbox Vector Tile 2.1 reader for the tests, written from the spec independently of the
// encoder: protobuf varints and length-delimited fields, zigzag parameters, MoveTo/LineTo commands.
// Any malformed input fails the current test (ADD_FAILURE) and stops decoding.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lastmile::map::test {

struct MvtPoint {
  int64_t x = 0;
  int64_t y = 0;
  bool operator==(const MvtPoint&) const = default;
};

struct MvtFeature {
  uint64_t id = 0;
  uint32_t type = 0;
  std::map<std::string, std::variant<std::string, bool>> properties;
  std::vector<std::vector<MvtPoint>> lines;  // one per MoveTo
  std::vector<uint32_t> raw_geometry;
};

struct MvtLayer {
  uint32_t version = 1;  // the spec's default when the field is absent
  std::string name;
  uint32_t extent = 4096;
  std::vector<MvtFeature> features;
};

class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return pos_ >= bytes_.size(); }
  bool ok() const { return ok_; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return fail();
      const auto b = static_cast<unsigned char>(bytes_[pos_++]);
      v |= uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail();
  }
  std::string_view bytes() {
    const uint64_t n = varint();
    if (!ok_ || n > bytes_.size() - pos_) return fail(), std::string_view{};
    auto out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  // Skips a field of the given wire type.
  void skip(uint32_t wire) {
    if (wire == 0) {
      varint();
    } else if (wire == 2) {
      bytes();
    } else {
      fail();
    }
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = bytes_.size();
    return 0;
  }
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

inline int32_t unzigzag(uint32_t v) { return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1)); }

inline std::vector<uint32_t> packed(std::string_view bytes) {
  std::vector<uint32_t> out;
  ProtoReader r(bytes);
  while (!r.done()) out.push_back(static_cast<uint32_t>(r.varint()));
  EXPECT_TRUE(r.ok());
  return out;
}

// LINESTRING geometry: (MoveTo 1, LineTo n>=1)+, the cursor carried across commands.
inline std::vector<std::vector<MvtPoint>> decode_lines(const std::vector<uint32_t>& g) {
  std::vector<std::vector<MvtPoint>> lines;
  MvtPoint cursor;
  size_t i = 0;
  while (i < g.size()) {
    const uint32_t move = g[i++];
    if ((move & 7) != 1 || (move >> 3) != 1 || i + 2 > g.size()) {
      ADD_FAILURE() << "expected MoveTo(1), got command " << move;
      return lines;
    }
    cursor.x += unzigzag(g[i++]);
    cursor.y += unzigzag(g[i++]);
    std::vector<MvtPoint> line{cursor};
    if (i >= g.size()) {
      ADD_FAILURE() << "MoveTo without LineTo";
      return lines;
    }
    const uint32_t line_to = g[i++];
    const uint32_t count = line_to >> 3;
    if ((line_to & 7) != 2 || count == 0 || i + 2 * count > g.size()) {
      ADD_FAILURE() << "expected LineTo(n>0), got command " << line_to;
      return lines;
    }
    for (uint32_t k = 0; k < count; ++k) {
      cursor.x += unzigzag(g[i++]);
      cursor.y += unzigzag(g[i++]);
      line.push_back(cursor);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

inline std::vector<MvtLayer> decode_mvt(std::string_view tile) {
  std::vector<MvtLayer> layers;
  ProtoReader t(tile);
  while (!t.done()) {
    const uint64_t key = t.varint();
    if (key != ((3 << 3) | 2)) {
      t.skip(key & 7);
      continue;
    }
    MvtLayer layer;
    std::vector<std::string> keys;
    std::vector<std::variant<std::string, bool>> values;
    struct RawFeature {
      MvtFeature f;
      std::vector<uint32_t> tags;
    };
    std::vector<RawFeature> raw;
    ProtoReader l(t.bytes());
    while (!l.done()) {
      const uint64_t k = l.varint();
      const uint32_t field = static_cast<uint32_t>(k >> 3);
      const uint32_t wire = static_cast<uint32_t>(k & 7);
      if (field == 15 && wire == 0) {
        layer.version = static_cast<uint32_t>(l.varint());
      } else if (field == 1 && wire == 2) {
        layer.name = std::string(l.bytes());
      } else if (field == 5 && wire == 0) {
        layer.extent = static_cast<uint32_t>(l.varint());
      } else if (field == 3 && wire == 2) {
        keys.emplace_back(l.bytes());
      } else if (field == 4 && wire == 2) {
        ProtoReader v(l.bytes());
        while (!v.done()) {
          const uint64_t vk = v.varint();
          if (vk == ((1 << 3) | 2)) {
            values.emplace_back(std::string(v.bytes()));
          } else if (vk == ((7 << 3) | 0)) {
            values.emplace_back(v.varint() != 0);
          } else {
            ADD_FAILURE() << "unexpected value field " << (vk >> 3);
            v.skip(vk & 7);
          }
        }
      } else if (field == 2 && wire == 2) {
        RawFeature rf;
        ProtoReader f(l.bytes());
        while (!f.done()) {
          const uint64_t fk = f.varint();
          if (fk == ((1 << 3) | 0)) {
            rf.f.id = f.varint();
          } else if (fk == ((2 << 3) | 2)) {
            rf.tags = packed(f.bytes());
          } else if (fk == ((3 << 3) | 0)) {
            rf.f.type = static_cast<uint32_t>(f.varint());
          } else if (fk == ((4 << 3) | 2)) {
            rf.f.raw_geometry = packed(f.bytes());
          } else {
            f.skip(fk & 7);
          }
        }
        EXPECT_TRUE(f.ok());
        raw.push_back(std::move(rf));
      } else {
        l.skip(wire);
      }
    }
    EXPECT_TRUE(l.ok()) << "malformed layer";
    for (auto& rf : raw) {
      EXPECT_EQ(rf.tags.size() % 2, 0u);
      for (size_t i = 0; i + 1 < rf.tags.size(); i += 2) {
        if (rf.tags[i] >= keys.size() || rf.tags[i + 1] >= values.size()) {
          ADD_FAILURE() << "tag index out of range";
          continue;
        }
        rf.f.properties[keys[rf.tags[i]]] = values[rf.tags[i + 1]];
      }
      rf.f.lines = decode_lines(rf.f.raw_geometry);
      layer.features.push_back(std::move(rf.f));
    }
    layers.push_back(std::move(layer));
  }
  EXPECT_TRUE(t.ok()) << "malformed tile";
  return layers;
}

}  // namespace lastmile::map::test
