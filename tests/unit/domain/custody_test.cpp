// Chain of custody: scan kinds, the warnings a scan earns, and missing-scan detection.
#include "domain/custody.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

using K = ScanKind;
using W = ScanWarning;

std::vector<W> warnings(K kind, std::vector<K> earlier, std::optional<bool> on_route = true) {
  return scan_warnings(kind, earlier, on_route);
}

TEST(ScanKinds, NamesRoundTripAndUnknownIsRefused) {
  for (auto k : {K::kDcProcessed, K::kLoaded, K::kHandoff, K::kDelivered, K::kReturned})
    EXPECT_EQ(parse_scan_kind(scan_kind_name(k)), k);
  EXPECT_EQ(scan_kind_name(K::kDcProcessed), "dc_processed");
  EXPECT_FALSE(parse_scan_kind("Loaded"));
  EXPECT_FALSE(parse_scan_kind(""));
}

TEST(ScanWarnings, ANormalDayEarnsNone) {
  EXPECT_TRUE(warnings(K::kDcProcessed, {}).empty());
  EXPECT_TRUE(warnings(K::kLoaded, {K::kDcProcessed}).empty());
  EXPECT_TRUE(warnings(K::kDelivered, {K::kDcProcessed, K::kLoaded}).empty());
}

TEST(ScanWarnings, ParcelOnAnotherDriversRouteIsWrongRoute) {
  EXPECT_EQ(warnings(K::kLoaded, {}, false), std::vector<W>{W::kWrongRoute});
  EXPECT_TRUE(warnings(K::kLoaded, {}, std::nullopt).empty());  // office scan: nothing to compare
}

TEST(ScanWarnings, SameKindTwiceIsADuplicate) {
  EXPECT_EQ(warnings(K::kLoaded, {K::kLoaded}), std::vector<W>{W::kDuplicateScan});
}

TEST(ScanWarnings, DeliveredBeforeLoadedIsOutOfSequence) {
  EXPECT_EQ(warnings(K::kDelivered, {K::kDcProcessed}), std::vector<W>{W::kOutOfSequence});
}

TEST(ScanWarnings, AnythingButReturnedAfterDeliveryIsOutOfSequence) {
  EXPECT_EQ(warnings(K::kLoaded, {K::kLoaded, K::kDelivered}), (std::vector<W>{W::kDuplicateScan, W::kOutOfSequence}));
  EXPECT_EQ(warnings(K::kHandoff, {K::kReturned}), std::vector<W>{W::kOutOfSequence});
  EXPECT_TRUE(warnings(K::kReturned, {K::kLoaded, K::kDelivered}).empty());
}

TEST(ScanWarnings, AllThreeAtOnceInOrder) {
  EXPECT_EQ(warnings(K::kDelivered, {K::kDelivered}, false),
            (std::vector<W>{W::kWrongRoute, W::kDuplicateScan, W::kOutOfSequence}));
  for (auto w : {W::kWrongRoute, W::kDuplicateScan, W::kOutOfSequence}) EXPECT_FALSE(scan_warning_message(w).empty());
}

Scan scan_of(int parcel, K kind) {
  Scan s;
  s.parcel_index = parcel;
  s.kind = kind;
  return s;
}

ShipmentScans shipment(std::string id, Milestone status, std::vector<std::string> barcodes, std::vector<Scan> scans) {
  ShipmentScans s;
  s.shipment_id = core::ShipmentId(std::move(id));
  s.status = status;
  for (auto& b : barcodes) s.parcels.push_back(Parcel{std::move(b), 1.0, ""});
  s.scans = std::move(scans);
  return s;
}

TEST(MissingScans, DeliveredParcelNeverScannedIsReported) {
  std::vector<ShipmentScans> in = {shipment("shp_a", Milestone::kDelivered, {"A1", "A2"}, {scan_of(0, K::kLoaded)})};
  auto found = find_missing_scans(in);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].shipment_id.str(), "shp_a");
  EXPECT_EQ(found[0].barcodes, std::vector<std::string>{"A2"});
}

TEST(MissingScans, LoadedOrDeliveredScanIsEnough) {
  std::vector<ShipmentScans> in = {
      shipment("shp_a", Milestone::kDelivered, {"A1", "A2"}, {scan_of(0, K::kLoaded), scan_of(1, K::kDelivered)})};
  EXPECT_TRUE(find_missing_scans(in).empty());
}

TEST(MissingScans, OtherKindsDoNotCount) {
  std::vector<ShipmentScans> in = {
      shipment("shp_a", Milestone::kDelivered, {"A1"}, {scan_of(0, K::kDcProcessed), scan_of(0, K::kHandoff)})};
  ASSERT_EQ(find_missing_scans(in).size(), 1u);
}

TEST(MissingScans, ShipmentsNotDeliveredAreSkipped) {
  std::vector<ShipmentScans> in = {shipment("shp_a", Milestone::kAttemptFailed, {"A1"}, {}),
                                   shipment("shp_b", Milestone::kDelivered, {"B1"}, {}),
                                   shipment("shp_c", Milestone::kDelivered, {}, {})};
  auto found = find_missing_scans(in);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].shipment_id.str(), "shp_b");
}

}  // namespace
}  // namespace lastmile::domain
