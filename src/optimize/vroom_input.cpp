#include "optimize/vroom_input.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <string>

#include "core/json_reader.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;
constexpr double kNoLimit = 1e18;
constexpr int64_t kMaxAmount = 1'000'000'000'000;  // keeps sums of 10,000 amounts far from overflow

Error invalid(std::string field, std::string message) {
  return Error{ErrorCode::kInvalidValue, std::move(message), 0, std::move(field)};
}
Error missing(std::string field) { return Error{ErrorCode::kMissingField, "required", 0, std::move(field)}; }

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

Expected<double> number(const json::value& v, const std::string& field, double min, double max) {
  double d = 0;
  if (v.is_int64()) d = static_cast<double>(v.get_int64());
  else if (v.is_uint64()) d = static_cast<double>(v.get_uint64());
  else if (v.is_double()) d = v.get_double();
  else return invalid(field, "must be a number");
  if (!std::isfinite(d) || d < min || d > max) return invalid(field, "out of range");
  return d;
}

Expected<int64_t> integer(const json::value& v, const std::string& field, int64_t min, int64_t max) {
  if (v.is_int64() && v.get_int64() >= min && v.get_int64() <= max) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(max) && min <= 0) return static_cast<int64_t>(v.get_uint64());
  if (v.is_int64() || v.is_uint64()) return invalid(field, "out of range");
  return invalid(field, "must be an integer");
}

Expected<std::vector<int64_t>> integers(const json::value& v, const std::string& field, int64_t min, int64_t max) {
  if (!v.is_array()) return invalid(field, "must be an array of integers");
  if (v.get_array().size() > 1000) return invalid(field, "too many items");
  std::vector<int64_t> out;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    auto x = integer(v.get_array()[i], at(field, i), min, max);
    if (!x.ok()) return x.error();
    out.push_back(x.value());
  }
  return out;
}

Expected<TimeWindow> window(const json::value& v, const std::string& field) {
  if (!v.is_array() || v.get_array().size() != 2) return invalid(field, "must be [start, end]");
  auto s = number(v.get_array()[0], at(field, 0), 0, kNoLimit);
  if (!s.ok()) return s.error();
  auto e = number(v.get_array()[1], at(field, 1), 0, kNoLimit);
  if (!e.ok()) return e.error();
  if (e.value() < s.value()) return invalid(field, "end before start");
  return TimeWindow{s.value(), e.value()};
}

const json::value* find(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

Expected<Matrix> matrix(const json::object& root) {
  const json::object* m = nullptr;
  std::string path;
  if (const auto* ms = find(root, "matrices")) {
    if (!ms->is_object() || ms->get_object().empty()) return invalid("matrices", "must be an object of profiles");
    const auto& profiles = ms->get_object();
    auto it = profiles.find("car");
    if (it == profiles.end()) it = profiles.begin();
    if (!it->value().is_object()) return invalid("matrices." + std::string(it->key()), "must be an object");
    m = &it->value().get_object();
    path = "matrices." + std::string(it->key());
  }
  const json::value* durations = m ? find(*m, "durations") : find(root, "matrix");
  if (!durations) return missing(m ? path + ".durations" : "matrices");
  const json::value* distances = m ? find(*m, "distances") : nullptr;
  Matrix out;
  auto read = [&](const json::value& v, const std::string& field, std::vector<double>& cells) -> std::optional<Error> {
    if (!v.is_array()) return invalid(field, "must be an array of rows");
    const auto& rows = v.get_array();
    if (rows.size() > kMaxVroomLocations) return invalid(field, "more than " + std::to_string(kMaxVroomLocations) + " locations");
    if (out.size == 0) out.size = rows.size();
    if (rows.size() != out.size) return Error{ErrorCode::kInconsistent, "matrices differ in size", 0, field};
    cells.reserve(out.size * out.size);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].is_array() || rows[i].get_array().size() != out.size) {
        return Error{ErrorCode::kInconsistent, "row must have " + std::to_string(out.size) + " values", 0, at(field, i)};
      }
      for (std::size_t j = 0; j < out.size; ++j) {
        auto x = number(rows[i].get_array()[j], at(at(field, i), j), 0, kNoLimit);
        if (!x.ok()) return x.error();
        cells.push_back(x.value());
      }
    }
    return std::nullopt;
  };
  if (auto e = read(*durations, m ? path + ".durations" : "matrix", out.durations)) return *e;
  if (distances) {
    if (auto e = read(*distances, path + ".distances", out.distances)) return *e;
  } else {
    out.distances = out.durations;
  }
  return out;
}

