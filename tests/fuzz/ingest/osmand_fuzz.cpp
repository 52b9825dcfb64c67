// Fuzzes the OsmAnd / Traccar Client decoder: arbitrary bytes must give either an UnsafePing whose
// numbers are all finite, or an Error — never a crash, a hang, a leak or undefined behaviour.
//
// Input layout: byte 0 selects the variant (bits 0-1) and the speed unit (bit 2); the rest is
//   variant 0: the query                         1: query '\n' form body
//   variant 2: the JSON body                     3: query '\n' body with an unknown content type
// (variants 1 and 3 without '\n': everything is the body).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/protocols/osmand/osmand_decoder.hpp"

namespace {

void check_finite(double d) {
  if (!std::isfinite(d)) __builtin_trap();
}
void check_finite(const std::optional<double>& d) {
  if (d) check_finite(*d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile;
  if (size == 0) return 0;
  const unsigned selector = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const unsigned variant = selector & 3u;

  std::string_view query, body;
  if (variant == 0) {
    query = rest;
  } else if (size_t nl = rest.find('\n'); variant != 2 && nl != std::string_view::npos) {
    query = rest.substr(0, nl);
    body = rest.substr(nl + 1);
  } else {
    body = rest;
  }
  static constexpr std::string_view kTypes[] = {"", "application/x-www-form-urlencoded; charset=UTF-8",
                                                "application/json", "text/plain"};
  ingest::osmand::Options options{.speed_in_knots = (selector & 4u) == 0};
  auto r = ingest::osmand::decode(query, kTypes[variant], body, core::Timestamp{1700000000000}, options);
  if (!r) {
    (void)core::code_name(r.error().code);
    return 0;
  }
  check_finite(r->position.lat);
  check_finite(r->position.lon);
  check_finite(r->speed_mps);
  check_finite(r->heading_deg);
  check_finite(r->accuracy_m);
  check_finite(r->altitude_m);
  check_finite(r->battery_pct);
  return 0;
}
