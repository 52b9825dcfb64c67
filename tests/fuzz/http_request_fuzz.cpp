// Fuzzes the whole request path: raw bytes → Beast's HTTP/1.1 parser (with the server's limits) →
// the router (URL parsing, route matching, authentication, role checks, content type) → handlers →
// an in-memory SQLite store. Every input goes through both routers: the main API's and the OsmAnd
// listener's (api/osmand_routes.hpp), so tracker requests reach the device directory and pipeline. Every input must give a well-formed HTTP response with a JSON error
// body or a success — never a crash, a 500, a leak or undefined behaviour.
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string_view>

#include "api/auth.hpp"
#include "api/router.hpp"
#include "api/osmand_routes.hpp"
#include "api/routes_table.hpp"
#include "pipeline/device_directory.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "core/crypto.hpp"

namespace {

using namespace lastmile;

// Seeds use these tokens (see tests/fuzz/corpus/http_request/).
constexpr std::string_view kRootToken = "fuzz-root-token-0123456789";
constexpr std::string_view kAdminToken = "lm_fuzzadmin000_fuzzsecret";
constexpr std::string_view kDeviceToken = "lmd_fuzzdevice00_fuzzsecret";
constexpr std::string_view kPhoneToken = "lmd_fuzzphone000_fuzzsecret";  // OwnTracks "fuzzuser/phone"

struct World {
  World()
      : store(storage::open_store("sqlite::memory:", {})),
        clock(core::Timestamp{1'795'000'000'000}),
        pipeline(*store, clock, pipeline::PipelineOptions{}, {}),
        devices(*store, clock),
        services{*store, clock, metrics, "http://fuzz", nullptr, &pipeline, &devices},
        router(api::route_table(), services),
        osmand(api::osmand_route_table(), services) {
    if (!store->create_credential(api::root_credential(kRootToken, clock.now())).ok()) std::abort();
    domain::Tenant t;
    t.id = core::TenantId("ten_fuzz");
    t.name = "Fuzz";
    domain::Credential admin;
    admin.id = core::ApiKeyId("key_fuzzadmin");
    admin.tenant_id = t.id;
    admin.role = domain::Role::kTenantAdmin;
    admin.prefix = "fuzzadmin000";
    admin.secret_hash = core::sha256_hex(kAdminToken);
    if (!store->create_tenant(t, admin).ok()) std::abort();
    domain::Driver d;
    d.id = core::DriverId("drv_fuzz");
    d.tenant_id = t.id;
    d.name = "Fuzz Driver";
    d.device_id = "4711";
    domain::Credential device;
    device.id = core::ApiKeyId("key_fuzzdevice");
    device.tenant_id = t.id;
    device.role = domain::Role::kDriver;
    device.driver_id = d.id;
    device.prefix = "fuzzdevice00";
    device.secret_hash = core::sha256_hex(kDeviceToken);
    if (!store->create_driver(d, device, nullptr).ok()) std::abort();
    d.id = core::DriverId("drv_fuzzphone");
    d.device_id = "fuzzuser/phone";
    device.id = core::ApiKeyId("key_fuzzphone");
    device.driver_id = d.id;
    device.prefix = "fuzzphone000";
    device.secret_hash = core::sha256_hex(kPhoneToken);
    if (!store->create_driver(d, device, nullptr).ok()) std::abort();
  }
  std::unique_ptr<storage::Store> store;
  core::ManualClock clock;
  api::Metrics metrics;
  pipeline::IngestPipeline pipeline;
  pipeline::DeviceDirectory devices;
  api::Services services;
  api::Router router;
  api::Router osmand;
};

// A well-formed HTTP response with a JSON error body when it is a JSON error; traps otherwise.
void check(const api::Response& res, const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  const int status = res.result_int();
  if (status < 200 || status > 599) __builtin_trap();
  if (status == 500) {  // a 500 means a bug: show what caused it
    std::fprintf(stderr, "500 for input: %.*s\n", static_cast<int>(size), reinterpret_cast<const char*>(data));
    __builtin_trap();
  }
  if (status >= 400 && res[http::field::content_type] == "application/json") {
    boost::beast::error_code ec;
    auto body = boost::json::parse(res.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("error")) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec) return 0;
  }
  check(world.router.handle(parser.get()), data, size);
  check(world.osmand.handle(parser.get()), data, size);
  return 0;
}
