#pragma once
// The untrusted bodies of the carrier routes (docs/carriers.md): POST /v1/carriers/{id}/events as
// JSON (`{"events":[…]}`) or as a CSV batch (text/csv, a header row naming the columns), and
// PUT /v1/carriers/{id}/code-mappings. Pure functions of the body text: fuzzed by
// tests/fuzz/carrier_events_fuzz.cpp.
//
// A batch is read item by item: a bad item (or row) becomes an error entry with its index and field,
// and the others still count. Only a body that is not a batch at all (not JSON, no `events` array,
// no header row, over kMaxCarrierEventsPerRequest items) is an error of the whole request.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "domain/carrier_events.hpp"

namespace lastmile::api {

// One item of a batch: the event, or why it was refused. `index` is the item's position (0-based)
// in the JSON array, or the CSV data row's number (1 = the first row after the header).
struct CarrierEventItem {
  size_t index = 0;
  std::variant<domain::CarrierEventInput, core::Error> value;
};

core::Result<std::vector<CarrierEventItem>> parse_carrier_events_json(std::string_view body);

// Columns (any order; names case-insensitive; unknown columns ignored): event_id, code, occurred_at
// (ISO 8601), tracking_number or order_id, and optionally lat, lon, description. RFC 4180 quoting
// ("" inside quotes), LF or CRLF line ends, a UTF-8 byte order mark skipped; blank lines skipped.
core::Result<std::vector<CarrierEventItem>> parse_carrier_events_csv(std::string_view body);

// {"mappings":[{"code":"OFD","milestone":"out_for_delivery","reason":"…","description":"…"}]},
// validated with domain::validate_code_mappings.
core::Result<std::vector<domain::CarrierCodeMapping>> parse_code_mappings(std::string_view body);

}  // namespace lastmile::api
