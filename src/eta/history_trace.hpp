#pragma once
// Reading a recorded GPS trip: the barefoot map-matcher's sample format (bmwcarit/barefoot), a JSON
// array of {"point": "POINT(<lon> <lat>)", "time": "YYYY-MM-DD HH:MM:SS+HHMM", "id": "..."}. It is
// outside input: every element is checked and an error names the element and the field.
//
// Pure: parses text it is given; the caller reads the file.

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::eta {

struct TracePoint {
  core::LatLon where;
  core::Timestamp time;  // UTC
};

// The points in file order. Errors: kInvalidJson (not JSON), kWrongType (not an array, an element
// not an object, "point" or "time" not a string; field "[i]" or "[i].point"), kMissingField
// ("[i].point", "[i].time"), kInvalidField ("[i].point": not POINT(lon lat) or out of range;
// "[i].time": not a time with an offset; "[i].time" also when time goes backwards). An empty
// array is a valid, empty trip.
core::Result<std::vector<TracePoint>> parse_barefoot_trace(std::string_view json);

}  // namespace lastmile::eta
