#include "map/osm_reader.hpp"

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include <exception>
#include <filesystem>
#include <string_view>
#include <vector>

#include "map/address_collector.hpp"

namespace lastmile::map {
namespace {

std::string_view tag(const osmium::TagList& tags, const char* key) {
  const char* v = tags.get_value_by_key(key);
  return v == nullptr ? std::string_view() : std::string_view(v);
}

AddressTags address_tags(const osmium::TagList& t) {
  return AddressTags{tag(t, "addr:housenumber"), tag(t, "addr:street"), tag(t, "addr:place"), tag(t, "addr:postcode"),
                     tag(t, "addr:city")};
}

class WayPass : public osmium::handler::Handler {
 public:
  WayPass(GraphBuilder& builder, OsmReadStats& stats, AddressCollector* addresses)
      : builder_(builder), stats_(stats), addresses_(addresses) {}

  void way(const osmium::Way& way) {
    ++stats_.ways;
    const osmium::TagList& t = way.tags();
    if (addresses_ != nullptr) {
      refs_.clear();
      for (const osmium::NodeRef& r : way.nodes()) refs_.push_back(r.ref());
      addresses_->add_way(refs_, address_tags(t), tag(t, "highway"), tag(t, "name"));
    }
    const WayTags tags{tag(t, "highway"), tag(t, "maxspeed"), tag(t, "oneway"),
                       tag(t, "junction"), tag(t, "area"), tag(t, "access"),
                       tag(t, "vehicle"), tag(t, "motor_vehicle"), tag(t, "motorcar")};
    const auto profile = car_profile(tags);
    if (!profile) return;
    ++stats_.drivable_ways;
    refs_.clear();
    for (const osmium::NodeRef& r : way.nodes()) refs_.push_back(r.ref());
    std::string_view name = tag(t, "name");
    if (name.empty()) name = tag(t, "ref");
    builder_.add_way(way.id(), refs_, *profile, name);
  }

  void relation(const osmium::Relation& relation) {
    ++stats_.relations;
    const osmium::TagList& t = relation.tags();
    if (tag(t, "type") != "restriction") return;
    std::string_view kind = tag(t, "restriction");
    if (kind.empty()) kind = tag(t, "restriction:motorcar");
    if (tag(t, "except").find("motorcar") != std::string_view::npos) {
      ++stats_.restrictions_skipped;
      return;
    }
    const bool only = kind.starts_with("only_");
    if (!only && !kind.starts_with("no_")) {
      ++stats_.restrictions_skipped;
      return;
    }
    int64_t from = 0, via = 0, to = 0;
    int froms = 0, vias = 0, tos = 0;
    bool via_way = false;
    for (const osmium::RelationMember& m : relation.members()) {
      const std::string_view role = m.role();
      if (role == "from" && m.type() == osmium::item_type::way) {
        from = m.ref();
        ++froms;
      } else if (role == "to" && m.type() == osmium::item_type::way) {
        to = m.ref();
        ++tos;
      } else if (role == "via") {
        ++vias;
        if (m.type() == osmium::item_type::node) {
          via = m.ref();
        } else {
          via_way = true;
        }
      }
    }
    if (via_way) {
      ++stats_.restrictions_via_way;
      return;
    }
    if (froms != 1 || tos != 1 || vias != 1) {
      ++stats_.restrictions_skipped;
      return;
    }
    ++stats_.restrictions;
    builder_.add_restriction(from, via, to, only);
  }

 private:
  GraphBuilder& builder_;
  OsmReadStats& stats_;
  AddressCollector* addresses_;
  std::vector<int64_t> refs_;
};

class NodePass : public osmium::handler::Handler {
 public:
  NodePass(GraphBuilder& builder, OsmReadStats& stats, AddressCollector* addresses)
      : builder_(builder), stats_(stats), addresses_(addresses) {}

  void node(const osmium::Node& node) {
    ++stats_.nodes;
    const osmium::Location loc = node.location();
    if (!loc.valid()) return;
    builder_.set_location(node.id(), NodeCoord{loc.y(), loc.x()});
    if (addresses_ != nullptr) addresses_->add_node(node.id(), NodeCoord{loc.y(), loc.x()}, address_tags(node.tags()));
  }

 private:
  GraphBuilder& builder_;
  OsmReadStats& stats_;
  AddressCollector* addresses_;
};

// Reads the whole file once with `handler`, reporting progress by bytes.
template <typename Handler>
void read_pass(const osmium::io::File& file, osmium::osm_entity_bits::type entities, Handler& handler,
               Progress& progress, std::string_view stage) {
  osmium::io::Reader reader(file, entities);
  while (osmium::memory::Buffer buffer = reader.read()) {
    osmium::apply(buffer, handler);
    progress.update(stage, reader.offset(), reader.file_size());
  }
  reader.close();
}

}  // namespace

Result<OsmReadStats> read_osm(const std::string& path, GraphBuilder& builder, Progress& progress,
                              AddressData* addresses) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error{ErrorCode::kFileNotFound, "cannot open " + path + ": no such file"};
  }
  OsmReadStats stats;
  try {
    const osmium::io::File file(path);
    AddressCollector collector;
    AddressCollector* collect = addresses == nullptr ? nullptr : &collector;
    WayPass ways(builder, stats, collect);
    read_pass(file, osmium::osm_entity_bits::way | osmium::osm_entity_bits::relation, ways, progress,
              "reading ways and relations");
    progress.note("read " + std::to_string(stats.ways) + " ways (" + std::to_string(stats.drivable_ways) +
                  " drivable), " + std::to_string(stats.relations) + " relations (" +
                  std::to_string(stats.restrictions) + " turn restrictions)");
    builder.needed_nodes();
    if (collect != nullptr) collect->end_ways();
    NodePass nodes(builder, stats, collect);
    read_pass(file, osmium::osm_entity_bits::node, nodes, progress, "reading nodes");
    progress.note("read " + std::to_string(stats.nodes) + " nodes");
    if (collect != nullptr) {
      *addresses = collect->finish();
      stats.addresses = addresses->points.size();
      stats.named_streets = addresses->streets.size();
      progress.note("found " + std::to_string(stats.addresses) + " addresses and " +
                    std::to_string(stats.named_streets) + " named road pieces");
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidOsm, path + ": cannot read OSM data: " + e.what()};
  }
  return stats;
}

}  // namespace lastmile::map
