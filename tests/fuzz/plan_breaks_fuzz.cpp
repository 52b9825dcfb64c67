// Fuzzes the readers of drivers' breaks (api/plan_breaks.hpp), POST /v1/optimize's `drivers[i].breaks`
// and POST /v1/routes's `breaks`: arbitrary JSON gives either the breaks or an Error with a stable code
// naming a field under the given path — never a crash, a hang or undefined behaviour. What gets through
// keeps the readers' promises: at most 3 breaks with unique ids of 1–64 characters and durations of
// 1–43200 s; a plan's break has 1–4 windows, every window ending after it starts, in time order
// without overlap and overlapping the driver's shift; a route's break sits after 0 to the route's stop
// count of stops, not before the previous break, its optional window ending after it starts.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "api/plan_breaks.hpp"

namespace {

namespace api = lastmile::api;
using lastmile::core::Timestamp;

constexpr Timestamp kShiftStart{1'700'000'000'000};  // 2023-11-14T22:13:20Z
constexpr Timestamp kShiftEnd{1'700'000'000'000 + 10 * 3600 * 1000};

void check(const std::vector<api::PlanBreak>& breaks) {
  if (breaks.size() > api::kMaxBreaksPerDriver) __builtin_trap();
  std::set<std::string> ids;
  for (const auto& b : breaks) {
    if (b.id.empty() || b.id.size() > 64 || !ids.insert(b.id).second) __builtin_trap();
    if (b.duration_s < 1 || b.duration_s > 43200) __builtin_trap();
    if (b.windows.empty() || b.windows.size() > api::kMaxBreakWindows) __builtin_trap();
    for (std::size_t i = 0; i < b.windows.size(); ++i) {
      const auto& w = b.windows[i];
      if (w.end <= w.start || w.end <= kShiftStart || w.start >= kShiftEnd) __builtin_trap();
      if (i > 0 && w.start <= b.windows[i - 1].end) __builtin_trap();
    }
  }
}

constexpr std::size_t kStops = 5;

void check_route(const std::vector<lastmile::domain::RouteBreak>& breaks) {
  if (breaks.size() > api::kMaxBreaksPerDriver) __builtin_trap();
  std::set<std::string> ids;
  int previous = 0;
  for (const auto& b : breaks) {
    if (b.id.empty() || b.id.size() > 64 || !ids.insert(b.id).second) __builtin_trap();
    if (b.duration_s < 1 || b.duration_s > 43200) __builtin_trap();
    if (b.after_stops < previous || b.after_stops > static_cast<int>(kStops)) __builtin_trap();
    if (b.window && b.window->end <= b.window->start) __builtin_trap();
    previous = b.after_stops;
  }
}

template <typename T>
void check_error(const lastmile::core::Result<T>& r, const std::string& path) {
  (void)lastmile::core::code_name(r.error().code);
  if (r.error().field.rfind(path, 0) != 0) __builtin_trap();  // the error names a field under `path`
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return 0;
  const std::string path = "drivers[0].breaks";
  auto breaks = api::parse_breaks(value.as_array(), path, kShiftStart, kShiftEnd);
  if (breaks)
    check(*breaks);
  else
    check_error(breaks, path);
  auto route_breaks = api::parse_route_breaks(value.as_array(), "breaks", kStops);
  if (route_breaks)
    check_route(*route_breaks);
  else
    check_error(route_breaks, "breaks");
  return 0;
}
