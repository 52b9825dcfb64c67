#include "domain/custody.hpp"

#include <algorithm>
#include <array>

namespace lastmile::domain {
namespace {

constexpr std::array kAllScanKinds = {ScanKind::kDcProcessed, ScanKind::kLoaded, ScanKind::kHandoff,
                                      ScanKind::kDelivered, ScanKind::kReturned};

bool contains(std::span<const ScanKind> kinds, ScanKind k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

}  // namespace

std::string_view scan_kind_name(ScanKind k) {
  switch (k) {
    case ScanKind::kDcProcessed: return "dc_processed";
    case ScanKind::kLoaded: return "loaded";
    case ScanKind::kHandoff: return "handoff";
    case ScanKind::kDelivered: return "delivered";
    case ScanKind::kReturned: return "returned";
  }
  return "loaded";
}

std::optional<ScanKind> parse_scan_kind(std::string_view name) {
  for (ScanKind k : kAllScanKinds)
    if (scan_kind_name(k) == name) return k;
  return std::nullopt;
}

std::string_view scan_warning_name(ScanWarning w) {
  switch (w) {
    case ScanWarning::kWrongRoute: return "wrong_route";
    case ScanWarning::kDuplicateScan: return "duplicate_scan";
    case ScanWarning::kOutOfSequence: return "out_of_sequence";
  }
  return "out_of_sequence";
}

std::string_view scan_warning_message(ScanWarning w) {
  switch (w) {
    case ScanWarning::kWrongRoute: return "this parcel's shipment is not on the driver's route";
    case ScanWarning::kDuplicateScan: return "this parcel was already scanned with this kind";
    case ScanWarning::kOutOfSequence: return "this scan does not follow the parcel's earlier scans";
  }
  return "";
}

std::vector<ScanWarning> scan_warnings(ScanKind kind, std::span<const ScanKind> earlier,
                                       std::optional<bool> on_drivers_route) {
  std::vector<ScanWarning> out;
  if (on_drivers_route && !*on_drivers_route) out.push_back(ScanWarning::kWrongRoute);
  if (contains(earlier, kind)) out.push_back(ScanWarning::kDuplicateScan);
  const bool finished = contains(earlier, ScanKind::kDelivered) || contains(earlier, ScanKind::kReturned);
  const bool delivered_unloaded = kind == ScanKind::kDelivered && !contains(earlier, ScanKind::kLoaded);
  if ((finished && kind != ScanKind::kReturned) || delivered_unloaded) out.push_back(ScanWarning::kOutOfSequence);
  return out;
}

std::vector<MissingScans> find_missing_scans(std::span<const ShipmentScans> shipments) {
  std::vector<MissingScans> out;
  for (const auto& s : shipments) {
    if (s.status != Milestone::kDelivered) continue;
    MissingScans m{s.shipment_id, {}};
    for (size_t i = 0; i < s.parcels.size(); ++i) {
      const bool seen = std::any_of(s.scans.begin(), s.scans.end(), [&](const Scan& scan) {
        return scan.parcel_index == static_cast<int>(i) &&
               (scan.kind == ScanKind::kLoaded || scan.kind == ScanKind::kDelivered);
      });
      if (!seen) m.barcodes.push_back(s.parcels[i].barcode);
    }
    if (!m.barcodes.empty()) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace lastmile::domain
