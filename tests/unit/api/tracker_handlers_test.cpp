// The tracker protocol handlers through their real routers, with a real SQLite store, pipeline and
// device directory: the OsmAnd / Traccar Client listener (any method, any path, query / form / JSON)
// and OwnTracks over HTTP — what is stored, what each refusal answers, and what is counted.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <memory>
#include <string>

#include "api/auth.hpp"
#include "api/handlers/tracker_common.hpp"
#include "api/osmand_routes.hpp"
#include "api/router.hpp"
#include "api/routes_table.hpp"
#include "core/crypto.hpp"
#include "pipeline/device_directory.hpp"
#include "pipeline/ingest_pipeline.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

constexpr int64_t kNowMs = 1'795'000'000'000;
const std::string kFixSeconds = std::to_string(kNowMs / 1000 - 60);  // a minute before "now"

pipeline::PipelineOptions one_shard() {
  pipeline::PipelineOptions o;
  o.shards = 1;
  return o;
}

class TrackerHandlersTest : public ::testing::Test {
 protected:
  TrackerHandlersTest()
      : store_(storage::open_store("sqlite::memory:", {})),
        clock_(core::Timestamp{kNowMs}),
        pipeline_(*store_, clock_, one_shard(), {}),
        devices_(*store_, clock_),
        services_{*store_, clock_, metrics_, "http://test", nullptr, &pipeline_, &devices_},
        router_(route_table(), services_),
        osmand_(osmand_route_table(), services_) {
    EXPECT_TRUE(store_->create_credential(root_credential(kRootToken, clock_.now())).ok());
  }

  Response call(const Router& router, http::verb method, std::string target, std::string body = "",
                std::string content_type = "", std::string authorization = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{method, target, 11};
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    return router.handle(req);
  }
  Response osmand(std::string target, http::verb method = http::verb::get, std::string body = "",
                  std::string content_type = "", std::string authorization = "") {
    return call(osmand_, method, std::move(target), std::move(body), std::move(content_type),
                std::move(authorization));
  }

  // A tenant (with or without the device-secret rule) and a driver reporting as `device_id`.
  void add_driver(const std::string& device_id, bool require_secret = true) {
    auto t = call(router_, http::verb::post, "/v1/tenants",
                  R"({"name":"T )" + core::random_alnum(6) + R"(","require_device_secret":)" +
                      (require_secret ? "true" : "false") + "}",
                  "application/json", std::string("Bearer ") + kRootToken);
    ASSERT_EQ(t.result_int(), 201) << t.body();
    auto tenant = json::parse(t.body()).as_object();
    tenant_ = core::TenantId(std::string(tenant.at("id").as_string()));
    admin_key_ = std::string(tenant.at("api_key").as_string());
    auto d = call(router_, http::verb::post, "/v1/drivers",
                  R"({"name":"Luca Rossi","device_id":")" + device_id + "\"}", "application/json",
                  "Bearer " + admin_key_);
    ASSERT_EQ(d.result_int(), 201) << d.body();
    auto driver = json::parse(d.body()).as_object();
    driver_ = core::DriverId(std::string(driver.at("id").as_string()));
    token_ = std::string(driver.at("device_token").as_string());
  }

  size_t stored() {
    pipeline_.drain();
    auto points =
        store_->list_track_points(tenant_, driver_, core::Timestamp{0}, core::Timestamp{kNowMs + 1}, 100);
    EXPECT_TRUE(points.ok());
    return points.ok() ? points->size() : 0;
  }

  bool metric(const std::string& line) { return metrics_.render().find(line + "\n") != std::string::npos; }

  static std::string code_of(const Response& res) {
    return std::string(json::parse(res.body()).at("error").at("code").as_string());
  }

  static constexpr const char* kRootToken = "root-token-for-tracker-tests";
  std::unique_ptr<storage::Store> store_;
  core::ManualClock clock_;
  Metrics metrics_;
  pipeline::IngestPipeline pipeline_;
  pipeline::DeviceDirectory devices_;
  Services services_;
  Router router_;
  Router osmand_;
  core::TenantId tenant_;
  core::DriverId driver_;
  std::string admin_key_;
  std::string token_;
};

