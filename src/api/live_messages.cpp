#include "api/live_messages.hpp"

#include <boost/json.hpp>

#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"

namespace lastmile::api {

namespace json = boost::json;

namespace {

std::shared_ptr<const std::string> shared_text(std::string s) {
  if (s.empty()) return nullptr;
  return std::make_shared<const std::string>(std::move(s));
}

push::LiveMessage::Kind kind_of(pipeline::LiveUpdate::Kind k) {
  switch (k) {
    case pipeline::LiveUpdate::Kind::kPosition: return push::LiveMessage::Kind::kPosition;
    case pipeline::LiveUpdate::Kind::kStop: return push::LiveMessage::Kind::kStop;
    case pipeline::LiveUpdate::Kind::kException: return push::LiveMessage::Kind::kException;
    case pipeline::LiveUpdate::Kind::kEta: return push::LiveMessage::Kind::kEta;
  }
  return push::LiveMessage::Kind::kException;
}

}  // namespace

push::LiveMessage live_event_message(const domain::Event& e) {
  push::LiveMessage m;
  m.kind = push::LiveMessage::Kind::kEvent;
  m.event_seq = e.global_seq;
  m.topics = {push::Topic::tenant(e.tenant_id), push::Topic::shipment(e.shipment_id)};
  m.staff_json = shared_text(to_json(json::object{{"type", "event"}, {"id", e.global_seq}, {"event", event_json(e)}}));
  if (e.milestone) {
    json::object shown{{"type", e.type}, {"at", core::format_iso8601(e.at)}, {"tag", domain::aftership_tag(*e.milestone)}};
    m.public_json =
        shared_text(to_json(json::object{{"type", "event"}, {"id", e.global_seq}, {"event", std::move(shown)}}));
  }
  return m;
}

push::LiveMessage live_update_message(const pipeline::LiveUpdate& u) {
  push::LiveMessage m;
  m.kind = kind_of(u.kind);
  if (m.kind == push::LiveMessage::Kind::kPosition) m.coalesce_key = u.driver.str();
  m.topics.reserve(2 + u.public_audience.size());
  if (!u.staff_json.empty()) {  // a message for customers only reaches no staff topic
    m.topics.push_back(push::Topic::tenant(u.tenant));
    if (u.route) m.topics.push_back(push::Topic::route(*u.route));
  }
  for (const auto& id : u.public_audience) m.topics.push_back(push::Topic::shipment(id));
  m.staff_json = shared_text(u.staff_json);
  if (!u.public_audience.empty()) m.public_json = shared_text(u.public_json);
  return m;
}

}  // namespace lastmile::api
