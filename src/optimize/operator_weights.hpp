#pragma once
// Adaptive operator selection (Ropke & Pisinger 2006): roulette-wheel choice by weight; each use earns a
// score (new best 33, better than current 9, accepted 13); every `segment` uses the weights move towards
// the average score per use with reaction factor 0.1.

#include <cstddef>
#include <vector>

#include "optimize/rng.hpp"

namespace lastmile::optimize {

enum class Outcome { kRejected, kAccepted, kImproved, kNewBest };

class OperatorWeights {
 public:
  explicit OperatorWeights(std::size_t count, std::size_t segment = 100);
  std::size_t choose(Rng& rng) const;
  void record(std::size_t op, Outcome outcome);
  const std::vector<double>& weights() const { return weights_; }

 private:
  void update();
  std::vector<double> weights_;
  std::vector<double> scores_;
  std::vector<std::size_t> uses_;
  std::size_t segment_;
  std::size_t since_update_ = 0;
};

}  // namespace lastmile::optimize
