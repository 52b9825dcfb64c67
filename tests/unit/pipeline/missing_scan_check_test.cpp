// Missing-scan detection wired to the store: a completed stop's delivered shipment with a parcel never
// scanned gets one missing_scan event, which opens a missing_scan case.
#include "pipeline/missing_scan_check.hpp"

#include <boost/json.hpp>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using domain::Milestone;
using storage::testing::at;
using storage::testing::StoreTest;

class MissingScanCheckTest : public StoreTest {
 protected:
  domain::Shipment delivered_with(const core::TenantId& tenant, std::vector<std::string> barcodes, bool delivered) {
    auto s = storage::testing::make_shipment(tenant);
    for (auto& b : barcodes) s.parcels.push_back(domain::Parcel{std::move(b), 1, ""});
    add_shipment(s);
    Milestone from = Milestone::kCreated;
    std::vector<Milestone> path = {Milestone::kOutForDelivery};
    if (delivered) path.push_back(Milestone::kDelivered);
    for (auto m : path) {
      EXPECT_TRUE(store_->append_event(storage::testing::make_event(s, m, at(10)), from).ok());
      from = m;
    }
    return s;
  }

  void scan(const domain::Shipment& s, int parcel, domain::ScanKind kind) {
    storage::StoredScan st;
    st.scan.id = core::random_alnum(12);
    st.scan.tenant_id = s.tenant_id;
    st.scan.shipment_id = s.id;
    st.scan.parcel_index = parcel;
    st.scan.barcode = s.parcels[parcel].barcode;
    st.scan.kind = kind;
    st.scan.at = st.scan.recorded_at = at(5);
    st.scan.actor = "key";
    auto e = storage::testing::make_event(s, std::nullopt, at(5));
    e.type = "scan";
    ASSERT_TRUE(store_->record_scan(st, e).ok());
  }
};

TEST_F(MissingScanCheckTest, OnlyTheDeliveredShipmentWithAnUnscannedParcelGetsAnEventAndACase) {
  auto tenant = add_tenant();
  auto missing = delivered_with(tenant, {"M-1", "M-2"}, true);
  auto complete = delivered_with(tenant, {"C-1"}, true);
  auto failed = delivered_with(tenant, {"F-1"}, false);
  scan(missing, 0, domain::ScanKind::kLoaded);
  scan(complete, 0, domain::ScanKind::kDelivered);
  storage::StopVisit visit{core::RouteId("rte_1"), core::StopId("stp_1"), std::nullopt, at(60), std::nullopt};

  auto stored = record_missing_scans(*store_, tenant, visit, {missing.id, complete.id, failed.id}, at(60), at(61));
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, 1);

  auto events = store_->list_events(tenant, missing.id);
  ASSERT_TRUE(events.ok());
  const auto& last = events->back();
  EXPECT_EQ(last.type, "missing_scan");
  EXPECT_FALSE(last.milestone);
  auto payload = boost::json::parse(last.payload_json).as_object();
  EXPECT_EQ(payload.at("barcodes").as_array(), (boost::json::array{"M-2"}));
  EXPECT_EQ(payload.at("stop_id").as_string(), "stp_1");

  storage::ExceptionFilter filter;
  filter.kind = domain::ExceptionKind::kMissingScan;
  auto cases = store_->list_exceptions(tenant, filter, storage::PageRequest{});
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->items.size(), 1u);
  EXPECT_EQ(cases->items[0].shipment_id, missing.id);
  EXPECT_EQ(cases->items[0].status, domain::ExceptionStatus::kOpen);
}

}  // namespace
}  // namespace lastmile::pipeline
