// The router: path matching, 404/405, authentication and role checks, content types — all before
// any handler runs, so a refused request changes nothing.
#include "api/router.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <thread>
#include <optional>
#include <mutex>

#include "api/auth.hpp"
#include "api/routes_table.hpp"
#include "pipeline/ingest_pipeline.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : store_(storage::open_store("sqlite::memory:", {})),
        clock_(core::Timestamp{1'795'000'000'000}),
        pipeline_(*store_, clock_, pipeline::PipelineOptions{}, {}),
        services_{*store_, clock_, metrics_, "http://test", nullptr, &pipeline_, nullptr},
        router_(route_table(), services_) {
    auto root = root_credential(kRootToken, clock_.now());
    EXPECT_TRUE(store_->create_credential(root).ok());
  }

  Response call(http::verb method, std::string target, std::string token = "", std::string body = "",
                std::string content_type = "application/json") {
    Request req{method, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    return router_.handle(req);
  }

  static std::string code_of(const Response& res) {
    return std::string(json::parse(res.body()).at("error").at("code").as_string());
  }

  static constexpr const char* kRootToken = "root-token-for-router-tests";
  std::unique_ptr<storage::Store> store_;
  core::ManualClock clock_;
  Metrics metrics_;
  pipeline::IngestPipeline pipeline_;
  Services services_;
  Router router_;
};

TEST_F(RouterTest, MatchesPatternsAndDecodesParameters) {
  auto m = router_.match(http::verb::get, "/v1/shipments/shp_abc%20d/events");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/shipments/{id}/events");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], "shp_abc d");
}

TEST_F(RouterTest, UnknownPathIs404NotFound) {
  auto res = call(http::verb::get, "/v1/nothing-here");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(code_of(res), "not_found");
}

TEST_F(RouterTest, WrongMethodIs405WithAllowHeader) {
  auto res = call(http::verb::put, "/v1/shipments");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(code_of(res), "method_not_allowed");
  EXPECT_EQ(res[http::field::allow], "POST, GET");
}

TEST_F(RouterTest, MissingOrBadTokenIs401) {
  EXPECT_EQ(call(http::verb::get, "/v1/shipments").result_int(), 401);
  auto res = call(http::verb::get, "/v1/shipments", "lm_abcdefghijkl_notarealsecret");
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_EQ(code_of(res), "unauthenticated");
}

TEST_F(RouterTest, RootMayNotReadTenantDataAndGets403) {
  auto res = call(http::verb::get, "/v1/shipments", kRootToken);
  EXPECT_EQ(res.result_int(), 403);
  EXPECT_EQ(code_of(res), "forbidden");
}

