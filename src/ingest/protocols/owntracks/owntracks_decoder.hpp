#pragma once
// OwnTracks (https://owntracks.org/booklet/tech/json) decoder: one JSON message as the iOS and Android
// apps publish it over MQTT to `owntracks/{user}/{device}` or POST it in HTTP mode, e.g.
//   {"_type":"location","tid":"JJ","tst":1497476456,"lat":48.85,"lon":2.29,"acc":14,"alt":100,
//    "batt":99,"bs":2,"vel":12,"cog":270,"t":"u","conn":"w"}
// Pure: no I/O, no clock; safe to call from any thread.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "ingest/ping.hpp"

namespace lastmile::ingest::owntracks {

// Largest payload accepted, in bytes.
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;

// Decodes one OwnTracks message from user `user`'s device `device` (the two topic levels in MQTT
// mode, the X-Limit-U / X-Limit-D identity in HTTP mode).
//
// On a `_type":"location"` message returns an UnsafePing with:
//   device_id   "<user>/<device>"
//   t           `tst` (epoch seconds) → UTC milliseconds
//   position    `lat`, `lon` (degrees; ranges NOT checked — the ping filter does that)
//   speed_mps   `vel` (km/h) / 3.6        heading_deg `cog` (degrees)
//   accuracy_m  `acc` (metres)            altitude_m  `alt` (metres)
//   battery_pct `batt` (percent)
//   charging    `bs`: 2 (charging) or 3 (full) → true, 1 (unplugged) → false, else unset
//   attributes  every other member except `_type` (`tid`, `t`, `conn`, `SSID`, `BSSID`, `vac`, `p`,
//               `inregions`…), as text: strings verbatim, anything else as compact JSON
// Every number in the result is finite. Optional fields that are absent or null stay unset.
// Every other `_type` (transition, waypoint(s), lwt, card, status, cmd, steps, beacon, encrypted…)
// is not a position report: returns an empty optional, not an error.
//
// Errors (code, field):
//   kTooLarge     ""        payload longer than kMaxPayloadBytes
//   kInvalidField "user" / "device"  empty, or containing '/' (would make device_id ambiguous)
//   kInvalidJson  ""        not JSON, nested deeper than 32, or not a JSON object
//   kMissingField "_type"   no `_type`; "lat" / "lon" / "tst" missing (or null) in a location
//   kWrongType    <key>     `_type` not a string; a mapped field not a number
//   kInvalidField <key>     a mapped number non-finite or |x| > 1e9; `tst` negative or after
//                           year 9999
core::Result<std::optional<UnsafePing>> decode(std::string_view payload, std::string_view user,
                                               std::string_view device);

}  // namespace lastmile::ingest::owntracks
