// Personalised delivery windows (docs/delivery-windows.md): GET /v1/shipments/{id}/delivery-window
// suggests the weekly window in which the shipment's recipient is most likely to take delivery at
// the first attempt; GET /v1/delivery-windows/evaluation measures what such suggestions add on
// held-back history.
#include <boost/json.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_set>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "domain/delivery_windows.hpp"
#include "notify/local_schedule.hpp"
#include "storage/delivery_history_store.hpp"

namespace lastmile::api::handlers {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHistoryDays = 365;          // the model learns from the last year
constexpr size_t kTenantAttemptsLimit = 200'000;
constexpr size_t kRecipientAttemptsLimit = 10'000;
constexpr int kMinCases = 5;                    // an evaluation figure needs this many in-window cases

Result<storage::DeliveryHistoryStore*> history_store(const Services& s) {
  if (s.store.delivery_history() == nullptr)
    return Error{ErrorCode::kUnavailable, "delivery history is not available on this store", ""};
  return s.store.delivery_history();
}

// The recipient of a stored row, as the model keys it: phone, else e-mail (lower case).
std::string recipient_key(const std::string& phone, const std::string& email) {
  if (!phone.empty()) return "p:" + phone;
  std::string e = email;
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e.empty() ? "" : "e:" + e;
}

// Rows → the model's attempts: recipients erased or unknown are left out; the first attempt of
// each shipment is marked.
std::vector<domain::DeliveryAttempt> attempts_of(const std::vector<storage::AttemptRow>& rows) {
  std::vector<domain::DeliveryAttempt> out;
  std::unordered_set<std::string> seen;
  for (const storage::AttemptRow& r : rows) {
    std::string who = recipient_key(r.recipient_phone, r.recipient_email);
    if (who.empty()) continue;
    const auto local = notify::local_week_hour(r.at, r.time_zone);
    const bool first = seen.insert(r.shipment_id.str()).second;  // rows come oldest first
    out.push_back(domain::DeliveryAttempt{std::move(who), r.shipment_id.str(), r.at, local.weekday, local.hour,
                                          r.delivered, r.stars, first});
  }
  return out;
}

std::string hour_text(int hour) {
  return std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":00";
}

json::object window_json(const domain::WindowScore& w) {
  return json::object{{"weekday", std::string(domain::weekday_name(w.window.weekday))},
                      {"start", hour_text(w.window.start_hour())},
                      {"end", hour_text(w.window.start_hour() + domain::kSlotHours)},
                      {"expected_success", std::round(w.expected_success * 1000) / 1000},
                      {"attempts", w.attempts}};
}

Result<int> holdout_days(const RequestContext& ctx) {
  const auto v = ctx.query("holdout_days");
  if (!v) return 30;
  int n = 0;
  const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > 180)
    return Error::invalid_field("holdout_days", "holdout_days must be an integer from 1 to 180");
  return n;
}

double rounded(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

Result<Reply> get_delivery_window(const Services& s, RequestContext& ctx) {
  auto store = history_store(s);
  if (!store) return store.error();
  auto sh = load_visible_shipment(s, ctx, core::ShipmentId(ctx.param(0)));
  if (!sh) return sh.error();
  const core::Timestamp since{ctx.now.ms - kHistoryDays * kDayMs};
  auto tenant_rows = (*store)->delivery_attempts(sh->tenant_id, std::nullopt, since, kTenantAttemptsLimit);
  if (!tenant_rows) return tenant_rows.error();
  std::vector<storage::AttemptRow> own_rows;
  if (!sh->recipient.phone.empty() || !sh->recipient.email.empty()) {
    storage::RecipientKey key;
    if (!sh->recipient.phone.empty()) key.phone = sh->recipient.phone; else key.email = sh->recipient.email;
    auto rows = (*store)->delivery_attempts(sh->tenant_id, key, since, kRecipientAttemptsLimit);
    if (!rows) return rows.error();
    own_rows = std::move(*rows);
  }
  const domain::WindowModel model(attempts_of(*tenant_rows));
  const domain::WindowSuggestion suggestion = model.suggest(attempts_of(own_rows));
  const std::string tz = sh->recipient.time_zone.empty() ? "UTC" : sh->recipient.time_zone;

  json::object best = window_json(suggestion.best);
  // The next occurrence, not before the promised window's start when it is later.
  core::Timestamp after = ctx.now;
  if (sh->promised && sh->promised->start > after) after = sh->promised->start;
  const core::Timestamp start = notify::next_local_weekday_hour(after, suggestion.best.window.weekday,
                                                                suggestion.best.window.start_hour(), tz);
  best["next"] = json::object{{"start", core::format_iso8601(start)},
                              {"end", core::format_iso8601(core::Timestamp{start.ms + domain::kSlotHours * 3'600'000})}};
  json::array alternatives;
  for (const auto& w : suggestion.alternatives) alternatives.push_back(window_json(w));
  return json_reply(200, to_json(json::object{
                             {"shipment_id", sh->id.str()},
                             {"time_zone", tz},
                             {"suggested", std::move(best)},
                             {"alternatives", std::move(alternatives)},
                             {"history", json::object{{"attempts", suggestion.recipient_attempts},
                                                      {"success_rate", rounded(suggestion.recipient_success_rate)}}}}));
}

Result<Reply> get_delivery_window_evaluation(const Services& s, RequestContext& ctx) {
  auto store = history_store(s);
  if (!store) return store.error();
  auto days = holdout_days(ctx);
  if (!days) return days.error();
  const core::Timestamp since{ctx.now.ms - kHistoryDays * kDayMs};
  const core::Timestamp cutoff{ctx.now.ms - int64_t{*days} * kDayMs};
  auto rows = (*store)->delivery_attempts(ctx.tenant(), std::nullopt, since, kTenantAttemptsLimit);
  if (!rows) return rows.error();
  const domain::WindowEvaluation ev = domain::evaluate_windows(attempts_of(*rows), cutoff, kMinCases);
  json::object out{{"held_back_from", core::format_iso8601(cutoff)},
                   {"training_attempts", ev.training_attempts},
                   {"test_first_attempts", ev.test_first_attempts},
                   {"baseline_first_attempt_success", rounded(ev.baseline_success)},
                   {"in_suggested_window", ev.in_suggested_window},
                   {"in_window_first_attempt_success", rounded(ev.in_window_success)},
                   {"out_of_window_first_attempt_success", rounded(ev.out_of_window_success)},
                   {"expected_success_if_suggested", rounded(ev.expected_success_if_suggested)},
                   {"min_cases", kMinCases}};
  out["added_points"] = ev.added_points ? json::value(rounded(*ev.added_points)) : json::value(nullptr);
  return json_reply(200, to_json(out));
}

}  // namespace lastmile::api::handlers