TEST_F(RouterTest, NonJsonContentTypeIs415AndCreatesNothing) {
  auto res = call(http::verb::post, "/v1/tenants", kRootToken, "name=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(res.result_int(), 415);
  EXPECT_EQ(code_of(res), "unsupported_media_type");
  auto list = call(http::verb::get, "/v1/tenants", kRootToken);
  EXPECT_EQ(json::parse(list.body()).at("items").as_array().size(), 0u);
}

TEST_F(RouterTest, PublicRoutesNeedNoToken) {
  EXPECT_EQ(call(http::verb::get, "/healthz").result_int(), 200);
  EXPECT_EQ(call(http::verb::get, "/v1/track/AAAAAAAAAAAAAAAAAAAAAA").result_int(), 404);
}

TEST_F(RouterTest, CountsRequestsByRoutePattern) {
  call(http::verb::get, "/healthz");
  call(http::verb::get, "/v1/nothing-here");
  auto text = metrics_.render();
  EXPECT_NE(text.find(R"(lastmile_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(route="unmatched",method="GET",status="404")"), std::string::npos);
}

TEST_F(RouterTest, TenantAdminCreatesAndRevokesKeys) {
  auto t = call(http::verb::post, "/v1/tenants", kRootToken, R"({"name":"Acme"})");
  ASSERT_EQ(t.result_int(), 201) << t.body();
  std::string admin(json::parse(t.body()).at("api_key").as_string());
  auto k = call(http::verb::post, "/v1/api-keys", admin, R"({"role":"dispatcher","name":"desk"})");
  ASSERT_EQ(k.result_int(), 201) << k.body();
  auto key = json::parse(k.body()).as_object();
  std::string dispatcher(key.at("api_key").as_string());
  EXPECT_EQ(call(http::verb::get, "/v1/shipments", dispatcher).result_int(), 200);
  EXPECT_EQ(call(http::verb::post, "/v1/api-keys", dispatcher, R"({"role":"dispatcher"})").result_int(), 403);
  std::string id(key.at("id").as_string());
  EXPECT_EQ(call(http::verb::delete_, "/v1/api-keys/" + id, admin).result_int(), 204);
  EXPECT_EQ(call(http::verb::get, "/v1/shipments", dispatcher).result_int(), 401);
}

// An asynchronous route answers later, from another thread: here a worker thread standing in for
// the group commit. Refusals (auth, roles) still answer at once, before the handler runs.
struct LaterWorker {
  std::mutex mu;
  std::vector<AsyncDone> waiting;  // handlers' completions, answered by release()
  int started = 0;
};
LaterWorker* g_worker = nullptr;

void answer_later(const Services&, RequestContext& ctx, AsyncDone done) {
  std::lock_guard lock(g_worker->mu);
  ++g_worker->started;
  // What the handler needs from the request is read now: the context is gone once it returns.
  const std::string body = "{\"echo\":" + std::to_string(ctx.req.body().size()) + "}";
  g_worker->waiting.push_back([body, done = std::move(done)](core::Result<Reply>) { done(json_reply(202, body)); });
}

class AsyncRouteTest : public RouterTest {
 protected:
  AsyncRouteTest()
      : async_router_({{http::verb::post, "/v1/later", false, domain::RoleSet{domain::Role::kRoot}, nullptr, false,
                        answer_later},
                       {http::verb::get, "/v1/now", true, domain::RoleSet{}, handlers_healthz()}},
                      services_) {
    g_worker = &worker_;
  }
  ~AsyncRouteTest() override { g_worker = nullptr; }
  static Handler handlers_healthz() {
    return [](const Services&, RequestContext&) -> core::Result<Reply> { return json_reply(200, "{}"); };
  }
  // Completes every waiting handler from a thread of its own.
  void release() {
    std::vector<AsyncDone> waiting;
    {
      std::lock_guard lock(worker_.mu);
      waiting.swap(worker_.waiting);
    }
    std::thread([&] {
      for (auto& d : waiting) d(core::Error::internal());
    }).join();
  }
  static Request request(http::verb method, std::string target, std::string token, std::string body = "") {
    Request req{method, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }

  LaterWorker worker_;
  Router async_router_;
};

TEST_F(AsyncRouteTest, TheResponseComesWhenTheHandlerCompletesNotWhenItReturns) {
  const Request req = request(http::verb::post, "/v1/later", kRootToken, "{\"a\":1}");
  EXPECT_TRUE(async_router_.is_async(req));
  std::optional<Response> answered;
  async_router_.handle_async(req, [&](Response res) { answered = std::move(res); });
  EXPECT_FALSE(answered.has_value());
  EXPECT_EQ(worker_.started, 1);
  release();
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->result_int(), 202);
  EXPECT_EQ(answered->body(), "{\"echo\":7}");
  EXPECT_EQ((*answered)[http::field::content_type], "application/json");
}

TEST_F(AsyncRouteTest, ARefusedRequestIsAnsweredAtOnceAndNeverReachesTheHandler) {
  const Request req = request(http::verb::post, "/v1/later", "lm_abcdefghijkl_notarealsecret");
  std::optional<Response> answered;
  async_router_.handle_async(req, [&](Response res) { answered = std::move(res); });
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->result_int(), 401);
  EXPECT_EQ(worker_.started, 0);
}

TEST_F(AsyncRouteTest, SynchronousRoutesAnswerThroughTheCallbackBeforeReturning) {
  const Request req = request(http::verb::get, "/v1/now", "");
  EXPECT_FALSE(async_router_.is_async(req));
  std::optional<Response> answered;
  async_router_.handle_async(req, [&](Response res) { answered = std::move(res); });
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->result_int(), 200);
}

TEST_F(AsyncRouteTest, HandleWaitsForAnAsynchronousRoute) {
  const Request req = request(http::verb::post, "/v1/later", kRootToken, "{}");
  std::thread completer([&] {
    while (true) {
      {
        std::lock_guard lock(worker_.mu);
        if (!worker_.waiting.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    release();
  });
  auto res = async_router_.handle(req);
  completer.join();
  EXPECT_EQ(res.result_int(), 202);
  EXPECT_EQ(res.body(), "{\"echo\":2}");
}

TEST_F(RouterTest, PostPingsIsAnAsynchronousRoute) {
  Request req{http::verb::post, "/v1/pings", 11};
  EXPECT_TRUE(router_.is_async(req));
  Request shipments{http::verb::post, "/v1/shipments", 11};
  EXPECT_FALSE(router_.is_async(shipments));
}

}  // namespace
}  // namespace lastmile::api
