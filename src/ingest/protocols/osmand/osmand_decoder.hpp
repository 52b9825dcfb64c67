#pragma once
// Decoder of the OsmAnd / Traccar Client protocol (HTTP, default port 5055 in Traccar): one HTTP
// request → one UnsafePing. Pure: no sockets, no I/O, no clock; the HTTP listener passes the parts of
// the request and the server time. Thread-safe (no shared state).
//
// Two wire variants, chosen by `content_type` (media type compared case-insensitively, parameters
// such as "; charset=utf-8" ignored):
//
// * Form (OsmAnd, Traccar Client before 9): key=value parameters in `query` (the URL query string
//   without '?') and, when `content_type` is application/x-www-form-urlencoded, also in `body`; both
//   are merged, query first. For any other content type the body is ignored. Percent-decoding with
//   '+' as space. When a key repeats, the last occurrence wins. Keys (case-sensitive):
//     id | deviceid        → device_id (required, non-empty)
//     lat, lon             → position, degrees (required, unless given by location=)
//     location=<lat>,<lon> → position
//     timestamp            → t: a number below 2^31 (absolute value) is seconds since the epoch, a larger
//                            one milliseconds; text containing 'T' is ISO 8601; otherwise
//                            "yyyy-MM-dd HH:mm:ss" in UTC. Absent → `now`.
//     speed                → speed_mps; knots when options.speed_in_knots (default), else m/s
//     bearing | heading    → heading_deg
//     altitude             → altitude_m
//     accuracy             → accuracy_m
//     batt                 → battery_pct (percent as sent)
//     charge               → charging (true/false/1/0)
//     valid                → valid (true/false/1/0)
//     token                → device_secret
//   Every other key (hdop included) is kept in `attributes` as (key, value), decoded, in input order.
//   Numbers are decimal text (std::from_chars syntax: no leading '+', no spaces).
//
// * JSON (Traccar Client 9+, content type application/json); the query is ignored:
//     {"device_id":"…","location":{"timestamp":"<ISO 8601>","coords":{"latitude":…,"longitude":…,
//      "accuracy":…,"speed":…,"heading":…,"altitude":…},"is_moving":…,"odometer":…,
//      "battery":{"level":0..1,"is_charging":…},"activity":{"type":"…"}}}
//   speed is m/s (options.speed_in_knots does not apply); battery.level 0–1 becomes percent. A negative
//   speed, heading, accuracy or battery.level means "unknown" (the app sends -1) and is left absent.
//   null is the same as absent. Attributes, in this order when present: ("is_moving", "true"/"false"),
//   ("odometer", metres as a number), ("activity.type", text). Other members are ignored.
//
// Output units: degrees, metres, m/s, percent, UTC milliseconds. Ranges are NOT checked (the ping
// filter does that), but every number that comes out is finite.
//
// Errors (core::ErrorCode, field):
//   kTooLarge       body or query longer than kMaxBytes, or more than kMaxParams form parameters
//   kMissingField   "id" (form) / "device_id" (JSON); "lat", "lon" (form);
//                   "location", "location.coords", "location.coords.latitude", "…longitude" (JSON)
//   kInvalidField   the key of a value that is not a finite number / boolean ("abc", "1e999", "nan",
//                   "inf", "" included); "timestamp" (form) / "location.timestamp" (JSON) for a bad
//                   time; "query" / "body" when the form text is not valid percent-encoding
//   kInvalidJson    JSON body that does not parse, nests deeper than 32 levels, or is not an object
//   kWrongType      JSON member of the wrong type, with its dotted path ("location.coords.latitude")

#include <cstddef>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "ingest/ping.hpp"

namespace lastmile::ingest::osmand {

inline constexpr size_t kMaxBytes = 64 * 1024;  // per body and per query string
inline constexpr size_t kMaxParams = 100;       // form parameters, query and body together

struct Options {
  // OsmAnd and Traccar Client send speed in knots; some third-party senders use m/s.
  bool speed_in_knots = true;
};

core::Result<UnsafePing> decode(std::string_view query, std::string_view content_type,
                                std::string_view body, core::Timestamp now, const Options& options = {});

}  // namespace lastmile::ingest::osmand
