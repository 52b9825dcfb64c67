// Post-delivery surveys (docs/chat-and-surveys.md): the customer rates once, after delivery, by
// tracking token; staff read one shipment's rating or the tenant's ratings with a CSAT/NPS summary.
// A stored survey writes `survey_submitted` (and `survey_low_rating` for 1–2 stars, which opens a
// low_rating exception case) in the same transaction.
#include <boost/json.hpp>

#include <cmath>

#include "api/chat_json.hpp"
#include "api/chat_parser.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "core/new_id.hpp"
#include "domain/tracking_number.hpp"
#include "storage/survey_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxSurveyRows = 10000;

Result<storage::SurveyStore*> survey_store(const Services& s) {
  if (auto* v = s.store.surveys()) return v;
  return Error{ErrorCode::kUnavailable, "surveys are not available with this store", ""};
}

Result<domain::Shipment> shipment_by_token(const Services& s, const std::string& token) {
  if (!domain::is_plausible_tracking_token(token)) return Error::not_found("tracking token");
  auto sh = s.store.find_shipment_by_token(token);
  if (!sh && sh.error().code == ErrorCode::kNotFound) return Error::not_found("tracking token");
  return sh;
}

domain::Event survey_event(const domain::Shipment& sh, std::string type, const domain::SurveyAnswer& a,
                           core::Timestamp now) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = sh.tenant_id;
  e.shipment_id = sh.id;
  e.type = std::move(type);
  e.at = e.recorded_at = now;
  e.actor = "customer";
  e.source = a.source == domain::SurveySource::kLink ? "survey_link" : "tracking_page";
  json::array tags;
  for (const auto& t : a.tags) tags.emplace_back(t);
  e.payload_json = to_json(json::object{{"stars", a.stars},
                                        {"nps", a.nps ? json::value(*a.nps) : json::value(nullptr)},
                                        {"tags", std::move(tags)}});
  return e;
}

Result<std::optional<core::Timestamp>> time_param(const RequestContext& ctx, std::string_view key) {
  auto v = ctx.query(key);
  if (!v) return std::optional<core::Timestamp>{};
  if (auto t = core::parse_iso8601(*v)) return std::optional(*t);
  if (auto d = core::parse_date(*v)) return std::optional(*d);
  return Error::invalid_field(std::string(key), std::string(key) + " must be an ISO 8601 time or a date (YYYY-MM-DD)");
}

json::object summary_json(const domain::SurveySummary& s) {
  auto opt = [](const std::optional<double>& v) { return v ? json::value(std::round(*v * 10) / 10) : json::value(nullptr); };
  json::object stars;
  for (int i = 0; i < 5; ++i) stars[std::to_string(i + 1)] = s.stars[static_cast<size_t>(i)];
  return json::object{{"count", s.count},          {"stars", std::move(stars)},
                      {"average_stars", opt(s.average_stars)},
                      {"csat", opt(s.csat)},       {"nps", opt(s.nps)},
                      {"nps_count", s.nps_count},  {"promoters", s.promoters},
                      {"passives", s.passives},    {"detractors", s.detractors}};
}

}  // namespace

Result<Reply> get_track_survey(const Services& s, RequestContext& ctx) {
  auto store = survey_store(s);
  if (!store) return store.error();
  auto sh = shipment_by_token(s, ctx.param(0));
  if (!sh) return sh.error();
  auto found = (*store)->get_survey(sh->tenant_id, sh->id);
  if (!found) return found.error();
  const bool delivered = sh->status == domain::Milestone::kDelivered;
  return json_reply(200, to_json(json::object{
                             {"submitted", found->has_value()},
                             {"can_submit", delivered && !found->has_value()},
                             {"survey", *found ? json::value(survey_json(**found, false)) : json::value(nullptr)},
                             {"form", survey_form_json()}}));
}

Result<Reply> post_track_survey(const Services& s, RequestContext& ctx) {
  auto store = survey_store(s);
  if (!store) return store.error();
  auto sh = shipment_by_token(s, ctx.param(0));
  if (!sh) return sh.error();
  auto answer = parse_survey_post(ctx.req.body());
  if (!answer) return answer.error();
  storage::SurveyRecord r;
  r.tenant_id = sh->tenant_id;
  r.shipment_id = sh->id;
  r.answer = std::move(*answer);
  r.created_at = ctx.now;
  std::vector<domain::Event> events{survey_event(*sh, "survey_submitted", r.answer, ctx.now)};
  if (domain::is_low_rating(r.answer)) events.push_back(survey_event(*sh, "survey_low_rating", r.answer, ctx.now));
  auto stored = (*store)->add_survey(r, events);
  if (!stored) return stored.error();
  return json_reply(201, to_json(json::object{{"survey", survey_json(*stored, false)}}));
}

Result<Reply> get_shipment_survey(const Services& s, RequestContext& ctx) {
  auto store = survey_store(s);
  if (!store) return store.error();
  auto sh = load_visible_shipment(s, ctx, core::ShipmentId(ctx.param(0)));
  if (!sh) return sh.error();
  auto found = (*store)->get_survey(sh->tenant_id, sh->id);
  if (!found) return found.error();
  return json_reply(200, to_json(json::object{
                             {"survey", *found ? json::value(survey_json(**found, true)) : json::value(nullptr)}}));
}

Result<Reply> list_surveys(const Services& s, RequestContext& ctx) {
  auto store = survey_store(s);
  if (!store) return store.error();
  storage::SurveyFilter f;
  auto from = time_param(ctx, "from");
  if (!from) return from.error();
  auto to = time_param(ctx, "to");
  if (!to) return to.error();
  f.from = *from;
  f.to = *to;
  if (auto v = ctx.query("carrier")) f.carrier_id = core::CarrierId(*v);
  if (auto v = ctx.query("driver")) f.driver_id = core::DriverId(*v);
  if (ctx.role() == domain::Role::kCarrier) {
    if (f.carrier_id && *f.carrier_id != *ctx.principal->carrier_id)
      return Error{ErrorCode::kForbidden, "a carrier key sees its own carrier's surveys only", "carrier"};
    f.carrier_id = *ctx.principal->carrier_id;
  }
  auto rows = (*store)->list_surveys(ctx.tenant(), f, kMaxSurveyRows);
  if (!rows) return rows.error();
  json::array items;
  std::vector<domain::SurveyAnswer> answers;
  answers.reserve(rows->size());
  for (const auto& r : *rows) {
    items.push_back(survey_json(r, true));
    answers.push_back(r.answer);
  }
  return json_reply(200, to_json(json::object{{"items", std::move(items)},
                                              {"summary", summary_json(domain::summarize_surveys(answers))},
                                              {"truncated", rows->size() >= static_cast<size_t>(kMaxSurveyRows)}}));
}

}  // namespace lastmile::api::handlers
