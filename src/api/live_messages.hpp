#pragma once
// What the live hub carries for the API's two sources: committed events (from the EventBus) and the
// ingest pipeline's updates (positions, stop arrivals/departures, exceptions). Each is serialised
// once per audience here; the hub only routes (push/live_message.hpp). Shapes: docs/api.md,
// "Live updates".

#include "domain/entities.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "push/live_message.hpp"

namespace lastmile::api {

// Topics tenant:<tenant> and shipment:<shipment>; event_seq = global_seq.
// Staff: {"type":"event","id":<global_seq>,"event":<the event as GET /v1/shipments/{id}/events shows it>}.
// Public, milestone events only: {"type":"event","id":<global_seq>,"event":{"type","at","tag"}}.
push::LiveMessage live_event_message(const domain::Event& e);

// Topics tenant:<tenant>, route:<route> (when on one) and shipment:<each of public_audience>;
// positions coalesce per driver. The public text (positions only) is sent to customers of the
// shipments in public_audience — the pipeline applied the location-privacy rule.
push::LiveMessage live_update_message(const pipeline::LiveUpdate& u);

}  // namespace lastmile::api
