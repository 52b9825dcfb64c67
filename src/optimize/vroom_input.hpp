#pragma once
// Reader of VROOM's input format (JSON) with custom matrices: `vehicles` (id, start_index, end_index,
// capacity, time_window, skills), `jobs` (id, location_index, delivery, pickup, amount, service,
// time_windows, skills, priority), `matrices` {"<profile>": {"durations", "distances"}} (or the older
// top-level `matrix`). The objective is vehicles first, then total duration (VROOM's default cost).
// `shipments` (amount, skills, priority, pickup and delivery: id, location_index, service, time_windows,
// description) become two linked jobs each, after the jobs: the pickup half, then the delivery half.
// Vehicle `breaks` (id, time_windows, service, description, max_load) and our extension
// {"options": {"lateness_penalty": X}} (soft windows) are read too.
// Not supported (kUnsupported): coordinates without matrix indices (no router here).

#include <string_view>

#include "optimize/optimize_error.hpp"
#include "optimize/problem.hpp"

namespace lastmile::optimize {

inline constexpr std::size_t kMaxVroomLocations = 5000;
inline constexpr std::size_t kMaxVroomItems = 10000;  // vehicles, jobs

// On failure: kParseError (not JSON, or too deeply nested), kWrongType-like problems and out-of-range
// values as kInvalidValue with the field path ("jobs[2].time_windows[0]"), kMissingField, kInconsistent
// (an index outside the matrix, amounts of different sizes), kUnsupported.
Expected<Problem> read_vroom_json(std::string_view text);

}  // namespace lastmile::optimize
