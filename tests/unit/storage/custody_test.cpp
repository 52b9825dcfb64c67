// Chain of custody and sign-in links in the store: barcode lookup, append-only scans with their
// event, single-use links.
#include <thread>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;
using domain::ScanKind;

class CustodyStoreTest : public StoreTest {
 protected:
  domain::Shipment shipment_with_parcels(const core::TenantId& tenant, std::vector<std::string> barcodes) {
    auto s = make_shipment(tenant);
    for (auto& b : barcodes) s.parcels.push_back(domain::Parcel{std::move(b), 1.5, "box"});
    return add_shipment(s);
  }

  StoredScan scan(const domain::Shipment& s, std::string id, int parcel, ScanKind kind) {
    StoredScan out;
    out.scan.id = std::move(id);
    out.scan.tenant_id = s.tenant_id;
    out.scan.shipment_id = s.id;
    out.scan.parcel_index = parcel;
    out.scan.barcode = s.parcels.at(parcel).barcode;
    out.scan.kind = kind;
    out.scan.at = out.scan.recorded_at = at(60);
    out.scan.actor = "key_1";
    out.scan.location = latlon(43.73, 7.42);
    out.scan.accuracy_m = 6;
    out.scan.warnings = {domain::ScanWarning::kDuplicateScan};
    out.request_hash = "hash-" + out.scan.id;
    out.response = R"({"id":")" + out.scan.id + "\"}";
    return out;
  }

  domain::Event scan_event(const domain::Shipment& s) {
    auto e = make_event(s, std::nullopt, at(60));
    e.type = "scan";
    return e;
  }
};

TEST_F(CustodyStoreTest, BarcodeIsFoundWithinItsTenantOnly) {
  auto t1 = add_tenant();
  auto t2 = add_tenant();
  auto s = shipment_with_parcels(t1, {"A-1", "A-2"});
  auto ref = store_->find_parcel_by_barcode(t1, "A-2");
  ASSERT_OK(ref);
  EXPECT_EQ(ref->shipment_id, s.id);
  EXPECT_EQ(ref->parcel_index, 1);
  EXPECT_TRUE(fails_with(store_->find_parcel_by_barcode(t2, "A-2"), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->find_parcel_by_barcode(t1, "nope"), ErrorCode::kNotFound));
}

TEST_F(CustodyStoreTest, ScanIsStoredWithItsEventAndReadBack) {
  auto t = add_tenant();
  auto s = shipment_with_parcels(t, {"A-1"});
  auto stored = store_->record_scan(scan(s, "c-1", 0, ScanKind::kLoaded), scan_event(s));
  ASSERT_OK(stored);
  EXPECT_EQ(stored->type, "scan");
  EXPECT_FALSE(stored->milestone);
  auto scans = store_->list_scans(t, s.id);
  ASSERT_OK(scans);
  ASSERT_EQ(scans->size(), 1u);
  EXPECT_EQ((*scans)[0].kind, ScanKind::kLoaded);
  EXPECT_EQ((*scans)[0].barcode, "A-1");
  EXPECT_EQ((*scans)[0].accuracy_m, 6);
  EXPECT_EQ((*scans)[0].warnings, std::vector<domain::ScanWarning>{domain::ScanWarning::kDuplicateScan});
  auto found = store_->find_scan(t, "c-1");
  ASSERT_OK(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->request_hash, "hash-c-1");
  auto events = store_->list_events(t, s.id);
  ASSERT_OK(events);
  EXPECT_EQ(events->back().type, "scan");
  EXPECT_EQ(store_->get_shipment(t, s.id)->status, Milestone::kCreated);  // no milestone change
}

TEST_F(CustodyStoreTest, SameScanIdTwiceStoresNothingNew) {
  auto t = add_tenant();
  auto s = shipment_with_parcels(t, {"A-1"});
  ASSERT_OK(store_->record_scan(scan(s, "c-1", 0, ScanKind::kLoaded), scan_event(s)));
  EXPECT_TRUE(fails_with(store_->record_scan(scan(s, "c-1", 0, ScanKind::kDelivered), scan_event(s)),
                         ErrorCode::kIdempotencyConflict, "id"));
  EXPECT_EQ(store_->list_scans(t, s.id)->size(), 1u);
  EXPECT_EQ(store_->list_events(t, s.id)->size(), 2u);  // created + one scan
}

