// GET /v1/geocode's query text (src/map/geocoder.hpp, address_text.hpp): any bytes as the
// address lines, city and postcode, against a small book. Checks the answer's invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "map/geocoder.hpp"

using namespace lastmile::map;

namespace {

const AddressBook& book() {
  static const AddressBook b = [] {
    AddressData d;
    d.points = {{"10", "Avenue Princesse Grace", "98000", "Monaco", {437450000, 74350000}},
                {"12bis", "Avenue Princesse Grace", "98000", "Monaco", {437453000, 74353000}},
                {"3;5", "Rue Grimaldi", "98000", "Monaco", {437340000, 74200000}},
                {"7-9", "Rue Terrazzani", "", "", {437320000, 74210000}},
                {"1", "Rue du Ténao", "98000", "Monaco", {437460000, 74300000}}};
    d.streets = {{"Boulevard du Larvotto", {437480000, 74380000}}, {"Avenue d'Ostende", {437390000, 74260000}}};
    return AddressBook(std::move(d));
  }();
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string parts[4];
  for (int i = 0; i < 4 && !in.empty(); ++i) {
    const size_t nl = in.find('\n');
    parts[i] = std::string(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  }
  const auto matches = geocode(book(), GeocodeQuery{parts[0], parts[1], parts[2], parts[3]}, 5);
  if (matches.size() > 5) std::abort();
  for (size_t i = 0; i < matches.size(); ++i) {
    const GeocodeMatch& m = matches[i];
    if (!(m.confidence >= 0.2 && m.confidence <= 1.0)) std::abort();
    if (i > 0 && matches[i - 1].confidence < m.confidence) std::abort();
    if (m.lat < -90 || m.lat > 90 || m.lon < -180 || m.lon > 180) std::abort();
  }
  return 0;
}
