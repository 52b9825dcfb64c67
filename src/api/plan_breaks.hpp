#pragma once
// POST /v1/optimize's `drivers[i].breaks`: read from the request (untrusted JSON → PlanBreak) and
// written into the answer's routes. docs/api.md.

#include <boost/json/array.hpp>

#include <string>
#include <vector>

#include "api/day_plan.hpp"
#include "core/error.hpp"

namespace lastmile::api {

inline constexpr std::size_t kMaxBreaksPerDriver = 3;
inline constexpr std::size_t kMaxBreakWindows = 4;

// `breaks` at `path` ("drivers[0].breaks") for a driver whose shift is [shift_start, shift_end]. Each
// item: `id` (1–64 characters, unique among the driver's breaks), `duration_s` (1–43200) and `windows`
// (1–4 of {start, end} ISO-8601, each ending after it starts, in order without overlap, each
// overlapping the shift). Errors: kTooLarge for more than 3 breaks or more than 4 windows;
// kMissingField, kWrongType or kInvalidField naming the first bad field.
core::Result<std::vector<PlanBreak>> parse_breaks(const boost::json::array& breaks, const std::string& path,
                                                  core::Timestamp shift_start, core::Timestamp shift_end);

// The answer's `breaks` of one route: [{id, after_stops, start_at, end_at, waiting_s}] in the order taken.
boost::json::array breaks_json(const PlanDriver& driver, const PlannedRoute& route);

}  // namespace lastmile::api
