// Fuzzes the POST /v1/scans body parser: arbitrary bytes give either a draft or an Error with a
// stable code — never a crash, a hang or undefined behaviour. A draft that got through keeps the
// parser's promises (lengths, coordinates, handoff carrier) and has a canonical text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/scan_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto scan = lastmile::api::parse_scan_create(body);
  if (!scan) {
    (void)lastmile::core::code_name(scan.error().code);
    return 0;
  }
  if (scan->id.empty() || scan->id.size() > lastmile::domain::kMaxScanIdChars) __builtin_trap();
  if (scan->barcode.empty() || scan->barcode.size() > lastmile::domain::kMaxBarcodeChars) __builtin_trap();
  if (scan->location && (scan->location->lat() < -90 || scan->location->lat() > 90)) __builtin_trap();
  const bool handoff = scan->kind == lastmile::domain::ScanKind::kHandoff;
  if (handoff != scan->to_carrier_id.has_value()) __builtin_trap();
  if (lastmile::api::canonical_scan(*scan).empty()) __builtin_trap();
  return 0;
}
