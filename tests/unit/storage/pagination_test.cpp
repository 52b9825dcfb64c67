// Keyset pagination: newest first, cursors, no duplicates or gaps, for every list.
#include <algorithm>
#include <set>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

class PaginationTest : public StoreTest {
 protected:
  // Checks that `pages` (from all_pages) hold exactly `expected_newest_first`, split into pages of
  // `limit`, each but the last with a cursor.
  template <typename T, typename IdT>
  void expect_pages(const std::vector<Page<T>>& pages, const std::vector<IdT>& expected_newest_first, size_t limit) {
    std::vector<IdT> seen;
    std::set<int64_t> seqs;
    for (size_t p = 0; p < pages.size(); ++p) {
      const bool last = p + 1 == pages.size();
      EXPECT_EQ(pages[p].next_before.has_value(), !last) << "page " << p;
      if (!last) {
        EXPECT_EQ(pages[p].items.size(), limit) << "page " << p;
      }
      for (const auto& item : pages[p].items) {
        seen.push_back(item.id);
        EXPECT_TRUE(seqs.insert(item.seq).second) << "duplicate seq " << item.seq;
      }
      if (!last) {
        EXPECT_EQ(*pages[p].next_before, pages[p].items.back().seq);
      }
    }
    EXPECT_EQ(seen, expected_newest_first);
  }

  template <typename IdT>
  static std::vector<IdT> reversed(std::vector<IdT> ids) {
    std::reverse(ids.begin(), ids.end());
    return ids;
  }
};

TEST_F(PaginationTest, ShipmentsInThreePages) {
  auto tenant = add_tenant();
  add_shipment(add_tenant());  // another tenant's rows interleave
  std::vector<core::ShipmentId> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(add_shipment(tenant).id);
    add_shipment(add_tenant());
  }
  auto pages = all_pages<domain::Shipment>(
      [&](const PageRequest& p) { return store_->list_shipments(tenant, {}, p); }, 3);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[2].items.size(), 1u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, ExactMultipleEndsWithoutAnEmptyPage) {
  auto tenant = add_tenant();
  std::vector<core::ShipmentId> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(add_shipment(tenant).id);
  auto pages = all_pages<domain::Shipment>(
      [&](const PageRequest& p) { return store_->list_shipments(tenant, {}, p); }, 3);
  ASSERT_EQ(pages.size(), 2u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, FilteredShipmentsPageWithinTheFilter) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant);
  std::vector<core::ShipmentId> ids;
  for (int i = 0; i < 7; ++i) {
    auto s = make_shipment(tenant);
    s.carrier_id = carrier.id;
    ids.push_back(add_shipment(s).id);
    add_shipment(tenant);  // not this carrier's
  }
  ShipmentFilter f;
  f.carrier_id = carrier.id;
  auto pages = all_pages<domain::Shipment>(
      [&](const PageRequest& p) { return store_->list_shipments(tenant, f, p); }, 3);
  ASSERT_EQ(pages.size(), 3u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, EmptyListHasNoCursor) {
  auto page = store_->list_shipments(add_tenant(), {}, {50, std::nullopt});
  ASSERT_OK(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->next_before.has_value());
}

TEST_F(PaginationTest, Tenants) {
  std::vector<core::TenantId> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(add_tenant());
  auto pages = all_pages<domain::Tenant>([&](const PageRequest& p) { return store_->list_tenants(p); }, 3);
  ASSERT_EQ(pages.size(), 3u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, Credentials) {
  auto tenant = add_tenant();
  auto admin = store_->list_credentials(tenant, {1, std::nullopt});
  ASSERT_OK(admin);
  std::vector<core::ApiKeyId> ids{admin->items.at(0).id};
  for (int i = 0; i < 6; ++i) {
    auto c = make_credential(tenant, domain::Role::kDispatcher);
    ASSERT_OK(store_->create_credential(c));
    ids.push_back(c.id);
  }
  auto pages = all_pages<domain::Credential>(
      [&](const PageRequest& p) { return store_->list_credentials(tenant, p); }, 3);
  ASSERT_EQ(pages.size(), 3u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, CarriersDriversVehicles) {
  auto tenant = add_tenant();
  std::vector<core::CarrierId> carriers;
  std::vector<core::DriverId> drivers;
  std::vector<core::VehicleId> vehicles;
  for (int i = 0; i < 7; ++i) {
    carriers.push_back(add_carrier(tenant).id);
    drivers.push_back(add_driver(tenant).id);
    auto v = make_vehicle(tenant);
    ASSERT_OK(store_->create_vehicle(v, nullptr));
    vehicles.push_back(v.id);
  }
  expect_pages(all_pages<domain::Carrier>([&](const PageRequest& p) { return store_->list_carriers(tenant, p); }, 3),
               reversed(carriers), 3);
  expect_pages(all_pages<domain::Driver>(
                   [&](const PageRequest& p) { return store_->list_drivers(tenant, std::nullopt, p); }, 3),
               reversed(drivers), 3);
  expect_pages(all_pages<domain::Vehicle>([&](const PageRequest& p) { return store_->list_vehicles(tenant, p); }, 3),
               reversed(vehicles), 3);
}

TEST_F(PaginationTest, Routes) {
  auto tenant = add_tenant();
  auto driver = add_driver(tenant);
  std::vector<core::RouteId> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(add_route(tenant, driver.id, {{add_shipment(tenant).id}}).id);
  auto pages = all_pages<domain::Route>(
      [&](const PageRequest& p) { return store_->list_routes(tenant, {}, p); }, 3);
  ASSERT_EQ(pages.size(), 3u);
  expect_pages(pages, reversed(ids), 3);
}

TEST_F(PaginationTest, RowsAddedWhilePagingDoNotShiftLaterPages) {
  auto tenant = add_tenant();
  std::vector<core::ShipmentId> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(add_shipment(tenant).id);
  auto first = store_->list_shipments(tenant, {}, {3, std::nullopt});
  ASSERT_OK(first);
  add_shipment(tenant);  // newer than everything: must not appear on the next page
  auto second = store_->list_shipments(tenant, {}, {3, first->next_before});
  ASSERT_OK(second);
  ASSERT_EQ(second->items.size(), 3u);
  EXPECT_EQ(second->items[0].id, ids[2]);
  EXPECT_EQ(second->items[2].id, ids[0]);
}

}  // namespace
}  // namespace lastmile::storage::testing