// A vehicle break: {"id", "time_windows" (required), "service", "description", "max_load"}.
Expected<Break> vehicle_break(const json::value& v, const std::string& f) {
  if (!v.is_object()) return invalid(f, "must be an object");
  const auto& o = v.get_object();
  Break b;
  const auto* id = find(o, "id");
  if (!id) return missing(f + ".id");
  auto idv = integer(*id, f + ".id", 0, INT64_MAX);
  if (!idv.ok()) return idv.error();
  b.id = ExternalId{idv.value()};
  const auto* tws = find(o, "time_windows");
  if (!tws) return missing(f + ".time_windows");
  if (!tws->is_array() || tws->get_array().empty() || tws->get_array().size() > 100) {
    return invalid(f + ".time_windows", "must be a non-empty array of at most 100 windows");
  }
  for (std::size_t i = 0; i < tws->get_array().size(); ++i) {
    auto w = window(tws->get_array()[i], at(f + ".time_windows", i));
    if (!w.ok()) return w.error();
    b.windows.push_back(w.value());
  }
  if (const auto* s = find(o, "service")) {
    auto x = number(*s, f + ".service", 0, kNoLimit);
    if (!x.ok()) return x.error();
    b.service = x.value();
  }
  if (const auto* d = find(o, "description")) {
    if (!d->is_string()) return invalid(f + ".description", "must be a string");
    b.description = std::string(d->get_string());
  }
  if (const auto* m = find(o, "max_load")) {
    auto x = integers(*m, f + ".max_load", 0, kMaxAmount);
    if (!x.ok()) return x.error();
    b.max_load = x.value();
  }
  return b;
}

Expected<Vehicle> vehicle(const json::value& v, const std::string& f) {
  if (!v.is_object()) return invalid(f, "must be an object");
  const auto& o = v.get_object();
  Vehicle veh;
  const auto* id = find(o, "id");
  if (!id) return missing(f + ".id");
  auto idv = integer(*id, f + ".id", 0, INT64_MAX);
  if (!idv.ok()) return idv.error();
  veh.id = ExternalId{idv.value()};
  for (const char* key : {"start_index", "end_index"}) {
    if (const auto* x = find(o, key)) {
      auto idx = integer(*x, f + "." + key, 0, kMaxVroomLocations);
      if (!idx.ok()) return idx.error();
      (std::string_view(key) == "start_index" ? veh.start : veh.end) = LocationIndex{static_cast<std::size_t>(idx.value())};
    } else if (find(o, std::string_view(key).substr(0, std::string_view(key).find('_')))) {
      return Error{ErrorCode::kUnsupported, "coordinates without a matrix index need a router", 0, f + "." + key};
    }
  }
  if (!veh.start && !veh.end) return missing(f + ".start_index");
  if (const auto* c = find(o, "capacity")) {
    auto cap = integers(*c, f + ".capacity", 0, kMaxAmount);
    if (!cap.ok()) return cap.error();
    veh.capacity = cap.value();
  }
  veh.shift = {0, kNoLimit};
  if (const auto* tw = find(o, "time_window")) {
    auto w = window(*tw, f + ".time_window");
    if (!w.ok()) return w.error();
    veh.shift = w.value();
  }
  if (const auto* s = find(o, "skills")) {
    auto skills = integers(*s, f + ".skills", 0, INT64_MAX);
    if (!skills.ok()) return skills.error();
    veh.skills = skills.value();
  }
  if (const auto* b = find(o, "breaks")) {
    if (!b->is_array() || b->get_array().size() > 100) return invalid(f + ".breaks", "must be an array of at most 100 breaks");
    for (std::size_t i = 0; i < b->get_array().size(); ++i) {
      auto br = vehicle_break(b->get_array()[i], at(f + ".breaks", i));
      if (!br.ok()) return br.error();
      veh.breaks.push_back(std::move(br).value());
    }
  }
  return veh;
}

// What a job and a shipment's step have in common: id, location_index, service, time_windows.
Expected<Job> stop(const json::object& o, const std::string& f) {
  Job j;
  const auto* id = find(o, "id");
  if (!id) return missing(f + ".id");
  auto idv = integer(*id, f + ".id", 0, INT64_MAX);
  if (!idv.ok()) return idv.error();
  j.id = ExternalId{idv.value()};
  const auto* loc = find(o, "location_index");
  if (!loc) {
    if (find(o, "location")) return Error{ErrorCode::kUnsupported, "coordinates without a matrix index need a router", 0, f + ".location_index"};
    return missing(f + ".location_index");
  }
  auto li = integer(*loc, f + ".location_index", 0, kMaxVroomLocations);
  if (!li.ok()) return li.error();
  j.location = LocationIndex{static_cast<std::size_t>(li.value())};
  if (const auto* s = find(o, "service")) {
    auto x = number(*s, f + ".service", 0, kNoLimit);
    if (!x.ok()) return x.error();
    j.service = x.value();
  }
  j.windows = {{0, kNoLimit}};
  if (const auto* tws = find(o, "time_windows")) {
    if (!tws->is_array() || tws->get_array().empty() || tws->get_array().size() > 100) {
      return invalid(f + ".time_windows", "must be a non-empty array of at most 100 windows");
    }
    j.windows.clear();
    for (std::size_t i = 0; i < tws->get_array().size(); ++i) {
      auto w = window(tws->get_array()[i], at(f + ".time_windows", i));
      if (!w.ok()) return w.error();
      j.windows.push_back(w.value());
    }
  }
  return j;
}

