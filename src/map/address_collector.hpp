#pragma once
// Collects the addresses of an OSM file during the import's two passes (osm_reader.cpp), without
// depending on libosmium: ways first (address ways and named roads, remembering which node
// locations they need), then nodes (address nodes, and the locations asked for).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "map/address_book.hpp"

namespace lastmile::map {

// The addr:* tags of one OSM object (empty when absent).
struct AddressTags {
  std::string_view house_number;
  std::string_view street;
  std::string_view place;     // addr:place, used when there is no addr:street
  std::string_view postcode;
  std::string_view city;
};

class AddressCollector {
 public:
  // Pass 1. A way with a house number and a street (or place) becomes an address at the mean of
  // its nodes; a way with `highway` and a `name` gives its middle node as a named street.
  void add_way(std::span<const int64_t> refs, const AddressTags& tags, std::string_view highway, std::string_view name);
  // Between the passes.
  void end_ways();
  // Pass 2. Every node: an address node is added; a location a way needs is kept.
  void add_node(int64_t id, NodeCoord at, const AddressTags& tags);
  // After pass 2: ways whose nodes all lack a location are dropped.
  AddressData finish();

 private:
  struct PendingWay {
    AddressPoint point;
    std::vector<int64_t> refs;
  };
  struct PendingStreet {
    std::string name;
    int64_t ref = 0;
  };
  static bool is_address(const AddressTags& tags);
  static AddressPoint point_of(const AddressTags& tags);
  const NodeCoord* location(int64_t id) const;

  AddressData data_;
  std::vector<PendingWay> ways_;
  std::vector<PendingStreet> streets_;
  std::vector<int64_t> needed_;      // sorted after end_ways
  std::vector<NodeCoord> located_;   // aligned with needed_
  std::vector<bool> found_;
};

}  // namespace lastmile::map
