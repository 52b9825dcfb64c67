#pragma once
// Decoder for our driver app's batch upload, the body of `POST /v1/pings`:
//   [{"t":"2024-05-01T09:30:00.000Z","lat":52.52,"lon":13.40,"speed":8.3,"heading":90,
//     "accuracy":5,"battery":71,"altitude":34},
//    {"t":1714555860000,"lat":52.521,"lon":13.401}]
// The request's device token identifies the device, so device_id of every ping stays empty.
// Pure: no I/O, no clock; safe to call from any thread.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ingest/ping.hpp"

namespace lastmile::ingest::json_batch {

inline constexpr size_t kDefaultMaxPoints = 1000;

// Decodes `body`, a JSON array of 1..max_points point objects, into pings in array order:
//   t           required: an ISO 8601 string (core::parse_iso8601; no offset means UTC) or a number of
//               epoch milliseconds (rounded to whole ms)
//   position    `lat`, `lon` required (degrees; ranges NOT checked — the ping filter does that)
//   speed_mps   `speed` (m/s)          heading_deg `heading` (degrees, 0 = north)
//   accuracy_m  `accuracy` (metres)    altitude_m  `altitude` (metres)
//   battery_pct `battery` (percent 0–100; range not checked here)
//   attributes  any other member of a point, as text (strings verbatim, others as compact JSON)
// Optional fields that are absent or null stay unset. Every number in the result is finite.
//
// All or nothing: one bad point refuses the whole batch. The app re-sends a refused batch as it is,
// so accepting part of it would make the retry ambiguous (which points were stored?).
//
// Errors (code, field), where [i] is the index of the first bad point:
//   kInvalidJson  ""          not JSON, nested deeper than 32, or not a JSON array
//   kInvalidField ""          empty array
//   kTooLarge     ""          more than max_points points
//   kWrongType    "[i]"       a point is not an object
//   kMissingField "[i].t" / "[i].lat" / "[i].lon"   required field missing or null
//   kWrongType    "[i].<key>" `t` neither string nor number; another mapped field not a number
//   kInvalidField "[i].<key>" a number non-finite or |x| > 1e9; `t` not a valid ISO 8601 time,
//                             before 1970 (negative), or after year 9999
core::Result<std::vector<UnsafePing>> decode(std::string_view body, size_t max_points = kDefaultMaxPoints);

}  // namespace lastmile::ingest::json_batch
