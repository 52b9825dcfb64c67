// Fuzzes the Solomon text reader (optimize/solomon_reader.hpp). A refusal must carry a known code and a
// message (and a line for parse errors); an accepted problem must pass validate(), and a small one is
// solved with a tiny iteration budget and must come out feasible by the independent checker.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "optimize/feasibility_checker.hpp"
#include "optimize/solomon_reader.hpp"
#include "optimize/solver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::optimize;
  auto parsed = read_solomon(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) {
    const auto& e = parsed.error();
    if (e.message.empty() || code_name(e.code) == "unknown") std::abort();
    if (e.code == ErrorCode::kParseError && e.line <= 0) std::abort();
    return 0;
  }
  const auto& p = parsed.value();
  if (validate(p)) std::abort();
  if (p.jobs.size() > 30 || p.vehicles.size() > 30) return 0;
  SolveOptions o;
  o.iterations = 20;
  o.seconds = 5;
  const auto r = solve(p, o);
  if (!check_feasibility(p, r.solution).feasible()) std::abort();
  return 0;
}
