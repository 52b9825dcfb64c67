#pragma once
// Drivers' breaks. POST /v1/optimize's `drivers[i].breaks`: read from the request (untrusted JSON →
// PlanBreak) and written into the answer's routes; a planned route's breaks as stored on apply
// (domain::RouteBreak); POST /v1/routes's `breaks`. docs/api.md.

#include <boost/json/array.hpp>

#include <string>
#include <vector>

#include "api/day_plan.hpp"
#include "core/error.hpp"
#include "domain/entities.hpp"

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

// The breaks a day plan's route stores (POST /v1/optimize with "apply"): each planned break with its
// id, duration, place in the route and the window it starts in.
std::vector<domain::RouteBreak> route_breaks(const PlanDriver& driver, const PlannedRoute& route);

// POST /v1/routes's `breaks` at `path` for a route of `stop_count` stops. Each item: `id` (1–64
// characters, unique on the route), `after_stops` (0–stop_count, not decreasing from one break to the
// next), `duration_s` (1–43200) and an optional `window` {start, end} (ISO-8601, ending after it
// starts). Errors: kTooLarge for more than 3 breaks; kMissingField, kWrongType or kInvalidField naming
// the first bad field.
core::Result<std::vector<domain::RouteBreak>> parse_route_breaks(const boost::json::array& breaks,
                                                                 const std::string& path, std::size_t stop_count);

// A route's `breaks` in GET /v1/routes/{id}: [{id, after_stops, duration_s, window}].
boost::json::array route_breaks_json(const std::vector<domain::RouteBreak>& breaks);

}  // namespace lastmile::api
