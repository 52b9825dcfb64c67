#include "api/chat_json.hpp"

#include <boost/json.hpp>

#include "api/json_io.hpp"

namespace lastmile::api {

namespace json = boost::json;

json::object chat_message_json(const storage::ChatMessage& m) {
  return json::object{{"seq", m.seq},
                      {"id", m.id},
                      {"author", json::object{{"role", domain::chat_role_name(m.author_role)}, {"label", m.author_label}}},
                      {"channel", domain::chat_channel_name(m.channel)},
                      {"body", m.body},
                      {"client_id", m.client_id.empty() ? json::value(nullptr) : json::value(m.client_id)},
                      {"created_at", core::format_iso8601(m.created_at)}};
}

push::LiveMessage live_chat_message(const storage::ChatMessage& m, const std::optional<core::RouteId>& route) {
  push::LiveMessage out;
  out.kind = push::LiveMessage::Kind::kMessage;
  out.topics = {push::Topic::tenant(m.tenant_id), push::Topic::shipment(m.shipment_id)};
  if (route) out.topics.push_back(push::Topic::route(*route));
  // The same text for both audiences: a message holds nothing only staff may see.
  auto text = std::make_shared<const std::string>(to_json(
      json::object{{"type", "message"}, {"shipment_id", m.shipment_id.str()}, {"message", chat_message_json(m)}}));
  out.staff_json = text;
  out.public_json = text;
  return out;
}

json::object survey_json(const storage::SurveyRecord& r, bool staff) {
  json::array tags;
  for (const auto& t : r.answer.tags) tags.emplace_back(t);
  json::object o{{"stars", r.answer.stars},
                 {"nps", r.answer.nps ? json::value(*r.answer.nps) : json::value(nullptr)},
                 {"comment", r.answer.comment},
                 {"tags", std::move(tags)},
                 {"source", domain::survey_source_name(r.answer.source)},
                 {"created_at", core::format_iso8601(r.created_at)}};
  if (staff) {
    o["shipment_id"] = r.shipment_id.str();
    o["tracking_number"] = r.tracking_number;
    o["carrier_id"] = r.carrier_id ? json::value(r.carrier_id->str()) : json::value(nullptr);
    o["driver_id"] = r.driver_id ? json::value(r.driver_id->str()) : json::value(nullptr);
    o["low_rating"] = domain::is_low_rating(r.answer);
  }
  return o;
}

json::object survey_form_json() {
  json::array tags;
  for (auto t : domain::kSurveyTags) tags.emplace_back(t);
  return json::object{{"tags", std::move(tags)},
                      {"max_comment_chars", domain::kMaxSurveyCommentChars},
                      {"stars", json::object{{"min", 1}, {"max", 5}}},
                      {"nps", json::object{{"min", 0}, {"max", 10}}}};
}

}  // namespace lastmile::api
