#include "app/optimize_command.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "optimize/feasibility_checker.hpp"
#include "optimize/solomon_reader.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/vroom_input.hpp"

namespace lastmile::app {

int optimize_command(const OptimizeOptions& o, std::ostream& out, std::ostream& err) {
  using namespace lastmile::optimize;
  const auto t0 = std::chrono::steady_clock::now();
  std::string text;
  if (o.file == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream f(o.file, std::ios::binary);
    if (!f) {
      err << "optimize: error " << code_name(ErrorCode::kIo) << ": cannot read " << o.file << "\n";
      return 1;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  auto problem = o.format == "json" ? read_vroom_json(text) : read_solomon(text);
  if (!problem.ok()) {
    err << "optimize: error " << problem.error().describe() << "\n";
    return 1;
  }
  auto& p = problem.value();
  if (o.objective == "distance") p.objective.secondary = SecondaryObjective::kDistance;
  if (o.objective == "duration") p.objective.secondary = SecondaryObjective::kDuration;
  if (o.lateness_penalty) p.objective.lateness_penalty = *o.lateness_penalty;
  SolveOptions so;
  so.seed = o.seed;
  so.threads = o.threads;
  so.iterations = o.iterations;
  so.seconds = o.time_limit_s;
  so.elapsed = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const auto result = solve(p, so);
  const auto report = check_feasibility(p, result.solution);
  const double seconds = so.elapsed();
  if (!report.feasible()) {
    const auto& v = report.violations.front();
    err << "optimize: error infeasible_solution: " << report.violations.size() << " violations, first "
        << kind_name(v.kind) << ": " << v.detail << "\n";
    return 3;
  }
  out << (o.format == "json" ? vroom_solution_json(p, result.solution) : lastmile_solution_json(p, result.solution))
      << "\n";
  std::string lateness_note;
  if (p.objective.lateness_penalty) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " lateness=%.2f", report.lateness);
    lateness_note = buf;
  }
  char line[320];
  std::snprintf(line, sizeof line,
                "optimize: %s vehicles=%zu distance=%.2f duration=%.2f unassigned=%zu iterations=%llu seed=%llu "
                "threads=%u time=%.2fs%s feasible\n",
                p.name.empty() ? "problem" : p.name.c_str(), report.vehicles_used, report.distance, report.duration,
                result.solution.unassigned.size(), static_cast<unsigned long long>(result.iterations),
                static_cast<unsigned long long>(result.seed), o.threads, seconds, lateness_note.c_str());
  err << line;
  return 0;
}

}  // namespace lastmile::app
