#include "map/address_collector.hpp"

#include <algorithm>

namespace lastmile::map {

bool AddressCollector::is_address(const AddressTags& tags) {
  return !tags.house_number.empty() && (!tags.street.empty() || !tags.place.empty());
}

AddressPoint AddressCollector::point_of(const AddressTags& tags) {
  return AddressPoint{std::string(tags.house_number), std::string(tags.street.empty() ? tags.place : tags.street),
                      std::string(tags.postcode), std::string(tags.city), {}};
}

void AddressCollector::add_way(std::span<const int64_t> refs, const AddressTags& tags, std::string_view highway,
                               std::string_view name) {
  if (refs.empty()) return;
  if (is_address(tags)) {
    PendingWay w{point_of(tags), {refs.begin(), refs.end()}};
    if (w.refs.size() > 1 && w.refs.front() == w.refs.back()) w.refs.pop_back();  // closed: count once
    needed_.insert(needed_.end(), w.refs.begin(), w.refs.end());
    ways_.push_back(std::move(w));
  }
  if (!highway.empty() && !name.empty()) {
    const int64_t middle = refs[refs.size() / 2];
    streets_.push_back(PendingStreet{std::string(name), middle});
    needed_.push_back(middle);
  }
}

void AddressCollector::end_ways() {
  std::sort(needed_.begin(), needed_.end());
  needed_.erase(std::unique(needed_.begin(), needed_.end()), needed_.end());
  located_.assign(needed_.size(), NodeCoord{});
  found_.assign(needed_.size(), false);
}

void AddressCollector::add_node(int64_t id, NodeCoord at, const AddressTags& tags) {
  if (is_address(tags)) {
    AddressPoint p = point_of(tags);
    p.at = at;
    data_.points.push_back(std::move(p));
  }
  auto it = std::lower_bound(needed_.begin(), needed_.end(), id);
  if (it != needed_.end() && *it == id) {
    const size_t i = static_cast<size_t>(it - needed_.begin());
    located_[i] = at;
    found_[i] = true;
  }
}

const NodeCoord* AddressCollector::location(int64_t id) const {
  auto it = std::lower_bound(needed_.begin(), needed_.end(), id);
  if (it == needed_.end() || *it != id) return nullptr;
  const size_t i = static_cast<size_t>(it - needed_.begin());
  return found_[i] ? &located_[i] : nullptr;
}

AddressData AddressCollector::finish() {
  for (PendingWay& w : ways_) {
    double lat = 0, lon = 0;
    size_t n = 0;
    for (int64_t ref : w.refs) {
      if (const NodeCoord* c = location(ref)) {
        lat += c->lat_e7;
        lon += c->lon_e7;
        ++n;
      }
    }
    if (n == 0) continue;
    w.point.at = NodeCoord{static_cast<int32_t>(lat / static_cast<double>(n)), static_cast<int32_t>(lon / static_cast<double>(n))};
    data_.points.push_back(std::move(w.point));
  }
  for (PendingStreet& s : streets_) {
    if (const NodeCoord* c = location(s.ref)) data_.streets.push_back(NamedStreet{std::move(s.name), *c});
  }
  ways_.clear();
  streets_.clear();
  return std::move(data_);
}

}  // namespace lastmile::map
