#include "api/exception_messages.hpp"

#include <boost/json.hpp>

#include "api/json_io.hpp"
#include "core/json_reader.hpp"
#include "push/hub.hpp"

namespace lastmile::api {

namespace json = boost::json;

namespace {

json::value id_or_null(const auto& id) {
  if (!id) return nullptr;
  return json::value(id->str());
}

json::value stamp_json(const std::optional<domain::ExceptionStamp>& s) {
  if (!s) return nullptr;
  return json::object{{"at", core::format_iso8601(s->at)}, {"by", s->actor}, {"role", s->role}};
}

// The stored payload of the raising event; an empty object if it is not an object (never expected).
json::object details(const std::string& text) {
  auto parsed = parse_object(text);
  return parsed ? std::move(*parsed) : json::object{};
}

}  // namespace

json::object exception_json(const domain::ExceptionCase& c) {
  json::value resolution = nullptr;
  if (c.resolution) resolution = domain::resolution_name(*c.resolution);
  return json::object{{"id", c.id.str()},
                      {"kind", domain::exception_kind_name(c.kind)},
                      {"status", domain::exception_status_name(c.status)},
                      {"shipment_id", id_or_null(c.shipment_id)},
                      {"driver_id", id_or_null(c.driver_id)},
                      {"route_id", id_or_null(c.route_id)},
                      {"first_seen_at", core::format_iso8601(c.first_seen_at)},
                      {"last_seen_at", core::format_iso8601(c.last_seen_at)},
                      {"count", c.count},
                      {"details", details(c.details_json)},
                      {"acknowledged", stamp_json(c.acknowledged)},
                      {"resolved", stamp_json(c.resolved)},
                      {"resolution", std::move(resolution)},
                      {"revision", c.revision},
                      {"created_at", core::format_iso8601(c.created_at)},
                      {"updated_at", core::format_iso8601(c.updated_at)}};
}

json::object exception_detail_json(const storage::ExceptionDetail& d) {
  json::object out = exception_json(d.exception);
  json::array history, notes;
  for (const auto& e : d.history) {
    json::value resolution = nullptr;
    if (e.resolution) resolution = domain::resolution_name(*e.resolution);
    json::value note = nullptr;
    if (!e.note.empty()) note = e.note;
    history.push_back(json::object{{"type", domain::exception_entry_name(e.kind)},
                                   {"at", core::format_iso8601(e.at)},
                                   {"by", e.actor},
                                   {"role", e.role},
                                   {"note", note},
                                   {"event_id", id_or_null(e.event_id)},
                                   {"resolution", std::move(resolution)}});
    if (!e.note.empty())
      notes.push_back(json::object{
          {"at", core::format_iso8601(e.at)}, {"by", e.actor}, {"role", e.role}, {"note", e.note}});
  }
  out["history"] = std::move(history);
  out["notes"] = std::move(notes);
  return out;
}

push::LiveMessage live_exception_message(const domain::ExceptionCase& c) {
  push::LiveMessage m;
  m.kind = push::LiveMessage::Kind::kException;
  m.topics = {push::Topic::tenant(c.tenant_id)};
  m.staff_json = std::make_shared<const std::string>(
      to_json(json::object{{"type", "exception_queue"}, {"exception", exception_json(c)}}));
  return m;
}

core::Status publish_exception_changes(storage::Store& store, push::Hub& hub, const domain::Event& e) {
  if (domain::exception_signals(e).empty()) return {};
  auto cases = store.exceptions_of_event(e.tenant_id, e.id);
  if (!cases) return cases.error();
  for (const auto& c : *cases) hub.publish(live_exception_message(c));
  return {};
}

}  // namespace lastmile::api