// ---- OsmAnd / Traccar Client ---------------------------------------------------------------------

TEST_F(TrackerHandlersTest, OsmandQueryStringIsStoredAndAnsweredWithAnEmpty200) {
  add_driver("4711");
  auto res =
      osmand("/?id=4711&lat=43.7347&lon=7.4215&timestamp=" + kFixSeconds + "&speed=10&token=" + token_);
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(res.body(), "");
  EXPECT_EQ(stored(), 1u);
  EXPECT_TRUE(metric(R"(lastmile_pings_total{protocol="osmand",result="accepted"} 1)"));
}

TEST_F(TrackerHandlersTest, OsmandTakesAnyMethodAndPath) {
  add_driver("4711");
  auto form = "deviceid=4711&location=43.7347,7.4215&timestamp=" + kFixSeconds + "&token=" + token_;
  EXPECT_EQ(osmand("/gps/report", http::verb::post, form, "application/x-www-form-urlencoded").result_int(),
            200);
  Request odd{
      http::verb::unknown,
      "/?id=4711&lat=43.7350&lon=7.4220&timestamp=" + std::to_string(kNowMs / 1000 - 50) + "&token=" + token_,
      11};
  odd.method_string("REPORT-POSITION");
  EXPECT_EQ(osmand_.handle(odd).result_int(), 200);
  EXPECT_EQ(stored(), 2u);
}

TEST_F(TrackerHandlersTest, OsmandTraccarClientJsonWithABearerToken) {
  add_driver("4711");
  std::string body = R"({"device_id":"4711","location":{"timestamp":")" +
                     core::format_iso8601(core::Timestamp{kNowMs - 30'000}) +
                     R"(","coords":{"latitude":43.7347,"longitude":7.4215,"accuracy":5,"speed":3},)"
                     R"("battery":{"level":0.5,"is_charging":false}}})";
  auto res = osmand("/", http::verb::post, body, "application/json", "Bearer " + token_);
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(stored(), 1u);
}

TEST_F(TrackerHandlersTest, OsmandUnknownDeviceIs400AndNothingIsStored) {
  add_driver("4711");
  auto res = osmand("/?id=4712&lat=43.7347&lon=7.4215&token=" + token_);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(code_of(res), "not_found");
  EXPECT_EQ(stored(), 0u);
  EXPECT_TRUE(metric(R"(lastmile_ingest_unknown_devices_total{protocol="osmand"} 1)"));
}

TEST_F(TrackerHandlersTest, OsmandMissingOrWrongSecretIs401) {
  add_driver("4711");
  auto missing = osmand("/?id=4711&lat=43.7347&lon=7.4215");
  EXPECT_EQ(missing.result_int(), 401);
  EXPECT_EQ(code_of(missing), "unauthenticated");
  EXPECT_EQ(osmand("/?id=4711&lat=43.7347&lon=7.4215&token=" + token_ + "x").result_int(), 401);
  EXPECT_EQ(osmand("/?id=4711&lat=43.7347&lon=7.4215", http::verb::get, "", "", "Bearer nope").result_int(),
            401);
  EXPECT_EQ(stored(), 0u);
}

TEST_F(TrackerHandlersTest, OsmandWithoutTheTenantSettingTheIdIsEnough) {
  add_driver("4711", /*require_secret=*/false);
  EXPECT_EQ(osmand("/?id=4711&lat=43.7347&lon=7.4215&timestamp=" + kFixSeconds).result_int(), 200);
  EXPECT_EQ(stored(), 1u);
}

