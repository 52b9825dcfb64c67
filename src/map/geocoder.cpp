#include "map/geocoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "map/address_text.hpp"

namespace lastmile::map {
namespace {

constexpr double kMinStreetSimilarity = 0.5;
constexpr double kMinConfidence = 0.2;
constexpr size_t kMaxFullScanStreets = 200'000;

struct Wanted {
  std::string house_number;  // normalized, may be empty
  std::vector<std::string> street;
  std::string postcode;      // trimmed as given
  std::string city;          // folded
};

bool is_postcode_segment(const AddressLine& s) {
  return s.house_number.size() >= 4 && s.house_number.size() <= 5 &&
         std::all_of(s.house_number.begin(), s.house_number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// The street wishes in one address line: its first comma-separated segment is "number street";
// a later segment starting with 4-5 digits is "postcode city".
void add_line(std::string_view line, const GeocodeQuery& q, std::vector<Wanted>& out) {
  std::string postcode = trim(q.postal_code);
  std::string city = fold_address_text(q.city);
  std::vector<AddressLine> streets;
  size_t i = 0, segment = 0;
  while (i <= line.size()) {
    const size_t j = std::min(line.find(',', i), line.size());
    AddressLine part = split_address_line(line.substr(i, j - i));
    if (segment > 0 && is_postcode_segment(part)) {
      if (postcode.empty()) postcode = part.house_number;
      if (city.empty()) city = part.street;
    } else if (!part.street.empty()) {
      streets.push_back(std::move(part));
    }
    ++segment;
    i = j + 1;
  }
  for (AddressLine& s : streets) {
    Wanted w{std::move(s.house_number), street_tokens(s.street), postcode, city};
    if (!w.street.empty()) out.push_back(std::move(w));
  }
}

double postcode_factor(const Wanted& w, const AddressPoint& p) {
  const std::string pc = trim(p.postcode);
  if (w.postcode.empty() || pc.empty()) return 0.97;
  return pc == w.postcode ? 1.0 : 0.85;
}

double city_factor(const Wanted& w, const AddressPoint& p) {
  if (w.city.empty() || p.city.empty()) return 1.0;
  return fold_address_text(p.city) == w.city ? 1.0 : 0.9;
}

std::string point_label(const AddressPoint& p) {
  std::string label = trim(p.house_number) + " " + p.street;
  std::string place = trim(trim(p.postcode) + " " + p.city);
  if (!place.empty()) label += ", " + place;
  return label;
}

GeocodeMatch at(NodeCoord c, double confidence, MatchLevel level, std::string label) {
  return GeocodeMatch{c.lat_e7 / 1e7, c.lon_e7 / 1e7, std::round(confidence * 100) / 100, level, std::move(label)};
}

// The number level of a point for the wanted number: 1 equal, 0.9 other suffix, else by distance.
double number_level(const std::string& wanted, int wanted_value, const AddressBook::PointKey& k) {
  if (k.house_number == wanted) return 1.0;
  if (k.value == wanted_value) return 0.9;
  const int diff = std::abs(k.value - wanted_value);
  double level = std::max(0.5, 0.75 - 0.01 * diff);
  if ((k.value - wanted_value) % 2 != 0) level -= 0.05;  // the other side of the street
  return level;
}

NodeCoord mean(const std::vector<NodeCoord>& cs) {
  double lat = 0, lon = 0;
  for (const NodeCoord& c : cs) {
    lat += c.lat_e7;
    lon += c.lon_e7;
  }
  const double n = static_cast<double>(cs.size());
  return NodeCoord{static_cast<int32_t>(lat / n), static_cast<int32_t>(lon / n)};
}

constexpr size_t kMatchesPerStreet = 3;

// The best matches on one street (at most kMatchesPerStreet), added to `out`.
void match_street(const AddressBook& book, const AddressBook::Street& street, double sim, const Wanted& w,
                  std::vector<GeocodeMatch>& out) {
  std::vector<GeocodeMatch> found;
  auto offer = [&](GeocodeMatch m) { found.push_back(std::move(m)); };
  if (!w.house_number.empty()) {
    const int wanted_value = house_number_value(w.house_number);
    for (uint32_t i : street.points) {
      const AddressPoint& p = book.points()[i];
      for (const AddressBook::PointKey& k : book.point_keys(i)) {
        const double level = number_level(w.house_number, wanted_value, k);
        const double c = sim * level * postcode_factor(w, p) * city_factor(w, p);
        offer(at(p.at, c, level >= 1.0 ? MatchLevel::kHouseNumber : MatchLevel::kNearbyHouseNumber, point_label(p)));
      }
    }
  }
  // The street itself: its roads' middles, else its addresses (those in the wanted postcode when any).
  std::vector<NodeCoord> where = street.road_points;
  double factor = 0.97;
  if (where.empty()) {
    for (uint32_t i : street.points) {
      const AddressPoint& p = book.points()[i];
      if (!w.postcode.empty() && trim(p.postcode) == w.postcode) where.push_back(p.at);
    }
    if (!where.empty()) factor = 1.0;
    if (where.empty()) {
      for (uint32_t i : street.points) where.push_back(book.points()[i].at);
    }
  }
  if (!where.empty()) offer(at(mean(where), sim * 0.6 * factor, MatchLevel::kStreet, street.name));
  std::stable_sort(found.begin(), found.end(), [](const GeocodeMatch& a, const GeocodeMatch& b) {
    return a.confidence > b.confidence;
  });
  if (found.size() > kMatchesPerStreet) found.resize(kMatchesPerStreet);
  for (GeocodeMatch& m : found) out.push_back(std::move(m));
}

}  // namespace

std::string_view match_level_name(MatchLevel level) {
  switch (level) {
    case MatchLevel::kHouseNumber: return "house_number";
    case MatchLevel::kNearbyHouseNumber: return "nearby_house_number";
    case MatchLevel::kStreet: return "street";
    case MatchLevel::kPostcode: return "postcode";
  }
  return "street";
}

std::vector<GeocodeMatch> geocode(const AddressBook& book, const GeocodeQuery& query, size_t limit) {
  std::vector<Wanted> wanted;
  add_line(query.line1, query, wanted);
  add_line(query.line2, query, wanted);

  std::vector<GeocodeMatch> out;
  for (const Wanted& w : wanted) {
    std::unordered_set<uint32_t> candidates;
    for (const std::string& t : w.street) {
      if (const auto* list = book.streets_with_token(t)) candidates.insert(list->begin(), list->end());
    }
    double best_sim = 0;
    auto consider = [&](uint32_t s) {
      const AddressBook::Street& street = book.streets()[s];
      const double sim = token_similarity(w.street, street.tokens);
      best_sim = std::max(best_sim, sim);
      if (sim < kMinStreetSimilarity) return;
      match_street(book, street, sim, w, out);
    };
    for (uint32_t s : candidates) consider(s);
    // A misspelt street shares no token with its name: compare with every street (bounded).
    if (best_sim < 0.8 && book.streets().size() <= kMaxFullScanStreets) {
      for (uint32_t s = 0; s < book.streets().size(); ++s) {
        if (!candidates.contains(s)) consider(s);
      }
    }
  }
  if (out.empty()) {
    std::string postcode = trim(query.postal_code);
    if (postcode.empty()) {
      for (const Wanted& w : wanted) {
        if (!w.postcode.empty()) postcode = w.postcode;
      }
    }
    if (const NodeCoord* c = postcode.empty() ? nullptr : book.postcode_center(postcode)) {
      out.push_back(at(*c, 0.3, MatchLevel::kPostcode, postcode));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const GeocodeMatch& a, const GeocodeMatch& b) {
    return a.confidence > b.confidence;
  });
  std::vector<GeocodeMatch> ranked;
  for (GeocodeMatch& m : out) {
    if (ranked.size() >= limit || m.confidence < kMinConfidence) break;
    if (std::any_of(ranked.begin(), ranked.end(), [&](const GeocodeMatch& r) { return r.label == m.label; })) continue;
    ranked.push_back(std::move(m));
  }
  return ranked;
}

}  // namespace lastmile::map
