// Fuzzes the carrier routes' body parsers (JSON batch, CSV batch, code mappings): arbitrary bytes give
// items or an Error with a stable code — never a crash, a hang or undefined behaviour. Every item that
// got through keeps the parser's promises (ids, codes, a shipment reference, coordinates in range).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/carrier_events_parser.hpp"

namespace {

void check(const lastmile::core::Result<std::vector<lastmile::api::CarrierEventItem>>& items) {
  using lastmile::domain::CarrierEventInput;
  if (!items) {
    (void)lastmile::core::code_name(items.error().code);
    return;
  }
  if (items->size() > lastmile::domain::kMaxCarrierEventsPerRequest) __builtin_trap();
  for (const auto& item : *items) {
    const auto* e = std::get_if<CarrierEventInput>(&item.value);
    if (!e) continue;
    if (e->event_id.empty() || e->event_id.size() > lastmile::domain::kMaxCarrierEventIdLen) __builtin_trap();
    if (e->code.empty() || e->code.size() > lastmile::domain::kMaxCarrierCodeLen) __builtin_trap();
    if (e->tracking_number.empty() && e->order_id.empty()) __builtin_trap();
    if (e->location && (e->location->lat() < -90 || e->location->lat() > 90)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  check(lastmile::api::parse_carrier_events_json(body));
  check(lastmile::api::parse_carrier_events_csv(body));
  auto m = lastmile::api::parse_code_mappings(body);
  if (m && !lastmile::domain::validate_code_mappings(*m)) __builtin_trap();
  return 0;
}
