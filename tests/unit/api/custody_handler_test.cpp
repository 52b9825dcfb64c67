// POST /v1/scans and GET /v1/shipments/{id}/custody through the real router and an in-memory store:
// the error paths a driver app meets (other tenant, other driver's route, unknown carrier, replay).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <memory>
#include <string>

#include "api/auth.hpp"
#include "api/router.hpp"
#include "api/routes_table.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

constexpr int64_t kNowMs = 1'795'000'000'000;
constexpr const char* kRootToken = "root-token-for-custody-tests";

class CustodyHandlerTest : public ::testing::Test {
 protected:
  CustodyHandlerTest()
      : store_(storage::open_store("sqlite::memory:", {})),
        clock_(core::Timestamp{kNowMs}),
        services_{*store_, clock_, metrics_, "http://test"},
        router_(route_table(), services_) {
    EXPECT_TRUE(store_->create_credential(root_credential(kRootToken, clock_.now())).ok());
  }

  Response call(http::verb method, std::string target, const std::string& token, std::string body = "") {
    Request req{method, target, 11};
    req.set(http::field::content_type, "application/json");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    req.body() = std::move(body);
    req.prepare_payload();
    return router_.handle(req);
  }

  json::object created(http::verb method, std::string target, const std::string& token, std::string body) {
    auto r = call(method, std::move(target), token, std::move(body));
    EXPECT_EQ(r.result_int(), 201) << r.body();
    return json::parse(r.body()).as_object();
  }

  std::string str(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

  // A tenant with a driver on a route carrying one shipment (parcel `barcode`), and another driver.
  struct Fleet {
    std::string key, driver_token, other_token, shipment_id, route_id, other_route_id;
  };
  Fleet fleet(const std::string& barcode) {
    Fleet f;
    auto t = created(http::verb::post, "/v1/tenants", kRootToken, R"({"name":"T )" + barcode + R"("})");
    f.key = str(t, "api_key");
    auto d = created(http::verb::post, "/v1/drivers", f.key, R"({"name":"Luca Rossi"})");
    auto o = created(http::verb::post, "/v1/drivers", f.key, R"({"name":"Olga Other"})");
    f.driver_token = str(d, "device_token");
    f.other_token = str(o, "device_token");
    auto s = created(http::verb::post, "/v1/shipments", f.key,
                     R"({"recipient":{"name":"Marie Dupont"},"address":{"line1":"1 Rue","lat":43.7,"lon":7.4},)"
                     R"("parcels":[{"barcode":")" + barcode + R"(","weight_kg":1}]})");
    f.shipment_id = str(s, "id");
    auto other_shipment = created(http::verb::post, "/v1/shipments", f.key,
                                  R"({"recipient":{"name":"Paul"},"address":{"line1":"2 Rue"}})");
    auto route = [&](const json::object& driver, const std::string& shipment) {
      return str(created(http::verb::post, "/v1/routes", f.key,
                         R"({"driver_id":")" + str(driver, "id") + R"(","date":"2026-11-30",)"
                         R"("depot":{"lat":43.7,"lon":7.4},"stops":[{"shipment_ids":[")" + shipment + R"("]}]})"),
                 "id");
    };
    f.route_id = route(d, f.shipment_id);
    f.other_route_id = route(o, str(other_shipment, "id"));
    return f;
  }

  static std::string scan(const std::string& id, const std::string& barcode, const std::string& kind = "loaded",
                          const std::string& extra = "") {
    return R"({"id":")" + id + R"(","barcode":")" + barcode + R"(","kind":")" + kind +
           R"(","at":"2026-11-18T08:00:00Z")" + extra + "}";
  }

  static std::string error_code(const Response& r) {
    return std::string(json::parse(r.body()).at("error").at("code").as_string());
  }

  std::unique_ptr<storage::Store> store_;
  core::ManualClock clock_;
  Metrics metrics_;
  Services services_;
  Router router_;
};

TEST_F(CustodyHandlerTest, AnotherTenantsBarcodeIsAnUnknownParcel) {
  auto mine = fleet("MINE-1");
  auto theirs = fleet("THEIRS-1");
  auto r = call(http::verb::post, "/v1/scans", theirs.driver_token, scan("s1", "MINE-1"));
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(error_code(r), "unknown_parcel");
  auto c = call(http::verb::get, "/v1/shipments/" + mine.shipment_id + "/custody", theirs.key);
  EXPECT_EQ(c.result_int(), 404);
}

