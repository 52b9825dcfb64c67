#pragma once
// Helpers for the storage tests. The tests talk to the Store interface only, through open_store,
// so every backend runs the same suite: set LASTMILE_TEST_STORE_URL to run it against another
// database (default "sqlite::memory:", a fresh private database per store), or
// LASTMILE_TEST_STORE_URL_FILE to a file holding it (the ctest fixture of tests/integration/
// pg_cluster.py writes a PostgreSQL URL there). On PostgreSQL every store gets a fresh schema of
// that database (`?schema=t_<random>`), the counterpart of a fresh memory database.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/new_id.hpp"
#include "storage/store.hpp"

namespace lastmile::storage::testing {

using core::ErrorCode;

inline std::string test_store_url() {
  if (const char* file = std::getenv("LASTMILE_TEST_STORE_URL_FILE"); file && *file) {
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    if (!url.empty()) return url;
  }
  const char* url = std::getenv("LASTMILE_TEST_STORE_URL");
  return url && *url ? url : "sqlite::memory:";
}

inline bool testing_postgres() { return test_store_url().rfind("postgres", 0) == 0; }

// The URL of a fresh database for one store: on PostgreSQL a new schema.
inline std::string fresh_store_url() {
  std::string url = test_store_url();
  if (!testing_postgres()) return url;
  const std::string schema = "t_" + core::random_alnum(16);  // [a-z0-9]: a plain identifier
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

inline std::unique_ptr<Store> open_test_store(StoreOptions options = {}) {
  return open_store(fresh_store_url(), std::move(options));
}

// ---- assertions -------------------------------------------------------------------------------

inline std::string describe(const core::Error& e) {
  return std::string(core::code_name(e.code)) + " '" + e.message + "' field='" + e.field + "'";
}

inline ::testing::AssertionResult is_ok(const core::Status& st) {
  if (st.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(st.error());
}

template <typename T>
::testing::AssertionResult is_ok(const core::Result<T>& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(r.error());
}

// The failure must have exactly this code and field.
template <typename R>
::testing::AssertionResult fails_with(const R& r, ErrorCode code, std::string_view field = "") {
  if (r.ok()) return ::testing::AssertionFailure() << "succeeded; expected " << core::code_name(code);
  const core::Error& e = r.error();
  if (e.code != code || e.field != field)
    return ::testing::AssertionFailure() << "got " << describe(e) << "; expected " << core::code_name(code)
                                         << " field='" << field << "'";
  return ::testing::AssertionSuccess();
}

#define ASSERT_OK(expr) ASSERT_TRUE(::lastmile::storage::testing::is_ok(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::lastmile::storage::testing::is_ok(expr))

// ---- builders -----------------------------------------------------------------------------------

inline constexpr core::Timestamp kT0{1'790'000'000'000};

inline core::Timestamp at(int64_t seconds_after_t0) { return {kT0.ms + seconds_after_t0 * 1000}; }

inline core::LatLon latlon(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

inline domain::Credential make_credential(std::optional<core::TenantId> tenant, domain::Role role) {
  domain::Credential c;
  c.id = core::new_id<core::ApiKeyId>();
  c.tenant_id = std::move(tenant);
  c.role = role;
  c.name = std::string(domain::role_name(role)) + " key";
  c.prefix = core::random_alnum(12);
  c.secret_hash = core::sha256_hex(c.prefix);
  c.created_at = kT0;
  return c;
}

inline domain::Tenant make_tenant(std::string name) {
  domain::Tenant t;
  t.id = core::new_id<core::TenantId>();
  t.name = std::move(name);
  t.brand_color = "#0a7d5a";
  t.show_driver_within_stops = 2;
  t.created_at = kT0;
  return t;
}

inline domain::Carrier make_carrier(const core::TenantId& tenant, std::string code) {
  domain::Carrier c;
  c.id = core::new_id<core::CarrierId>();
  c.tenant_id = tenant;
  c.name = "Carrier " + code;
  c.code = std::move(code);
  c.contact_email = "ops@carrier.example";
  c.contact_phone = "+37799000000";
  c.created_at = kT0;
  return c;
}

inline domain::Vehicle make_vehicle(const core::TenantId& tenant) {
  domain::Vehicle v;
  v.id = core::new_id<core::VehicleId>();
  v.tenant_id = tenant;
  v.plate = "MC-" + core::random_digits(4);
  v.kind = "van";
  v.capacity_kg = 800.5;
  v.capacity_m3 = 6.25;
  v.created_at = kT0;
  return v;
}

inline domain::Driver make_driver(const core::TenantId& tenant, std::string device_id = "") {
  domain::Driver d;
  d.id = core::new_id<core::DriverId>();
  d.tenant_id = tenant;
  d.name = "Luca Rossi";
  d.phone = "+37761234567";
  d.email = "luca@example.com";
  d.device_id = device_id.empty() ? core::random_digits(12) : std::move(device_id);
  d.created_at = kT0;
  return d;
}

inline domain::Credential device_token_for(const domain::Driver& d) {
  auto c = make_credential(d.tenant_id, domain::Role::kDriver);
  c.driver_id = d.id;
  c.carrier_id = d.carrier_id;
  return c;
}

inline std::string new_tracking_number() { return "LM" + core::random_digits(11); }

inline domain::Shipment make_shipment(const core::TenantId& tenant, core::Timestamp created = kT0) {
  domain::Shipment s;
  s.id = core::new_id<core::ShipmentId>();
  s.tenant_id = tenant;
  s.tracking_number = new_tracking_number();
  s.tracking_token = core::random_token(16);
  s.recipient = {"Marie Dupont", "+33612345678", "marie@example.com", "Europe/Monaco"};
  s.address = {"12 Avenue de la Costa", "", "Monaco", "98000", "MC", latlon(43.7384, 7.4246)};
  s.service_level = "standard";
  s.created_at = s.updated_at = created;
  return s;
}

inline domain::Event make_event(const domain::Shipment& s, std::optional<domain::Milestone> m,
                                core::Timestamp when = kT0) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = s.tenant_id;
  e.shipment_id = s.id;
  e.type = m ? std::string(domain::milestone_name(*m)) : "note_added";
  e.milestone = m;
  e.at = e.recorded_at = when;
  e.actor = "system";
  e.source = "api";
  e.payload_json = "{}";
  return e;
}

inline domain::Event created_event(const domain::Shipment& s) {
  return make_event(s, domain::Milestone::kCreated, s.created_at);
}

inline domain::Stop make_stop(std::vector<core::ShipmentId> shipments, int sequence) {
  domain::Stop st;
  st.id = core::new_id<core::StopId>();
  st.sequence = sequence;
  st.shipment_ids = std::move(shipments);
  st.service_s = 120;
  return st;
}

inline domain::Route make_route(const core::TenantId& tenant, const core::DriverId& driver,
                                std::vector<std::vector<core::ShipmentId>> stops, std::string date = "2026-11-23") {
  domain::Route r;
  r.id = core::new_id<core::RouteId>();
  r.tenant_id = tenant;
  r.driver_id = driver;
  r.date = std::move(date);
  r.depot = latlon(43.7350, 7.4210);
  for (size_t i = 0; i < stops.size(); ++i) r.stops.push_back(make_stop(std::move(stops[i]), static_cast<int>(i)));
  r.created_at = kT0;
  return r;
}

inline IdempotencyRecord make_idempotency(std::string key, std::string scope, std::string body = "{}") {
  return IdempotencyRecord{std::move(key), std::move(scope), core::sha256_hex(body), 201, std::move(body)};
}

// ---- a fixture with a fresh store and shortcuts that assert success -----------------------------

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open_test_store(options()); }

  // Overridden by fixtures that observe commits or timings.
  virtual StoreOptions options() { return {}; }

  core::TenantId add_tenant(std::string name = "") {
    if (name.empty()) name = "Tenant " + core::random_alnum(8);
    auto t = make_tenant(std::move(name));
    EXPECT_OK(store_->create_tenant(t, make_credential(t.id, domain::Role::kTenantAdmin)));
    return t.id;
  }

  domain::Carrier add_carrier(const core::TenantId& tenant, std::string code = "") {
    auto c = make_carrier(tenant, code.empty() ? core::random_alnum(6) : std::move(code));
    EXPECT_OK(store_->create_carrier(c, nullptr));
    return c;
  }

  domain::Driver add_driver(const core::TenantId& tenant, std::optional<core::CarrierId> carrier = std::nullopt) {
    auto d = make_driver(tenant);
    d.carrier_id = std::move(carrier);
    EXPECT_OK(store_->create_driver(d, device_token_for(d), nullptr));
    return d;
  }

  domain::Shipment add_shipment(domain::Shipment s) {
    EXPECT_OK(store_->create_shipment(s, created_event(s), nullptr));
    return s;
  }
  domain::Shipment add_shipment(const core::TenantId& tenant, core::Timestamp created = kT0) {
    return add_shipment(make_shipment(tenant, created));
  }

  domain::Route add_route(const core::TenantId& tenant, const core::DriverId& driver,
                          std::vector<std::vector<core::ShipmentId>> stops) {
    auto r = make_route(tenant, driver, std::move(stops));
    EXPECT_OK(store_->create_route(r, nullptr));
    return r;
  }

  std::unique_ptr<Store> store_;
};

// Reads every page of a list (`list(PageRequest)` → Result<Page<T>>) with page size `limit`;
// returns the pages in order.
template <typename T, typename ListFn>
std::vector<Page<T>> all_pages(ListFn list, int limit) {
  std::vector<Page<T>> pages;
  PageRequest req{limit, std::nullopt};
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = list(req);
    EXPECT_TRUE(is_ok(page));
    if (!page) break;
    pages.push_back(*page);
    if (!page->next_before) break;
    req.before_seq = page->next_before;
  }
  return pages;
}

// A directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("lastmile-storage-test-" + core::random_alnum(10) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace lastmile::storage::testing
