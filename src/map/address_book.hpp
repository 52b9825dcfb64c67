#pragma once
// The addresses of the imported map (docs/geocoding.md): every OSM node or way with
// addr:housenumber and addr:street (or addr:place), and the middle of every named road, as
// `lastmile import-map` found them. The geocoder (geocoder.hpp) searches them; address_file.hpp
// stores them next to the graph.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "map/graph.hpp"

namespace lastmile::map {

struct AddressPoint {
  std::string house_number;  // as tagged ("12", "12bis", "3;5")
  std::string street;        // addr:street, else addr:place
  std::string postcode;      // addr:postcode, may be empty
  std::string city;          // addr:city, may be empty
  NodeCoord at;              // the node, or the mean of the way's nodes
};

// A named road (any highway=* way with a name): where its middle node is.
struct NamedStreet {
  std::string name;
  NodeCoord at;
};

struct AddressData {
  std::vector<AddressPoint> points;
  std::vector<NamedStreet> streets;
};

// The addresses indexed for search: points grouped by street (street_key of address_text.hpp).
class AddressBook {
 public:
  struct Street {
    std::string name;                  // the first spelling seen
    std::vector<std::string> tokens;   // street_tokens(name)
    std::vector<uint32_t> points;      // indexes into points()
    std::vector<NodeCoord> road_points;  // middles of the named roads of this name
  };
  struct PointKey {
    std::string house_number;  // normalize_house_number of one of the tagged numbers
    int value = 0;             // its leading integer
  };

  AddressBook() = default;
  explicit AddressBook(AddressData data);

  bool empty() const { return data_.points.empty() && data_.streets.empty(); }
  const std::vector<AddressPoint>& points() const { return data_.points; }
  const std::vector<Street>& streets() const { return streets_; }
  // The normalized numbers of point i ("3;5" gives two).
  const std::vector<PointKey>& point_keys(uint32_t i) const { return keys_[i]; }
  // Streets having `token` among their tokens.
  const std::vector<uint32_t>* streets_with_token(const std::string& token) const;
  // Mean position of the points with this postcode (as tagged, trimmed), if any.
  const NodeCoord* postcode_center(const std::string& postcode) const;

 private:
  AddressData data_;
  std::vector<Street> streets_;
  std::vector<std::vector<PointKey>> keys_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_token_;
  std::unordered_map<std::string, NodeCoord> postcode_centers_;
};

}  // namespace lastmile::map
