// Fuzzes the request-body parsers: arbitrary bytes must give either a value or an Error with a
// stable code — never a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json_io.hpp"
#include "api/shipment_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto shipment = lastmile::api::parse_shipment_create(body);
  if (!shipment) (void)lastmile::core::code_name(shipment.error().code);
  auto event = lastmile::api::parse_event_create(body);
  if (event && event->location) {
    // A location that got through must be a valid coordinate.
    if (event->location->lat() < -90 || event->location->lat() > 90) __builtin_trap();
  }
  return 0;
}
