#include "notify/backoff.hpp"

#include <algorithm>
#include <array>

namespace lastmile::notify {

int64_t retry_delay_ms(int failed_attempts, double jitter, const BackoffParams& params) {
  static constexpr std::array<int64_t, 8> kDelaysS = {10, 30, 120, 600, 1800, 3600, 7200, 14400};
  const size_t i = static_cast<size_t>(std::clamp(failed_attempts, 1, static_cast<int>(kDelaysS.size())) - 1);
  const double factor = (0.8 + 0.4 * std::clamp(jitter, 0.0, 1.0)) * params.scale;
  return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(kDelaysS[i]) * 1000.0 * factor));
}

}  // namespace lastmile::notify
