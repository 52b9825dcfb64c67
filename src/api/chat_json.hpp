#pragma once
// JSON of chat messages and surveys for the API and the live push (docs/chat-and-surveys.md).
//
// A message as anyone sees it: {"seq","id","author":{"role","label"},"channel","body","client_id",
// "created_at"} — labels only, never a phone number, e-mail or credential. Live:
// {"type":"message","shipment_id","message":{…}} to the shipment topic (customers: public audience),
// the tenant topic and the shipment's route topic (staff).

#include <boost/json/object.hpp>

#include <optional>

#include "push/live_message.hpp"
#include "storage/chat_store.hpp"
#include "storage/survey_store.hpp"

namespace lastmile::api {

boost::json::object chat_message_json(const storage::ChatMessage& m);
push::LiveMessage live_chat_message(const storage::ChatMessage& m, const std::optional<core::RouteId>& route);

// {"stars","nps","comment","tags","source","created_at"}; staff views add shipment_id,
// tracking_number, carrier_id and driver_id.
boost::json::object survey_json(const storage::SurveyRecord& r, bool staff);
// The form's options: {"tags":[…],"max_comment_chars":2000,"stars":{"min":1,"max":5},"nps":{…}}.
boost::json::object survey_form_json();

}  // namespace lastmile::api
