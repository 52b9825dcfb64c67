#pragma once
// The retry schedule of outbox messages. Pure: the jitter is a parameter.

#include <cstdint>

namespace lastmile::notify {

struct BackoffParams {
  double scale = 1.0;  // multiplies every delay (serve --webhook-backoff-scale; tests use 0.01)
};

// Milliseconds to wait before the next try after `failed_attempts` (>= 1) failed tries:
// 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 4 h for every later try; each delay is
// multiplied by (0.8 + 0.4 × jitter) with `jitter` in [0, 1] (±20 %, spreads a burst of retries)
// and by params.scale. Never below 1 ms.
int64_t retry_delay_ms(int failed_attempts, double jitter, const BackoffParams& params = {});

}  // namespace lastmile::notify