Expected<Job> job(const json::value& v, const std::string& f) {
  if (!v.is_object()) return invalid(f, "must be an object");
  const auto& o = v.get_object();
  auto read = stop(o, f);
  if (!read.ok()) return read.error();
  Job j = std::move(read).value();
  for (const char* key : {"delivery", "amount", "pickup"}) {
    if (const auto* a = find(o, key)) {
      auto amount = integers(*a, f + "." + key, 0, kMaxAmount);
      if (!amount.ok()) return amount.error();
      (std::string_view(key) == "pickup" ? j.pickup : j.delivery) = amount.value();
    }
  }
  if (const auto* s = find(o, "skills")) {
    auto skills = integers(*s, f + ".skills", 0, INT64_MAX);
    if (!skills.ok()) return skills.error();
    j.skills = skills.value();
  }
  if (const auto* pr = find(o, "priority")) {
    auto x = integer(*pr, f + ".priority", 0, 100);
    if (!x.ok()) return x.error();
    j.priority = static_cast<int>(x.value());
  }
  return j;
}

// One half of a VROOM shipment (`pickup` or `delivery`): id, location_index, service, time_windows,
// description (a string, not used).
Expected<Job> shipment_step(const json::value& v, const std::string& f) {
  if (!v.is_object()) return invalid(f, "must be an object");
  const auto& o = v.get_object();
  auto j = stop(o, f);
  if (!j.ok()) return j.error();
  if (const auto* d = find(o, "description"); d && !d->is_string()) return invalid(f + ".description", "must be a string");
  return j;
}

// A VROOM shipment: `pickup` and `delivery` steps, `amount`, `skills`, `priority`. Appends its two jobs
// (pickup half, then delivery half) to p.jobs, linked to each other.
std::optional<Error> shipment(const json::value& v, const std::string& f, Problem& p) {
  if (!v.is_object()) return invalid(f, "must be an object");
  const auto& o = v.get_object();
  const auto* pv = find(o, "pickup");
  if (!pv) return missing(f + ".pickup");
  const auto* dv = find(o, "delivery");
  if (!dv) return missing(f + ".delivery");
  auto pick = shipment_step(*pv, f + ".pickup");
  if (!pick.ok()) return pick.error();
  auto drop = shipment_step(*dv, f + ".delivery");
  if (!drop.ok()) return drop.error();
  Job pj = std::move(pick).value(), dj = std::move(drop).value();
  if (const auto* a = find(o, "amount")) {
    auto amount = integers(*a, f + ".amount", 0, kMaxAmount);
    if (!amount.ok()) return amount.error();
    pj.pickup = amount.value();
    dj.delivery = amount.value();
  }
  if (const auto* s = find(o, "skills")) {
    auto skills = integers(*s, f + ".skills", 0, INT64_MAX);
    if (!skills.ok()) return skills.error();
    pj.skills = dj.skills = skills.value();
  }
  if (const auto* pr = find(o, "priority")) {
    auto x = integer(*pr, f + ".priority", 0, 100);
    if (!x.ok()) return x.error();
    pj.priority = dj.priority = static_cast<int>(x.value());
  }
  const auto k = p.jobs.size();
  pj.partner = k + 1;
  pj.pickup_half = true;
  dj.partner = k;
  p.jobs.push_back(std::move(pj));
  p.jobs.push_back(std::move(dj));
  return std::nullopt;
}

// Amounts absent on one side are zeros of the problem's dimension count.
std::optional<Error> align_amounts(Problem& p) {
  std::size_t dims = 0;
  for (const auto& v : p.vehicles) dims = std::max(dims, v.capacity.size());
  for (const auto& j : p.jobs) dims = std::max({dims, j.delivery.size(), j.pickup.size()});
  for (std::size_t i = 0; i < p.vehicles.size(); ++i) {
    auto& c = p.vehicles[i].capacity;
    if (c.empty()) c.assign(dims, kMaxAmount);
    if (c.size() != dims) return Error{ErrorCode::kInconsistent, "capacity sizes differ", 0, at("vehicles", i) + ".capacity"};
  }
  for (std::size_t i = 0; i < p.jobs.size(); ++i) {
    for (auto* a : {&p.jobs[i].delivery, &p.jobs[i].pickup}) {
      if (a->empty()) a->assign(dims, 0);
      if (a->size() != dims) return Error{ErrorCode::kInconsistent, "amount sizes differ from capacity", 0, at("jobs", i)};
    }
  }
  return std::nullopt;
}

}  // namespace

