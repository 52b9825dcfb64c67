#pragma once
// Turns drivable ways, node locations and turn restrictions (in OSM ids) into a GraphData (dense
// indices). Pure and in memory; osm_reader feeds it from a file. Not thread-safe.
//
// Use: add every way and restriction; then set_location for the ids of needed_nodes(); then build.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "map/graph.hpp"
#include "map/road_tags.hpp"

namespace lastmile::map {

struct BuildStats {
  uint64_t ways = 0;                       // drivable ways added
  uint64_t missing_nodes = 0;              // way references to nodes absent from the input
  uint64_t nodes = 0;                      // graph nodes
  uint64_t edges = 0;                      // directed edges
  uint64_t restrictions_applied = 0;       // restriction relations turned into graph restrictions
  uint64_t restrictions_unresolved = 0;    // from/to way not drivable, or not touching the via node
  uint64_t names = 0;                      // distinct street names (with the empty one)
  uint64_t small_component_edges = 0;      // edges flagged kEdgeInSmallComponent
};

class GraphBuilder {
 public:
  // `refs` are the way's node ids in order.
  void add_way(int64_t way_id, std::span<const int64_t> refs, const WayProfile& profile, std::string_view name);
  // A via-node restriction: `only` is true for only_* restrictions, false for no_*.
  void add_restriction(int64_t from_way, int64_t via_node, int64_t to_way, bool only);

  // The node ids the added ways reference, sorted and unique. Computed once; call after the last
  // add_way.
  const std::vector<int64_t>& needed_nodes();
  // Records the location of a needed node; other ids are ignored.
  void set_location(int64_t node_id, NodeCoord coord);

  GraphData build(BuildStats* stats);

 private:
  struct Way {
    int64_t id;
    uint32_t first_ref;  // into refs_
    uint32_t ref_count;
    WayProfile profile;
    uint32_t name;
  };
  struct Restriction {
    int64_t from_way;
    int64_t via_node;
    int64_t to_way;
    bool only;
  };
  uint32_t intern_name(std::string_view name);

  std::vector<Way> ways_;
  std::vector<int64_t> refs_;
  std::vector<Restriction> restrictions_;
  std::vector<int64_t> needed_;
  std::vector<NodeCoord> locations_;  // parallel to needed_
  std::vector<bool> located_;         // parallel to needed_
  std::unordered_map<std::string, uint32_t> name_index_;
  std::vector<std::string> names_{std::string()};
};

}  // namespace lastmile::map