TEST_F(CustodyStoreTest, ScansOfAnotherTenantAreNotSeen) {
  auto t1 = add_tenant();
  auto t2 = add_tenant();
  auto s = shipment_with_parcels(t1, {"A-1"});
  ASSERT_OK(store_->record_scan(scan(s, "c-1", 0, ScanKind::kLoaded), scan_event(s)));
  EXPECT_FALSE(*store_->find_scan(t2, "c-1"));
  EXPECT_TRUE(fails_with(store_->list_scans(t2, s.id), ErrorCode::kNotFound));
}

class LoginLinkTest : public StoreTest {
 protected:
  LoginLink link(const domain::Driver& d, std::string hash, core::Timestamp expires) {
    return LoginLink{std::move(hash), d.tenant_id, d.id, "key_1", kT0, expires};
  }
  domain::Credential session(const domain::Driver& d) { return make_credential(std::nullopt, domain::Role::kDriver); }
};

TEST_F(LoginLinkTest, RedeemedOnceCreatesADriverCredential) {
  auto t = add_tenant();
  auto d = add_driver(t);
  ASSERT_OK(store_->create_login_link(link(d, "h1", at(3600))));
  auto c = session(d);
  auto got = store_->redeem_login_link("h1", at(10), c);
  ASSERT_OK(got);
  EXPECT_EQ(got->id, d.id);
  auto cred = store_->find_credential(c.prefix);
  ASSERT_OK(cred);
  ASSERT_TRUE(*cred);
  EXPECT_EQ((*cred)->driver_id, d.id);
  EXPECT_EQ((*cred)->tenant_id, t);
  EXPECT_TRUE(fails_with(store_->redeem_login_link("h1", at(20), session(d)), ErrorCode::kInvalidCode, "code"));
}

TEST_F(LoginLinkTest, ExpiredUnknownAndShutOutAreOneAnswer) {
  auto t = add_tenant();
  auto d = add_driver(t);
  ASSERT_OK(store_->create_login_link(link(d, "h1", at(100))));
  EXPECT_TRUE(fails_with(store_->redeem_login_link("h1", at(100), session(d)), ErrorCode::kInvalidCode, "code"));
  EXPECT_TRUE(fails_with(store_->redeem_login_link("zz", at(1), session(d)), ErrorCode::kInvalidCode, "code"));
  // Every credential of the driver revoked: the driver is shut out, the link does not work.
  auto creds = store_->list_credentials(t, PageRequest{});
  ASSERT_OK(creds);
  for (const auto& c : creds->items) {
    if (c.driver_id == d.id) {
      ASSERT_OK(store_->revoke_credential(t, c.id));
    }
  }
  ASSERT_OK(store_->create_login_link(link(d, "h2", at(3600))));
  EXPECT_TRUE(fails_with(store_->redeem_login_link("h2", at(1), session(d)), ErrorCode::kInvalidCode, "code"));
}

TEST_F(LoginLinkTest, UnknownDriverIsRefused) {
  auto t = add_tenant();
  auto other = add_tenant();
  auto d = add_driver(other);
  auto l = link(d, "h1", at(100));
  l.tenant_id = t;
  EXPECT_TRUE(fails_with(store_->create_login_link(l), ErrorCode::kNotFound, "driver_id"));
}

TEST_F(LoginLinkTest, ConcurrentRedeemsGiveOneSuccess) {
  auto t = add_tenant();
  auto d = add_driver(t);
  ASSERT_OK(store_->create_login_link(link(d, "h1", at(3600))));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (store_->redeem_login_link("h1", at(1), session(d))) ++ok;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
}

}  // namespace
}  // namespace lastmile::storage::testing