Expected<Problem> read_vroom_json(std::string_view text) {
  auto parsed = core::parse_json(text);
  if (!parsed.ok()) return Error{ErrorCode::kParseError, parsed.error().message, 0, ""};
  if (!parsed.value().is_object()) return Error{ErrorCode::kParseError, "the input must be a JSON object", 0, ""};
  const auto& root = parsed.value().get_object();
  Problem p;
  p.objective.secondary = SecondaryObjective::kDuration;
  const auto* vs = find(root, "vehicles");
  if (!vs) return missing("vehicles");
  if (!vs->is_array() || vs->get_array().size() > kMaxVroomItems) return invalid("vehicles", "must be an array of at most 10000 vehicles");
  for (std::size_t i = 0; i < vs->get_array().size(); ++i) {
    auto v = vehicle(vs->get_array()[i], at("vehicles", i));
    if (!v.ok()) return v.error();
    p.vehicles.push_back(std::move(v).value());
  }
  if (const auto* js = find(root, "jobs")) {
    if (!js->is_array() || js->get_array().size() > kMaxVroomItems) return invalid("jobs", "must be an array of at most 10000 jobs");
    for (std::size_t i = 0; i < js->get_array().size(); ++i) {
      auto j = job(js->get_array()[i], at("jobs", i));
      if (!j.ok()) return j.error();
      p.jobs.push_back(std::move(j).value());
    }
  }
  // Shipments: two jobs each after the jobs; shipment_paths[i] is the field of p.jobs[first_shipment + i].
  const auto first_shipment = p.jobs.size();
  std::vector<std::string> shipment_paths;
  if (const auto* ss = find(root, "shipments")) {
    if (!ss->is_array() || ss->get_array().size() > kMaxVroomItems) {
      return invalid("shipments", "must be an array of at most 10000 shipments");
    }
    if (first_shipment + 2 * ss->get_array().size() > kMaxVroomItems) {
      return invalid("shipments", "more than 10000 jobs and shipment steps in all");
    }
    for (std::size_t i = 0; i < ss->get_array().size(); ++i) {
      if (auto e = shipment(ss->get_array()[i], at("shipments", i), p)) return *e;
      shipment_paths.push_back(at("shipments", i) + ".pickup");
      shipment_paths.push_back(at("shipments", i) + ".delivery");
    }
  }
  // Our extension (not VROOM's): {"options": {"lateness_penalty": X}} makes every time window soft.
  if (const auto* opts = find(root, "options")) {
    if (!opts->is_object()) return invalid("options", "must be an object");
    if (const auto* lp = find(opts->get_object(), "lateness_penalty")) {
      auto x = number(*lp, "options.lateness_penalty", 0, 1e9);
      if (!x.ok()) return x.error();
      p.objective.lateness_penalty = x.value();
    }
  }
  auto m = matrix(root);
  if (!m.ok()) return m.error();
  p.matrix = std::move(m).value();
  if (!shipment_paths.empty()) {
    // A shipment's amount must have the capacity's dimension count (checked here for its field path).
    std::size_t dims = 0;
    for (const auto& v : p.vehicles) dims = std::max(dims, v.capacity.size());
    for (std::size_t j = 0; j < first_shipment; ++j) dims = std::max({dims, p.jobs[j].delivery.size(), p.jobs[j].pickup.size()});
    for (std::size_t i = 0; i < shipment_paths.size(); i += 2) {
      const auto size = p.jobs[first_shipment + i].pickup.size();
      if (size != 0 && dims != 0 && size != dims) {
        return Error{ErrorCode::kInconsistent, "amount sizes differ from capacity", 0,
                     at("shipments", i / 2) + ".amount"};
      }
    }
  }
  // align_amounts and validate name a shipment's half as jobs[i]: give the input's field instead.
  const auto input_field = [&](Error e) {
    const std::string prefix = "jobs[";
    if (e.field.starts_with(prefix)) {
      const auto close = e.field.find(']');
      const auto index = std::stoull(e.field.substr(prefix.size(), close - prefix.size()));
      if (index >= first_shipment && index - first_shipment < shipment_paths.size()) {
        e.field = shipment_paths[index - first_shipment] + e.field.substr(close + 1);
      }
    }
    return e;
  };
  if (auto e = align_amounts(p)) return input_field(*e);
  if (auto e = validate(p)) return input_field(*e);
  return p;
}

}  // namespace lastmile::optimize
