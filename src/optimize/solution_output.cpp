#include "optimize/solution_output.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "core/json_writer.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;

// Integral values as JSON integers (VROOM's output has integer times), others as doubles.
json::value num(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::abs(x) < 9e15) return static_cast<int64_t>(x);
  return x;
}

json::array amount(const Amount& a) {
  json::array out;
  for (auto v : a) out.push_back(v);
  return out;
}

Amount sum_of(const Problem& p, const std::vector<std::size_t>& jobs, bool pickup) {
  Amount out(p.vehicles.empty() ? 0 : p.vehicles.front().capacity.size(), 0);
  for (auto j : jobs) {
    const auto& a = pickup ? p.jobs[j].pickup : p.jobs[j].delivery;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += a[i];
  }
  return out;
}

double secondary(const Problem& p, double travel, double distance) {
  return p.objective.secondary == SecondaryObjective::kDuration ? travel : distance;
}

// VROOM's step type: "job", or "pickup" / "delivery" for a shipment's halves.
const char* step_type(const Job& j) {
  if (!j.partner) return "job";
  return j.pickup_half ? "pickup" : "delivery";
}

}  // namespace

std::string lastmile_solution_json(const Problem& p, const Solution& s) {
  const auto plan = schedule(p, s);
  json::object root;
  root["instance"] = p.name;
  root["vehicles"] = plan.routes.size();
  root["distance"] = plan.distance;
  root["duration"] = plan.travel;
  const bool soft = p.objective.lateness_penalty.has_value();
  if (soft) {
    root["lateness"] = plan.lateness;
    root["lateness_penalty"] = *p.objective.lateness_penalty;
  }
  json::array unassigned;
  for (auto j : s.unassigned) unassigned.push_back(p.jobs[j].id.value);
  root["unassigned"] = std::move(unassigned);
  json::array routes;
  for (const auto& r : plan.routes) {
    json::object route;
    route["vehicle"] = p.vehicles[r.vehicle].id.value;
    route["distance"] = r.distance;
    route["duration"] = r.travel;
    route["end_arrival"] = r.end_arrival;
    json::array stops;
    for (const auto& st : r.stops) {
      json::object stop{{"job", p.jobs[st.job].id.value},
                        {"location_index", p.jobs[st.job].location.value},
                        {"arrival", st.arrival},
                        {"start", st.start},
                        {"waiting", st.waiting},
                        {"load", amount(st.load)}};
      if (soft) stop["lateness"] = st.lateness;
      stops.push_back(std::move(stop));
    }
    route["stops"] = std::move(stops);
    if (soft) route["lateness"] = r.lateness;
    if (!r.breaks.empty()) {
      json::array breaks;
      for (const auto& b : r.breaks) {
        breaks.push_back(json::object{{"break", p.vehicles[r.vehicle].breaks[b.brk].id.value},
                                      {"after_stops", b.gap},
                                      {"arrival", b.arrival},
                                      {"start", b.start},
                                      {"waiting", b.waiting},
                                      {"service", p.vehicles[r.vehicle].breaks[b.brk].service}});
      }
      route["breaks"] = std::move(breaks);
    }
    routes.push_back(std::move(route));
  }
  root["routes"] = std::move(routes);
  return core::to_json(root);
}

std::string vroom_solution_json(const Problem& p, const Solution& s) {
  const auto plan = schedule(p, s);
  json::object root;
  root["code"] = 0;
  std::vector<std::size_t> assigned;
  for (const auto& r : s.routes) assigned.insert(assigned.end(), r.begin(), r.end());
  json::object summary;
  const bool soft = p.objective.lateness_penalty.has_value();
  const double penalty = p.objective.lateness_penalty.value_or(0.0);
  summary["cost"] = num(secondary(p, plan.travel, plan.distance) + penalty * plan.lateness);
  summary["routes"] = plan.routes.size();
  summary["unassigned"] = s.unassigned.size();
  summary["delivery"] = amount(sum_of(p, assigned, false));
  summary["pickup"] = amount(sum_of(p, assigned, true));
  summary["service"] = num(plan.service);
  summary["duration"] = num(plan.travel);
  summary["waiting_time"] = num(plan.waiting);
  summary["distance"] = num(plan.distance);
  if (soft) summary["lateness"] = num(plan.lateness);
  root["summary"] = std::move(summary);
  json::array unassigned;
  for (auto j : s.unassigned) {
    unassigned.push_back(json::object{{"id", p.jobs[j].id.value}, {"location_index", p.jobs[j].location.value}, {"type", step_type(p.jobs[j])}});
  }
  root["unassigned"] = std::move(unassigned);
  json::array routes;
  for (const auto& r : plan.routes) {
    const auto& veh = p.vehicles[r.vehicle];
    const auto& jobs = s.routes[r.vehicle];
    json::object route;
    route["vehicle"] = veh.id.value;
    route["cost"] = num(secondary(p, r.travel, r.distance) + penalty * r.lateness);
    route["delivery"] = amount(sum_of(p, jobs, false));
    route["pickup"] = amount(sum_of(p, jobs, true));
    route["service"] = num(r.service);
    route["duration"] = num(r.travel);
    route["waiting_time"] = num(r.waiting);
    route["distance"] = num(r.distance);
    if (soft) route["lateness"] = num(r.lateness);
    json::array steps;
    json::object start{{"type", "start"}, {"arrival", num(r.departure)}, {"duration", 0}, {"distance", 0},
                       {"load", amount(r.start_load)}};
    if (veh.start) start["location_index"] = veh.start->value;
    steps.push_back(std::move(start));
    std::size_t next_break = 0;
    auto put_breaks = [&](std::size_t gap) {
      for (; next_break < r.breaks.size() && r.breaks[next_break].gap == gap; ++next_break) {
        const auto& sb = r.breaks[next_break];
        const auto& b = veh.breaks[sb.brk];
        json::object step{{"type", "break"},
                          {"id", b.id.value},
                          {"arrival", num(sb.arrival)},
                          {"duration", num(sb.travel_so_far)},
                          {"distance", num(sb.distance_so_far)},
                          {"service", num(b.service)},
                          {"waiting_time", num(sb.waiting)},
                          {"load", amount(sb.load)}};
        if (!b.description.empty()) step["description"] = b.description;
        steps.push_back(std::move(step));
      }
    };
    std::size_t gap = 0;
    for (const auto& st : r.stops) {
      put_breaks(gap++);
      json::object step{{"type", step_type(p.jobs[st.job])},
                        {"id", p.jobs[st.job].id.value},
                        {"location_index", p.jobs[st.job].location.value},
                        {"arrival", num(st.arrival)},
                        {"duration", num(st.travel_so_far)},
                        {"distance", num(st.distance_so_far)},
                        {"service", num(p.jobs[st.job].service)},
                        {"waiting_time", num(st.waiting)},
                        {"load", amount(st.load)}};
      if (soft) step["lateness"] = num(st.lateness);
      steps.push_back(std::move(step));
    }
    put_breaks(gap);
    json::object end{{"type", "end"}, {"arrival", num(r.end_arrival)}, {"duration", num(r.travel)},
                     {"distance", num(r.distance)}, {"load", amount(r.stops.back().load)}};
    if (veh.end) end["location_index"] = veh.end->value;
    steps.push_back(std::move(end));
    route["steps"] = std::move(steps);
    routes.push_back(std::move(route));
  }
  root["routes"] = std::move(routes);
  return core::to_json(root);
}

}  // namespace lastmile::optimize
