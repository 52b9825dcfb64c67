#pragma once
// What a simulated phone puts on the wire for one upload, per public protocol (docs/api.md):
// the driver app's JSON batch (POST /v1/pings), Traccar Client's OsmAnd request (a query string, one
// fix), and OwnTracks' location message (POST /v1/owntracks or MQTT topic owntracks/<user>/<device>).
// Pure: text in, text out; no I/O. The transport is src/app/device_uplink.*.

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sim/drive_simulator.hpp"

namespace lastmile::sim {

// `[{"t":<epoch ms>,"lat":…,"lon":…,"speed":<m/s>,"heading":…,"accuracy":…,"battery":…},…]`.
std::string json_batch_body(const std::vector<SimPing>& pings, int battery_pct);

// The request target Traccar Client sends for one fix (its POST has no body):
// `/?id=<device id>&timestamp=<epoch s>&lat=…&lon=…&speed=<knots>&bearing=…&altitude=0.0&accuracy=…
// &batt=…&token=<device token>` — the token is lastmile's device secret (docs/api.md, Trackers).
// The simulated phone has no altitude: 0.0, as an Android phone reports a fix without one.
// Values are percent-encoded where needed. The time is whole seconds, as the app sends it (fixes at
// least 1 s apart stay distinct).
std::string osmand_target(std::string_view device_id, std::string_view token, const SimPing& ping,
                          int battery_pct);

// OwnTracks' location message: `{"_type":"location","tid":…,"tst":<epoch s>,"lat":…,"lon":…,
// "acc":<m>,"vel":<km/h>,"cog":<deg>,"batt":…,"bs":1,"conn":"m"}` (integers where the app sends
// integers).
std::string owntracks_location(const SimPing& ping, std::string_view tid, int battery_pct);

// `owntracks/<user>/<device>` for the device id `<user>/<device>`.
std::string owntracks_topic(std::string_view device_id);

// The battery level a phone reports at `t` after leaving at `start`: 95 %, draining 5 % an hour,
// never below 20 %.
int phone_battery_pct(core::Timestamp start, core::Timestamp t);

}  // namespace lastmile::sim