TEST_F(CustodyHandlerTest, AnotherDriversParcelIsAWarningAndTheirRouteIsNotFound) {
  auto f = fleet("P-1");
  auto r = call(http::verb::post, "/v1/scans", f.other_token, scan("s1", "P-1"));
  ASSERT_EQ(r.result_int(), 201) << r.body();
  auto warnings = json::parse(r.body()).at("warnings").as_array();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].at("code").as_string(), "wrong_route");
  auto named = call(http::verb::post, "/v1/scans", f.driver_token,
                    scan("s2", "P-1", "loaded", R"(,"route_id":")" + f.other_route_id + "\""));
  EXPECT_EQ(named.result_int(), 404);
  EXPECT_EQ(json::parse(named.body()).at("error").at("field").as_string(), "route_id");
  // The other driver cannot read this shipment's custody log.
  EXPECT_EQ(call(http::verb::get, "/v1/shipments/" + f.shipment_id + "/custody", f.other_token).result_int(), 404);
  EXPECT_EQ(call(http::verb::get, "/v1/shipments/" + f.shipment_id + "/custody", f.driver_token).result_int(), 200);
}

TEST_F(CustodyHandlerTest, ReplayIsTheFirstAnswerAndAChangedBodyIsAMismatch) {
  auto f = fleet("P-2");
  auto first = call(http::verb::post, "/v1/scans", f.driver_token, scan("s1", "P-2"));
  ASSERT_EQ(first.result_int(), 201);
  auto again = call(http::verb::post, "/v1/scans", f.driver_token, scan("s1", "P-2"));
  EXPECT_EQ(again.result_int(), 200);
  EXPECT_EQ(again.body(), first.body());
  auto changed = call(http::verb::post, "/v1/scans", f.driver_token, scan("s1", "P-2", "delivered"));
  EXPECT_EQ(changed.result_int(), 409);
  EXPECT_EQ(error_code(changed), "idempotency_mismatch");
  auto log = call(http::verb::get, "/v1/shipments/" + f.shipment_id + "/custody", f.key);
  EXPECT_EQ(json::parse(log.body()).at("items").as_array().size(), 1u);
}

TEST_F(CustodyHandlerTest, HandoffToAnUnknownCarrierAndAFutureScanAreRefused) {
  auto f = fleet("P-3");
  auto r = call(http::verb::post, "/v1/scans", f.driver_token,
                scan("s1", "P-3", "handoff", R"(,"to_carrier_id":"car_nope")"));
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(json::parse(r.body()).at("error").at("field").as_string(), "to_carrier_id");
  auto future = call(http::verb::post, "/v1/scans", f.driver_token,
                     R"({"id":"s2","barcode":"P-3","kind":"loaded","at":"2030-01-01T00:00:00Z"})");
  EXPECT_EQ(future.result_int(), 400);
  EXPECT_EQ(error_code(future), "invalid_field");
}

TEST_F(CustodyHandlerTest, SignInCodeWorksOnceAndOnlyForStaff) {
  auto f = fleet("P-4");
  auto drivers = call(http::verb::get, "/v1/drivers", f.key);
  auto driver_id = std::string(json::parse(drivers.body()).at("items").as_array()[0].at("id").as_string());
  EXPECT_EQ(call(http::verb::post, "/v1/drivers/" + driver_id + "/login-links", f.driver_token).result_int(), 403);
  auto link = created(http::verb::post, "/v1/drivers/" + driver_id + "/login-links", f.key, "");
  EXPECT_EQ(str(link, "url"), "http://test/driver#code=" + str(link, "code"));
  const std::string body = R"({"code":")" + str(link, "code") + "\"}";
  EXPECT_EQ(call(http::verb::post, "/v1/driver/session", "", body).result_int(), 201);
  auto second = call(http::verb::post, "/v1/driver/session", "", body);
  EXPECT_EQ(second.result_int(), 401);
  EXPECT_EQ(error_code(second), "invalid_code");
}

}  // namespace
}  // namespace lastmile::api
