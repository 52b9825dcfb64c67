// Fuzzes the VROOM JSON reader (optimize/vroom_input.hpp) and the solution writer. A refusal must carry a
// known code and a message; an accepted problem must pass validate(), and a small one is solved with a
// tiny iteration budget, must come out feasible by the independent checker, and its VROOM-shaped
// solution must be written without failing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "optimize/feasibility_checker.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/vroom_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::optimize;
  auto parsed = read_vroom_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) {
    const auto& e = parsed.error();
    if (e.message.empty() || code_name(e.code) == "unknown") std::abort();
    return 0;
  }
  const auto& p = parsed.value();
  if (validate(p)) std::abort();
  if (p.jobs.size() > 30 || p.vehicles.size() > 30 || p.matrix.size > 40) return 0;
  SolveOptions o;
  o.iterations = 20;
  o.seconds = 5;
  const auto r = solve(p, o);
  if (!check_feasibility(p, r.solution).feasible()) std::abort();
  if (vroom_solution_json(p, r.solution).empty()) std::abort();
  return 0;
}
