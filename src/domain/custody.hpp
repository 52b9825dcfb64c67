#pragma once
// Chain of custody (DESIGN.md R4, R15; issue 7): parcel scans, the warnings a scan earns, and
// missing-scan detection at stop completion. Pure: no I/O, no clock.
//
// A scan is append-only: once stored it is never changed. Its `id` is the client's (the
// idempotency key of POST /v1/scans), unique per tenant.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::domain {

enum class ScanKind { kDcProcessed, kLoaded, kHandoff, kDelivered, kReturned };
// Stable API names: "dc_processed", "loaded", "handoff", "delivered", "returned".
std::string_view scan_kind_name(ScanKind k);
std::optional<ScanKind> parse_scan_kind(std::string_view name);

enum class ScanWarning { kWrongRoute, kDuplicateScan, kOutOfSequence };
// Stable API names: "wrong_route", "duplicate_scan", "out_of_sequence".
std::string_view scan_warning_name(ScanWarning w);
// A sentence for people, naming no data.
std::string_view scan_warning_message(ScanWarning w);

struct Scan {
  int64_t seq = 0;
  std::string id;  // the client's scan id (1–64 chars)
  core::TenantId tenant_id;
  std::string barcode;
  core::ShipmentId shipment_id;
  int parcel_index = 0;  // 0-based position of the parcel in the shipment
  ScanKind kind = ScanKind::kLoaded;
  Timestamp at;           // when the scan happened (client clock)
  Timestamp recorded_at;  // when we stored it
  std::string actor;      // credential id
  std::optional<core::DriverId> driver_id;  // when a driver scanned
  std::optional<core::RouteId> route_id;    // the route the scan was made on, when known
  std::optional<LatLon> location;
  std::optional<double> accuracy_m;
  std::optional<core::CarrierId> to_carrier_id;  // handoff only
  std::vector<ScanWarning> warnings;
};

// What a new scan of a parcel earns, given the kinds of the parcel's earlier scans (oldest first)
// and whether the scanning driver's route is the shipment's (nullopt: not a driver's scan or no
// route to compare, no wrong_route check).
//  - wrong_route: the driver's route is not the shipment's route;
//  - duplicate_scan: the parcel already has a scan of this kind;
//  - out_of_sequence: `delivered` without an earlier `loaded`; or any scan after a `delivered` or
//    `returned` one except `returned` (a parcel may come back to the depot after a failed delivery).
// In that order, each at most once.
std::vector<ScanWarning> scan_warnings(ScanKind kind, std::span<const ScanKind> earlier,
                                       std::optional<bool> on_drivers_route);

// A shipment as missing-scan detection needs it.
struct ShipmentScans {
  core::ShipmentId shipment_id;
  Milestone status = Milestone::kCreated;
  std::vector<Parcel> parcels;
  std::vector<Scan> scans;  // every scan of the shipment, any order
};

struct MissingScans {
  core::ShipmentId shipment_id;
  std::vector<std::string> barcodes;  // in parcel order
};

// The delivered shipments (of a completed stop) that have a parcel with neither a `loaded` nor a
// `delivered` scan, with those parcels' barcodes. Shipments not delivered are skipped (their
// parcels are still with the driver or back at the depot). Input order is kept.
std::vector<MissingScans> find_missing_scans(std::span<const ShipmentScans> shipments);

// Limits of POST /v1/scans.
inline constexpr size_t kMaxScanIdChars = 64;
inline constexpr size_t kMaxBarcodeChars = 128;

}  // namespace lastmile::domain
