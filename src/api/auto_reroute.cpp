#include "api/auto_reroute.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/handlers/handlers.hpp"
#include "core/json_writer.hpp"
#include "storage/settings_store.hpp"

namespace lastmile::api {

namespace json = boost::json;

namespace {

constexpr double kTimeLimitS = 0.5;  // a route's open stops are few: the search settles fast

// Late stops and seconds of lateness of a resequence answer's "before" or "after".
std::pair<int64_t, double> lateness(const json::object& reply, const char* which) {
  const auto& t = reply.at(which).as_object();
  return {t.at("late_stops").to_number<int64_t>(), t.at("late_s").to_number<double>()};
}

}  // namespace

AutoReroute::AutoReroute(const Services& services, int64_t cooldown_ms)
    : services_(services), cooldown_ms_(cooldown_ms) {}

AutoReroute::~AutoReroute() { worker_.drain(); }

void AutoReroute::drain() { worker_.drain(); }

void AutoReroute::on_event(const domain::Event& e) {
  if (e.type != "late_risk") return;
  boost::system::error_code ec;
  const json::value payload = json::parse(e.payload_json, ec);
  if (ec || !payload.is_object()) return;
  const auto* route = payload.as_object().if_contains("route_id");
  if (!route || !route->is_string()) return;
  worker_.post([this, tenant = e.tenant_id, id = core::RouteId(std::string(route->as_string()))] { attempt(tenant, id); });
}

// Runs the resequence handler as the system would call it: first without applying, then, when the
// order is better for lateness, applying it from the same start time (the same answer: the search is
// deterministic for a seed and a start).
void AutoReroute::attempt(const core::TenantId& tenant, const core::RouteId& route) {
  auto* settings = services_.store.settings();
  if (!settings) return;
  auto doc = settings->get_tenant_settings(tenant);
  if (!doc || !doc->rerouting_auto_apply) return;
  const core::Timestamp now = services_.clock.now();
  {
    std::lock_guard lock(mu_);
    auto [it, fresh] = tried_at_.try_emplace(route, now.ms);
    if (!fresh && now.ms - it->second < cooldown_ms_) return;
    it->second = now.ms;
  }
  Principal system{domain::Role::kTenantAdmin, tenant, std::nullopt, std::nullopt, "system", "automatic rerouting"};
  auto call = [&](bool apply) -> core::Result<json::object> {
    Request req;
    req.body() = core::to_json(
        json::object{{"start_at", core::format_iso8601(now)}, {"apply", apply}, {"time_limit_s", kTimeLimitS}});
    RequestContext ctx{req, {}, {route.str()}, system, now};
    auto reply = handlers::resequence_route(services_, ctx);
    if (!reply) return reply.error();
    return json::parse(reply->body).as_object();
  };
  auto preview = call(false);
  if (!preview) {
    spdlog::info("automatic rerouting of {} not tried: {}", route.str(), preview.error().message);
    return;
  }
  const auto before = lateness(*preview, "before");
  const auto after = lateness(*preview, "after");
  const bool better = after.first < before.first || (after.first == before.first && after.second + 1 < before.second);
  if (!better) return;
  auto applied = call(true);
  if (!applied) {
    spdlog::warn("automatic rerouting of {} failed: {}", route.str(), applied.error().message);
    return;
  }
  spdlog::info("route {} re-sequenced automatically: {} late stop(s) → {}", route.str(), before.first, after.first);
}

}  // namespace lastmile::api
