#include "api/plan_breaks.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <set>

#include "api/json_io.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

core::Result<PlanWindow> parse_window(const json::value& v, const std::string& path, core::Timestamp shift_start,
                                      core::Timestamp shift_end) {
  if (!v.is_object()) return Error::wrong_type(path, "an object");
  JsonReader r(v.as_object(), path);
  auto start = r.timestamp("start", true);
  auto end = r.timestamp("end", true);
  if (r.error()) return *r.error();
  if (end->ms <= start->ms) return Error::invalid_field(path + ".end", "a break window must end after it starts");
  if (end->ms <= shift_start.ms || start->ms >= shift_end.ms)
    return Error::invalid_field(path, "a break window must overlap the driver's shift");
  return PlanWindow{*start, *end};
}

core::Result<PlanBreak> parse_break(const json::value& v, const std::string& path, core::Timestamp shift_start,
                                    core::Timestamp shift_end) {
  if (!v.is_object()) return Error::wrong_type(path, "an object");
  JsonReader r(v.as_object(), path);
  PlanBreak b;
  b.id = r.string("id", {.required = true, .max_len = 64, .min_len = 1});
  auto duration = r.integer("duration_s", 1, 43200, true);
  const json::array* windows = r.array("windows", kMaxBreakWindows, true);
  if (r.error()) return *r.error();
  if (windows->empty()) return Error::invalid_field(path + ".windows", "a break needs at least one window");
  b.duration_s = static_cast<int>(*duration);
  for (std::size_t i = 0; i < windows->size(); ++i) {
    const std::string wpath = path + ".windows[" + std::to_string(i) + "]";
    auto w = parse_window((*windows)[i], wpath, shift_start, shift_end);
    if (!w) return w.error();
    if (!b.windows.empty() && w->start.ms <= b.windows.back().end.ms)
      return Error::invalid_field(wpath + ".start", "break windows must be in time order without overlap");
    b.windows.push_back(*w);
  }
  return b;
}

}  // namespace

core::Result<std::vector<PlanBreak>> parse_breaks(const json::array& breaks, const std::string& path,
                                                  core::Timestamp shift_start, core::Timestamp shift_end) {
  if (breaks.size() > kMaxBreaksPerDriver)
    return Error{ErrorCode::kTooLarge,
                 "field '" + path + "' has more than " + std::to_string(kMaxBreaksPerDriver) + " items", path};
  std::vector<PlanBreak> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    const std::string bpath = path + "[" + std::to_string(i) + "]";
    auto b = parse_break(breaks[i], bpath, shift_start, shift_end);
    if (!b) return b.error();
    if (!ids.insert(b->id).second) return Error::invalid_field(bpath + ".id", "break id listed twice");
    out.push_back(std::move(*b));
  }
  return out;
}

json::array breaks_json(const PlanDriver& driver, const PlannedRoute& route) {
  json::array out;
  for (const auto& b : route.breaks) {
    out.push_back(json::object{{"id", driver.breaks[b.brk].id},
                               {"after_stops", b.after_stops},
                               {"start_at", core::format_iso8601(b.start_at)},
                               {"end_at", core::format_iso8601(b.end_at)},
                               {"waiting_s", std::round(b.waiting_s)}});
  }
  return out;
}

}  // namespace lastmile::api
