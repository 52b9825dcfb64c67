#pragma once
// OwnTracks over MQTT: the handler of MqttSubscriber messages on `owntracks/{user}/{device}`. The
// device id is "<user>/<device>" (the driver's device_id). The broker authenticated the client and
// authorised its topic, so no device secret is asked (the tenant's require_device_secret applies to
// the HTTP protocols only): configure the broker's ACLs so a user may publish only under
// owntracks/<own user>/#.
//
// What happens to a message, and its acknowledgement (see mqtt_subscriber.hpp):
//   a position taken — stored durably, or refused by the filter — → kAcknowledge
//   not a position (`_type` other than location), undecodable, a topic not of the form
//   owntracks/<user>/<device>, an unknown device (counted)                → kAcknowledge (dropped)
//   the store could not take it (kUnavailable, kInternal)                  → kRedeliver
//
// Threading: handle() runs on the subscriber's network thread and blocks until durable.

#include <string_view>

#include "core/time.hpp"
#include "mqtt/mqtt_subscriber.hpp"
#include "pipeline/tracker_ingest.hpp"

namespace lastmile::mqtt {

class OwnTracksMqttIngest {
 public:
  static constexpr std::string_view kProtocol = "owntracks_mqtt";

  // `ingest` is made with kProtocol; `clock` outlives this object.
  OwnTracksMqttIngest(pipeline::TrackerIngest ingest, const core::Clock& clock);

  Disposition handle(std::string_view topic, std::string_view payload);

 private:
  pipeline::TrackerIngest ingest_;
  const core::Clock& clock_;
};

}  // namespace lastmile::mqtt
