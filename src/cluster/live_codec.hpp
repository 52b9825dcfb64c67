#pragma once
// A live update relayed between nodes (subject lastmile.live.<tenant>): what one node's pipeline
// produced (positions, stop arrivals/departures, exceptions, ETAs), already serialised for its two
// audiences, so every node can hand it to its local hub (docs/cluster.md). JSON, versioned:
//
//   {"v":1,"kind":"position"|"stop"|"exception"|"eta","tenant":…,"driver":…,"route":…(optional),
//    "audience":["shp_…",…],"staff":"<text>","public":"<text>"(optional)}
//
// Errors of decode_live_frame: kInvalidJson, kWrongType, kMissingField, kInvalidField (unknown
// version or kind).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::cluster {

struct LiveFrame {
  enum class Kind { kPosition, kStop, kException, kEta };
  Kind kind = Kind::kPosition;
  std::string tenant, driver;
  std::optional<std::string> route;
  std::vector<std::string> public_audience;  // shipment ids
  std::string staff_json;
  std::string public_json;  // empty: none
};

std::string encode_live_frame(const LiveFrame& f);
core::Result<LiveFrame> decode_live_frame(std::string_view text);
// "lastmile.live.<tenant>"
std::string live_subject(std::string_view tenant);

}  // namespace lastmile::cluster
