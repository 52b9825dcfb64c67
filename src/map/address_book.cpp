#include "map/address_book.hpp"

#include <algorithm>

#include "map/address_text.hpp"

namespace lastmile::map {
namespace {

std::vector<AddressBook::PointKey> keys_of(const std::string& tagged) {
  std::vector<AddressBook::PointKey> keys;
  size_t i = 0;
  while (i <= tagged.size()) {
    const size_t j = std::min(tagged.find_first_of(";,", i), tagged.size());
    std::string n = normalize_house_number(std::string_view(tagged).substr(i, j - i));
    if (!n.empty() && std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return k.house_number == n; })) {
      const int value = house_number_value(n);
      keys.push_back({std::move(n), value});
    }
    i = j + 1;
  }
  return keys;
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

}  // namespace

AddressBook::AddressBook(AddressData data) : data_(std::move(data)) {
  std::unordered_map<std::string, uint32_t> street_of_key;
  auto street_for = [&](const std::string& name) -> Street* {
    std::string key = street_key(name);
    if (key.empty()) return nullptr;
    auto [it, added] = street_of_key.emplace(std::move(key), static_cast<uint32_t>(streets_.size()));
    if (added) {
      streets_.push_back(Street{name, street_tokens(name), {}, {}});
      for (const std::string& t : streets_.back().tokens) {
        auto& list = by_token_[t];
        if (list.empty() || list.back() != it->second) list.push_back(it->second);
      }
    }
    return &streets_[it->second];
  };

  struct Sum { double lat = 0, lon = 0; size_t n = 0; };
  std::unordered_map<std::string, Sum> postcode_sums;
  keys_.reserve(data_.points.size());
  for (uint32_t i = 0; i < data_.points.size(); ++i) {
    const AddressPoint& p = data_.points[i];
    keys_.push_back(keys_of(p.house_number));
    if (Street* s = street_for(p.street)) s->points.push_back(i);
    if (std::string pc = trimmed(p.postcode); !pc.empty()) {
      Sum& sum = postcode_sums[pc];
      sum.lat += p.at.lat_e7;
      sum.lon += p.at.lon_e7;
      ++sum.n;
    }
  }
  for (const NamedStreet& road : data_.streets) {
    if (Street* s = street_for(road.name)) s->road_points.push_back(road.at);
  }
  for (const auto& [pc, sum] : postcode_sums) {
    postcode_centers_[pc] = NodeCoord{static_cast<int32_t>(sum.lat / static_cast<double>(sum.n)),
                                      static_cast<int32_t>(sum.lon / static_cast<double>(sum.n))};
  }
}

const std::vector<uint32_t>* AddressBook::streets_with_token(const std::string& token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? nullptr : &it->second;
}

const NodeCoord* AddressBook::postcode_center(const std::string& postcode) const {
  auto it = postcode_centers_.find(trimmed(postcode));
  return it == postcode_centers_.end() ? nullptr : &it->second;
}

}  // namespace lastmile::map
