#pragma once
// How long a search runs: an iteration budget, a time limit, or both. The clock is injected (a steady
// clock in the CLI, a fake one in tests).
//
// Determinism: with an iteration budget, progress (which drives the annealing temperature and the
// phase switch) is counted in iterations only, and the time limit is just a safety stop; so the same
// seed and iteration count give the same solution whenever the time limit is not what ended the run.

#include <cstdint>
#include <functional>
#include <optional>

namespace lastmile::optimize {

struct Budget {
  std::optional<uint64_t> iterations;   // total over all phases of one search
  double seconds = 10;                  // time limit of the whole solve
  std::function<double()> elapsed;      // seconds since the solve started

  // Fraction of the budget used after `done` iterations, in [0, 1+].
  double progress(uint64_t done) const {
    if (iterations) return *iterations == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(*iterations);
    return seconds <= 0 ? 1.0 : elapsed() / seconds;
  }
  bool out_of_time() const { return elapsed() >= seconds; }
  bool exhausted(uint64_t done) const {
    if (iterations && done >= *iterations) return true;
    return elapsed() >= seconds;
  }
};

}  // namespace lastmile::optimize
