#include "optimize/solomon_reader.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace lastmile::optimize {
namespace {

struct Line {
  int number;
  std::vector<std::string_view> words;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> out;
  int number = 0;
  while (!text.empty() || number == 0) {
    const auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++number;
    Line l{number, {}};
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      const auto start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > start) l.words.push_back(line.substr(start, i - start));
    }
    if (!l.words.empty()) out.push_back(std::move(l));
    if (eol == std::string_view::npos) break;
  }
  return out;
}

bool to_number(std::string_view w, double& out) {
  const auto* end = w.data() + w.size();
  auto [ptr, ec] = std::from_chars(w.data(), end, out);
  return ec == std::errc{} && ptr == end && std::isfinite(out);
}

Error parse_error(int line, std::string message) { return Error{ErrorCode::kParseError, std::move(message), line, ""}; }
Error invalid(int line, std::string message) { return Error{ErrorCode::kInvalidValue, std::move(message), line, ""}; }

bool is_integer(double v) { return v == std::floor(v) && std::abs(v) < 9e15; }

}  // namespace

Expected<Problem> read_solomon(std::string_view text) {
  const auto lines = split_lines(text);
  if (lines.empty()) return Error{ErrorCode::kMissingField, "empty input: no instance name", 1, ""};
  Problem p;
  p.name = std::string(lines[0].words[0]);
  std::size_t i = 1;
  while (i < lines.size() && lines[i].words[0] != "VEHICLE") ++i;
  if (i == lines.size()) return Error{ErrorCode::kMissingField, "no VEHICLE section", 0, ""};
  ++i;
  if (i < lines.size() && lines[i].words[0] == "NUMBER") ++i;
  if (i == lines.size()) return Error{ErrorCode::kMissingField, "no vehicle number and capacity", 0, ""};
  double count = 0, capacity = 0;
  const auto& vl = lines[i];
  if (vl.words.size() != 2 || !to_number(vl.words[0], count) || !to_number(vl.words[1], capacity) ||
      !is_integer(count) || !is_integer(capacity)) {
    return parse_error(vl.number, "expected two integers: NUMBER CAPACITY");
  }
  if (count < 1 || count > 10000) return invalid(vl.number, "vehicle number must be in [1, 10000]");
  if (capacity < 0) return invalid(vl.number, "capacity must be non-negative");
  ++i;
  while (i < lines.size() && lines[i].words[0] != "CUSTOMER") ++i;
  if (i == lines.size()) return Error{ErrorCode::kMissingField, "no CUSTOMER section", 0, ""};
  ++i;
  if (i < lines.size() && lines[i].words[0] == "CUST") ++i;
  std::vector<std::pair<double, double>> points;
  for (; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (l.words.size() != 7) return parse_error(l.number, "expected 7 numbers, found " + std::to_string(l.words.size()));
    double v[7];
    for (int k = 0; k < 7; ++k) {
      if (!to_number(l.words[k], v[k])) return parse_error(l.number, "not a number: '" + std::string(l.words[k]) + "'");
    }
    if (!is_integer(v[0]) || !is_integer(v[3])) return parse_error(l.number, "customer number and demand must be integers");
    if (points.empty() && v[0] != 0) return invalid(l.number, "the first row must be the depot, customer 0");
    if (v[3] < 0) return invalid(l.number, "negative demand");
    if (v[5] < v[4]) return invalid(l.number, "due date before ready time");
    if (v[6] < 0) return invalid(l.number, "negative service time");
    if (points.size() > kMaxSolomonCustomers) {
      return invalid(l.number, "more than " + std::to_string(kMaxSolomonCustomers) + " customers");
    }
    if (points.empty()) {
      Vehicle veh;
      veh.start = veh.end = LocationIndex{0};
      veh.capacity = {static_cast<int64_t>(capacity)};
      veh.shift = {v[4], v[5]};
      for (int64_t k = 0; k < static_cast<int64_t>(count); ++k) {
        veh.id = ExternalId{k + 1};
        p.vehicles.push_back(veh);
      }
    } else {
      Job job;
      job.id = ExternalId{static_cast<int64_t>(v[0])};
      job.location = LocationIndex{points.size()};
      job.delivery = {static_cast<int64_t>(v[3])};
      job.pickup = {0};
      job.service = v[6];
      job.windows = {{v[4], v[5]}};
      p.jobs.push_back(std::move(job));
    }
    points.emplace_back(v[1], v[2]);
  }
  if (points.empty()) return Error{ErrorCode::kMissingField, "no depot row in the CUSTOMER section", 0, ""};
  p.matrix = euclidean_matrix(points);
  p.objective.secondary = SecondaryObjective::kDistance;
  if (auto e = validate(p)) return *e;
  return p;
}

}  // namespace lastmile::optimize
