#pragma once
// `lastmile optimize --format solomon|json FILE --time-limit S [--seed N] [--threads T] [--iterations N]
// [--objective distance|duration] [--lateness-penalty X]`:
// reads a problem, solves it, checks the solution with the independent feasibility checker and prints
// it as JSON on stdout (lastmile's shape for solomon, VROOM's solution shape for json) with a one-line
// summary on stderr.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace lastmile::app {

struct OptimizeOptions {
  std::string format = "solomon";  // "solomon" or "json"
  std::string file;                // "-" reads stdin
  double time_limit_s = 10;
  uint64_t seed = 1;
  unsigned threads = 1;
  std::optional<uint64_t> iterations;
  std::string objective;           // "", "distance" or "duration": after the vehicle count; "" keeps the
                                   // format's default (solomon: distance, json: duration)
  std::optional<double> lateness_penalty;  // soft time windows with this cost per unit of lateness
                                           // (overrides the VROOM input's options.lateness_penalty)
};

// Exit code: 0 on success; 1 when the input cannot be read or parsed ("optimize: error <code>: ..."
// on `err`, codes of optimize::code_name); 3 when the checker finds the solution infeasible (a bug:
// nothing is printed on `out`).
int optimize_command(const OptimizeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lastmile::app
