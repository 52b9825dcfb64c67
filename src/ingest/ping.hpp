#pragma once
// The one normalised message of the ingest stage (DESIGN.md §3, STYLE.md habit 1): every protocol
// decoder turns its wire format into UnsafePing and does nothing else. Units are normalised by the
// decoder (metres, m/s, degrees, percent, UTC milliseconds); ranges and plausibility are NOT checked
// there — that is the filter's job (tracking/ping_filter.hpp), which turns an UnsafePing into a Ping.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace lastmile::ingest {

struct UnsafePing {
  // The identifier the device sent (OsmAnd `id`/`deviceid`, Traccar Client `device_id`, OwnTracks
  // "<user>/<device>"); empty when the transport identifies the device (JSON batch with a device token).
  std::string device_id;
  // The device's secret when it sent one in the message (OsmAnd `token` parameter); empty otherwise.
  std::string device_secret;
  core::Timestamp t;                 // when the fix was taken (UTC ms)
  core::UnsafeLatLon position;
  std::optional<double> speed_mps;
  std::optional<double> heading_deg;  // 0 = north, clockwise
  std::optional<double> accuracy_m;   // horizontal, 68 % radius
  std::optional<double> altitude_m;
  std::optional<double> battery_pct;  // 0–100
  std::optional<bool> charging;
  std::optional<bool> valid;          // the device's own fix-valid flag, when it sends one
  // Keys the protocol carries that we do not map, kept as text (Traccar keeps them as attributes).
  std::vector<std::pair<std::string, std::string>> attributes;
};

// A ping that passed the filter: a trusted position of a known driver.
struct Ping {
  core::DriverId driver_id;
  core::Timestamp t;
  core::LatLon position = *core::LatLon::from_unsafe({0, 0});
  std::optional<double> speed_mps;
  std::optional<double> heading_deg;
  std::optional<double> accuracy_m;
  std::optional<double> altitude_m;
  std::optional<double> battery_pct;
  core::Timestamp received_at;  // server time of arrival
};

}  // namespace lastmile::ingest
