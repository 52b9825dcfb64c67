#pragma once
// Which webhook event types a stored event stands for, and subscription patterns. Pure.
//
// Types (docs/webhooks.md): a milestone change is "shipment.<milestone>"; the geofence's
// driver_arrived / driver_departed are "stop.arrived" / "stop.departed"; a parcel scan is
// "scan.recorded"; an event carrying a proof of delivery is also "proof.captured"; an event that
// opens or counts an exception case is "exception.raised", one that clears cases "exception.resolved".
// There is no event for a changed stored ETA yet, so no "shipment.eta_changed".

#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace lastmile::notify {

// The webhook types of `e`, in a stable order, without duplicates (often empty).
std::vector<std::string> webhook_types(const domain::Event& e);

// Every type a subscription may name exactly (for validation and docs).
const std::vector<std::string>& known_webhook_types();

// True when `pattern` is "*", a known type, or "<prefix>.*" of a known prefix ("shipment.*").
bool valid_event_pattern(std::string_view pattern);

// True when `type` matches `pattern` ("*" matches all; "shipment.*" every "shipment.…").
bool pattern_matches(std::string_view pattern, std::string_view type);
bool any_pattern_matches(const std::vector<std::string>& patterns, std::string_view type);

}  // namespace lastmile::notify
