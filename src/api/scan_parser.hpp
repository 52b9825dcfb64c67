#pragma once
// The untrusted body of POST /v1/scans (docs/chain-of-custody.md). A pure function of the body
// text: fuzzed by tests/fuzz/scan_request_fuzz.cpp.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"
#include "domain/custody.hpp"

namespace lastmile::api {

struct ScanDraft {
  std::string id;       // the client's scan id: 1–64 of [A-Za-z0-9-_.:]
  std::string barcode;  // 1–128 printable characters
  domain::ScanKind kind = domain::ScanKind::kLoaded;
  core::Timestamp at;
  std::optional<core::LatLon> location;
  std::optional<double> accuracy_m;               // 0–100000 m
  std::optional<std::string> route_id;
  std::optional<std::string> to_carrier_id;       // required for handoff, refused otherwise
};

// kInvalidJson / kMissingField / kWrongType / kInvalidField with the field's path. `at` is required
// (the scan's own time, as the offline queue may send it late).
core::Result<ScanDraft> parse_scan_create(std::string_view body);

// The canonical text of a draft (field order fixed, numbers normalised): two bodies meaning the same
// scan have the same text, so its hash decides "same id, same body" for replays.
std::string canonical_scan(const ScanDraft& d);

}  // namespace lastmile::api
