#pragma once
// The exception queue's JSON (docs/api.md, "Exception queue"): a case as the API and the live
// stream show it, its history, and the live message that tells dispatchers a case changed.

#include <boost/json/object.hpp>

#include "domain/exception_queue.hpp"
#include "push/live_message.hpp"
#include "storage/store.hpp"

namespace lastmile::push {
class Hub;
}  // namespace lastmile::push

namespace lastmile::api {

// {"id","kind","status","shipment_id","driver_id","route_id","first_seen_at","last_seen_at","count",
//  "details":{…the raising event's payload},"acknowledged":{"at","by","role"}|null,
//  "resolved":{"at","by","role"}|null,"resolution":…|null,"revision","created_at","updated_at"}
boost::json::object exception_json(const domain::ExceptionCase& c);
// exception_json plus "history":[{"type","at","by","role","note","event_id","resolution"}] (oldest
// first) and "notes":[{"at","by","role","note"}] (the history's lines with a note).
boost::json::object exception_detail_json(const storage::ExceptionDetail& d);

// Staff only, topic tenant:<tenant> (tenant admins and dispatchers; drivers and customers never
// subscribe to it): {"type":"exception_queue","exception":<exception_json>}. A client keeps, per id,
// the message with the highest revision.
push::LiveMessage live_exception_message(const domain::ExceptionCase& c);

// An EventBus subscriber's work: when the committed event `e` signals the queue
// (domain::exception_signals), reads the cases it opened, counted or resolved and publishes each.
// Errors are returned (the caller logs them); nothing is published then.
core::Status publish_exception_changes(storage::Store& store, push::Hub& hub, const domain::Event& e);

}  // namespace lastmile::api
