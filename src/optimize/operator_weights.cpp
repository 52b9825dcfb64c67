#include "optimize/operator_weights.hpp"

#include <algorithm>
#include <numeric>

namespace lastmile::optimize {
namespace {
constexpr double kReaction = 0.1;
constexpr double kMinWeight = 0.05;
}

OperatorWeights::OperatorWeights(std::size_t count, std::size_t segment)
    : weights_(count, 1.0), scores_(count, 0.0), uses_(count, 0), segment_(segment) {}

std::size_t OperatorWeights::choose(Rng& rng) const {
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  double x = rng.real() * total;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (x < weights_[i]) return i;
    x -= weights_[i];
  }
  return weights_.size() - 1;
}

void OperatorWeights::record(std::size_t op, Outcome outcome) {
  static constexpr double kScore[] = {0, 13, 9, 33};
  scores_[op] += kScore[static_cast<int>(outcome)];
  ++uses_[op];
  if (++since_update_ >= segment_) update();
}

void OperatorWeights::update() {
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (uses_[i] > 0) {
      weights_[i] = (1 - kReaction) * weights_[i] + kReaction * scores_[i] / static_cast<double>(uses_[i]) / 33.0;
      weights_[i] = std::max(weights_[i], kMinWeight);
    }
    scores_[i] = 0;
    uses_[i] = 0;
  }
  since_update_ = 0;
}

}  // namespace lastmile::optimize
