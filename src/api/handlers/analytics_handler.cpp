// Carrier and driver analytics (docs/analytics.md): figures per day, ISO week or in total over a
// date range from the daily rollups, as JSON or CSV; per-carrier rate cards; the tenant's targets.
// A carrier key sees only its own carrier's and drivers' figures and rate card.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "analytics/delivery_fact.hpp"
#include "api/analytics_json.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "storage/analytics_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int64_t kMaxRangeDays = 366;
constexpr int64_t kDefaultRangeDays = 30;

Result<storage::AnalyticsStore*> analytics_store(const Services& s) {
  auto* a = s.store.analytics();
  if (!a) return Error{ErrorCode::kUnavailable, "analytics are not available with this store", ""};
  return a;
}

bool wants_csv(const RequestContext& ctx) {
  if (auto f = ctx.query("format")) return *f == "csv";
  std::string accept(ctx.header(http::field::accept));
  std::transform(accept.begin(), accept.end(), accept.begin(), [](unsigned char c) { return std::tolower(c); });
  return accept.find("text/csv") != std::string::npos;
}

// The carrier whose figures a request may see: a carrier key's own (a carrier_id naming another is
// 404), else the carrier_id parameter (checked to be the tenant's) or none.
Result<std::optional<core::CarrierId>> carrier_scope(const Services& s, const RequestContext& ctx) {
  auto param = ctx.query("carrier_id");
  if (ctx.role() == domain::Role::kCarrier) {
    const core::CarrierId own = *ctx.principal->carrier_id;
    if (param && *param != own.str()) return Error::not_found("carrier");
    return std::optional(own);
  }
  if (!param) return std::optional<core::CarrierId>{};
  if (param->empty() || param->size() > 64) return Error::invalid_field("carrier_id", "carrier_id must be a carrier id");
  auto carrier = s.store.get_carrier(ctx.tenant(), core::CarrierId(*param));
  if (!carrier) return carrier.error();
  return std::optional(carrier->id);
}

Result<Reply> analytics_reply(const Services& s, RequestContext& ctx, storage::AnalyticsDim dim) {
  auto store = analytics_store(s);
  if (!store) return store.error();
  if (auto f = ctx.query("format"); f && *f != "csv" && *f != "json")
    return Error::invalid_field("format", "format must be json or csv");
  const std::string today = analytics::utc_day(ctx.now.ms);
  auto to = analytics::parse_day(ctx.query("to").value_or(today), "to");
  if (!to) return to.error();
  std::string default_from = analytics::utc_day(core::parse_date(*to)->ms - (kDefaultRangeDays - 1) * 86'400'000);
  auto from = analytics::parse_day(ctx.query("from").value_or(default_from), "from");
  if (!from) return from.error();
  if (*from > *to) return Error::invalid_field("from", "from must not be after to");
  if (analytics::days_between(*from, *to) + 1 > kMaxRangeDays)
    return Error::invalid_field("to", "the range may cover at most 366 days");
  auto group = analytics::parse_grouping(ctx.query("group").value_or("day"));
  if (!group) return Error::invalid_field("group", "group must be day, week or total");
  auto carrier = carrier_scope(s, ctx);
  if (!carrier) return carrier.error();

  auto rows = (*store)->analytics_rows({ctx.tenant(), dim, *from, *to, *carrier});
  if (!rows) return rows.error();
  auto targets = (*store)->get_targets(ctx.tenant());
  if (!targets) return targets.error();
  auto card_list = (*store)->list_rate_cards(ctx.tenant());
  if (!card_list) return card_list.error();
  std::map<std::string, analytics::RateCard> cards(card_list->begin(), card_list->end());
  const auto items = group_analytics(*rows, *group, cards, *targets);

  if (wants_csv(ctx)) {
    Reply r{200, analytics_csv(items, dim), "text/csv; charset=utf-8", {}};
    const char* what = dim == storage::AnalyticsDim::kCarrier ? "carriers" : "drivers";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + std::string(what) + "-" + *from + "-" +
                                                      *to + ".csv\"");
    return r;
  }
  json::array out;
  for (const auto& item : items) out.push_back(analytics_item_json(item, dim));
  const std::string group_name = *group == analytics::Grouping::kDay    ? "day"
                                 : *group == analytics::Grouping::kWeek ? "week"
                                                                        : "total";
  return json_reply(200, to_json(json::object{{"from", *from},
                                              {"to", *to},
                                              {"group", group_name},
                                              {"targets", targets_json(*targets)},
                                              {"items", std::move(out)}}));
}

}  // namespace

Result<Reply> get_carrier_analytics(const Services& s, RequestContext& ctx) {
  return analytics_reply(s, ctx, storage::AnalyticsDim::kCarrier);
}

Result<Reply> get_driver_analytics(const Services& s, RequestContext& ctx) {
  return analytics_reply(s, ctx, storage::AnalyticsDim::kDriver);
}

Result<Reply> get_rate_card(const Services& s, RequestContext& ctx) {
  auto store = analytics_store(s);
  if (!store) return store.error();
  if (ctx.role() == domain::Role::kCarrier && ctx.param(0) != ctx.principal->carrier_id->str())
    return Error::not_found("carrier");
  auto card = (*store)->get_rate_card(ctx.tenant(), core::CarrierId(ctx.param(0)));
  if (!card) return card.error();
  return json_reply(200, to_json(json::object{
                             {"carrier_id", ctx.param(0)},
                             {"rate_card", *card ? json::value(rate_card_json(**card)) : json::value(nullptr)}}));
}

Result<Reply> put_rate_card(const Services& s, RequestContext& ctx) {
  auto store = analytics_store(s);
  if (!store) return store.error();
  // Before the body is read: another tenant's (or an unknown) carrier is 404 whatever is sent.
  if (auto carrier = s.store.get_carrier(ctx.tenant(), core::CarrierId(ctx.param(0))); !carrier)
    return carrier.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto card = parse_rate_card(*body);
  if (!card) return card.error();
  if (auto st = (*store)->put_rate_card(ctx.tenant(), core::CarrierId(ctx.param(0)), *card, ctx.now); !st)
    return st.error();
  return json_reply(200, to_json(json::object{{"carrier_id", ctx.param(0)}, {"rate_card", rate_card_json(*card)}}));
}

Result<Reply> get_analytics_targets(const Services& s, RequestContext& ctx) {
  auto store = analytics_store(s);
  if (!store) return store.error();
  auto targets = (*store)->get_targets(ctx.tenant());
  if (!targets) return targets.error();
  return json_reply(200, to_json(json::object{{"targets", targets_json(*targets)}}));
}

Result<Reply> put_analytics_targets(const Services& s, RequestContext& ctx) {
  auto store = analytics_store(s);
  if (!store) return store.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto targets = parse_targets(*body);
  if (!targets) return targets.error();
  if (auto st = (*store)->put_targets(ctx.tenant(), *targets, ctx.now); !st) return st.error();
  return json_reply(200, to_json(json::object{{"targets", targets_json(*targets)}}));
}

}  // namespace lastmile::api::handlers
