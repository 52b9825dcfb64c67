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

core::Result<domain::RouteBreak> parse_route_break(const json::value& v, const std::string& path,
                                                   std::size_t stop_count) {
  if (!v.is_object()) return Error::wrong_type(path, "an object");
  JsonReader r(v.as_object(), path);
  domain::RouteBreak b;
  b.id = r.string("id", {.required = true, .max_len = 64, .min_len = 1});
  auto after = r.integer("after_stops", 0, static_cast<int64_t>(stop_count), true);
  auto duration = r.integer("duration_s", 1, 43200, true);
  const json::object* window = r.object("window");
  if (r.error()) return *r.error();
  b.after_stops = static_cast<int>(*after);
  b.duration_s = static_cast<int>(*duration);
  if (window) {
    JsonReader w(*window, path + ".window");
    auto start = w.timestamp("start", true);
    auto end = w.timestamp("end", true);
    if (w.error()) return *w.error();
    if (end->ms <= start->ms)
      return Error::invalid_field(path + ".window.end", "a break window must end after it starts");
    b.window = domain::TimeWindow{*start, *end};
  }
  return b;
}

}  // namespace

core::Result<std::vector<domain::RouteBreak>> parse_route_breaks(const json::array& breaks, const std::string& path,
                                                                 std::size_t stop_count) {
  if (breaks.size() > kMaxBreaksPerDriver)
    return Error{ErrorCode::kTooLarge,
                 "field '" + path + "' has more than " + std::to_string(kMaxBreaksPerDriver) + " items", path};
  std::vector<domain::RouteBreak> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    const std::string bpath = path + "[" + std::to_string(i) + "]";
    auto b = parse_route_break(breaks[i], bpath, stop_count);
    if (!b) return b.error();
    if (!ids.insert(b->id).second) return Error::invalid_field(bpath + ".id", "break id listed twice");
    if (!out.empty() && b->after_stops < out.back().after_stops)
      return Error::invalid_field(bpath + ".after_stops", "breaks must be listed in the order they are taken");
    out.push_back(std::move(*b));
  }
  return out;
}

std::vector<domain::RouteBreak> route_breaks(const PlanDriver& driver, const PlannedRoute& route) {
  std::vector<domain::RouteBreak> out;
  for (const auto& planned : route.breaks) {
    const PlanBreak& b = driver.breaks[planned.brk];
    domain::RouteBreak rb;
    rb.id = b.id;
    rb.after_stops = static_cast<int>(planned.after_stops);
    rb.duration_s = b.duration_s;
    for (const auto& w : b.windows)  // the window the plan starts it in
      if (w.start <= planned.start_at && planned.start_at <= w.end) rb.window = domain::TimeWindow{w.start, w.end};
    out.push_back(std::move(rb));
  }
  return out;
}

json::array route_breaks_json(const std::vector<domain::RouteBreak>& breaks) {
  json::array out;
  for (const auto& b : breaks) {
    json::value window = nullptr;
    if (b.window)
      window = json::object{{"start", core::format_iso8601(b.window->start)},
                            {"end", core::format_iso8601(b.window->end)}};
    out.push_back(json::object{{"id", b.id},
                               {"after_stops", b.after_stops},
                               {"duration_s", b.duration_s},
                               {"window", std::move(window)}});
  }
  return out;
}

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