TEST_F(TrackerHandlersTest, OsmandUndecodableRequestsAre400AndChangeNothing) {
  add_driver("4711");
  for (std::string q :
       {"lat=43.7&lon=7.4", "id=4711&lat=abc&lon=7.4", "id=4711&lat=nan&lon=7.4", "id=4711&lat=1e999&lon=7.4",
        "id=4711&lon=7.4", "id=4711&lat=43.7&lon=7.4&timestamp=x", "id=4711&location=43.7",
        "id=%zz&lat=1&lon=2" /* refused by the router */}) {
    auto res = osmand("/?" + q + "&token=" + token_);
    EXPECT_EQ(res.result_int(), 400) << q << " → " << res.body();
  }
  auto truncated = osmand("/", http::verb::post, R"({"device_id":"4711","location":{"coords":{"lat)",
                          "application/json", "Bearer " + token_);
  EXPECT_EQ(truncated.result_int(), 400);
  EXPECT_EQ(code_of(truncated), "invalid_json");
  EXPECT_EQ(stored(), 0u);
  EXPECT_TRUE(metric(R"(lastmile_ingest_invalid_total{protocol="osmand"} 8)"));
}

TEST_F(TrackerHandlersTest, OsmandFixRefusedByTheFilterIsStill200ButCounted) {
  add_driver("4711");
  auto res = osmand("/?id=4711&lat=95&lon=7.4215&timestamp=" + kFixSeconds + "&token=" + token_);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(stored(), 0u);
  EXPECT_TRUE(metric(R"(lastmile_pings_total{protocol="osmand",result="rejected"} 1)"));
}

TEST_F(TrackerHandlersTest, OsmandWithoutThePipelineIs503) {
  Services bare{*store_, clock_, metrics_, "http://test", nullptr, nullptr, nullptr};
  Router router(osmand_route_table(), bare);
  Request req{http::verb::get, "/?id=4711&lat=1&lon=2", 11};
  EXPECT_EQ(router.handle(req).result_int(), 503);
}

// ---- OwnTracks over HTTP ---------------------------------------------------------------------------

std::string owntracks_location(int64_t seconds_ago = 60) {
  return R"({"_type":"location","tid":"LR","tst":)" + std::to_string(kNowMs / 1000 - seconds_ago) +
         R"(,"lat":43.7347,"lon":7.4215,"acc":10,"vel":18,"batt":80})";
}

std::string basic(const std::string& user, const std::string& password) {
  // The base64 of "user:password", as the app sends it (encoded here with the test's own table).
  static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kTable[(n >> 18) & 63];
    out += kTable[(n >> 12) & 63];
    out += i + 1 < in.size() ? kTable[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kTable[n & 63] : '=';
  }
  return "Basic " + out;
}

TEST_F(TrackerHandlersTest, OwnTracksWithQueryIdentityAndBasicAuthIsStoredAndAnsweredWithAnEmptyList) {
  add_driver("alice/phone");
  auto res = call(router_, http::verb::post, "/v1/owntracks?u=alice&d=phone", owntracks_location(),
                  "application/json", basic("alice", token_));
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(res.body(), "[]");
  EXPECT_EQ(stored(), 1u);
  EXPECT_TRUE(metric(R"(lastmile_pings_total{protocol="owntracks_http",result="accepted"} 1)"));
}

TEST_F(TrackerHandlersTest, OwnTracksWithXLimitHeadersAndABearerToken) {
  add_driver("alice/phone");
  auto res = call(router_, http::verb::post, "/v1/owntracks", owntracks_location(), "application/json",
                  "Bearer " + token_, {{"X-Limit-U", "alice"}, {"X-Limit-D", "phone"}});
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(stored(), 1u);
}

TEST_F(TrackerHandlersTest, OwnTracksOtherMessageTypesAreIgnoredPolitely) {
  add_driver("alice/phone");
  for (const char* body : {R"({"_type":"transition","event":"enter","tst":1})", R"({"_type":"waypoints"})",
                           R"({"_type":"lwt","tst":1})"}) {
    auto res = call(router_, http::verb::post, "/v1/owntracks?u=alice&d=phone", body, "application/json",
                    basic("alice", token_));
    EXPECT_EQ(res.result_int(), 200) << body;
    EXPECT_EQ(res.body(), "[]");
  }
  EXPECT_EQ(stored(), 0u);
}

TEST_F(TrackerHandlersTest, OwnTracksRefusals) {
  add_driver("alice/phone");
  const auto post = [&](const std::string& target, const std::string& body, const std::string& auth) {
    return call(router_, http::verb::post, target, body, "application/json", auth);
  };
  auto no_secret = post("/v1/owntracks?u=alice&d=phone", owntracks_location(), "");
  EXPECT_EQ(no_secret.result_int(), 401);
  EXPECT_EQ(post("/v1/owntracks?u=alice&d=phone", owntracks_location(), basic("alice", "wrong")).result_int(),
            401);
  auto unknown = post("/v1/owntracks?u=bob&d=phone", owntracks_location(), basic("bob", token_));
  EXPECT_EQ(unknown.result_int(), 404);
  EXPECT_EQ(code_of(unknown), "not_found");
  auto no_device = post("/v1/owntracks?u=alice", owntracks_location(), basic("alice", token_));
  EXPECT_EQ(no_device.result_int(), 400);
  EXPECT_EQ(code_of(no_device), "missing_field");
  EXPECT_EQ(post("/v1/owntracks?d=phone", owntracks_location(), "").result_int(), 400);
  EXPECT_EQ(post("/v1/owntracks?u=alice&d=phone", R"({"_type":"location","lat":43.7)", basic("alice", token_))
                .result_int(),
            400);
  EXPECT_EQ(post("/v1/owntracks?u=alice&d=phone", R"({"_type":"location","lat":"x","lon":7,"tst":1})",
                 basic("alice", token_))
                .result_int(),
            400);
  EXPECT_EQ(stored(), 0u);
}

TEST_F(TrackerHandlersTest, OwnTracksUserFromTheBasicCredentials) {
  add_driver("alice/phone");
  auto res = call(router_, http::verb::post, "/v1/owntracks?d=phone", owntracks_location(),
                  "application/json", basic("alice", token_));
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(stored(), 1u);
}

// ---- routing and credentials helpers ------------------------------------------------------------------

TEST_F(TrackerHandlersTest, ARestWildcardMatchesEveryPath) {
  for (const char* path : {"/", "/osmand", "/a/b/c", "/%7Efoo"}) {
    auto m = osmand_.match(http::verb::get, path);
    ASSERT_NE(m.route, nullptr) << path;
    EXPECT_EQ(m.route->pattern, "/*");
  }
  EXPECT_EQ(router_.match(http::verb::get, "/v1/nothing/here").route, nullptr);
}

TEST(TrackerCredentials, BearerToken) {
  EXPECT_EQ(bearer_token("Bearer lmd_abc"), "lmd_abc");
  EXPECT_EQ(bearer_token("bearer   lmd_abc "), "lmd_abc");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token("Bearerlmd_abc"), "");
  EXPECT_EQ(bearer_token(""), "");
}

TEST(TrackerCredentials, BasicCredentials) {
  auto c = basic_credentials(basic("alice", "lmd_x:y"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->user, "alice");
  EXPECT_EQ(c->password, "lmd_x:y");  // the password may contain ':'
  EXPECT_FALSE(basic_credentials("Basic !!!!").has_value());
  EXPECT_FALSE(basic_credentials("Basic " + std::string("YWxpY2U=")).has_value());  // "alice": no ':'
  EXPECT_FALSE(basic_credentials("Bearer YWxpY2U6eA==").has_value());
  EXPECT_FALSE(basic_credentials("").has_value());
}

}  // namespace
}  // namespace lastmile::api
