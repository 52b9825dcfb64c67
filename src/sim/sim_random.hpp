#pragma once
// Portable random draws for the simulator: std::mt19937_64 (whose output sequence the standard
// fixes) with our own uniform and Box–Muller code, because std:: distributions differ between
// standard libraries. Streams are derived from (seed, purpose, index) with SplitMix64, so each leg,
// stop and the phone draw from their own stream.

#include <cmath>
#include <cstdint>
#include <random>

namespace lastmile::sim {

// SplitMix64's finaliser: a well-mixed 64-bit function of x.
inline uint64_t mix64(uint64_t x) {
  x += 0x9E37'79B9'7F4A'7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D0'49BB'1331'11EBull;
  return x ^ (x >> 31);
}

// The seed of stream `index` of kind `purpose` under `seed`.
inline uint64_t derive_seed(uint64_t seed, uint64_t purpose, uint64_t index) {
  return mix64(mix64(mix64(seed) ^ purpose) ^ index);
}

// Stream kinds (part of the determinism contract: changing one changes every simulated drive).
inline constexpr uint64_t kStreamLeg = 1;      // per leg: leg and stretch speed noise
inline constexpr uint64_t kStreamService = 2;  // per stop: service time noise
inline constexpr uint64_t kStreamPhone = 3;    // sampling intervals and GPS noise
inline constexpr uint64_t kStreamBatch = 4;    // which batches batch_pings swaps
inline constexpr uint64_t kStreamStops = 5;    // random_stops

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t uniform_int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    if (span == 0) return static_cast<int64_t>(engine_());  // the whole 64-bit range
    return lo + static_cast<int64_t>(engine_() % span);     // bias < span / 2^64: negligible here
  }
  // Standard normal (Box–Muller; one value per call, the pair's second value is discarded so the
  // number of engine draws per call is fixed).
  double normal() {
    constexpr double kTwoPi = 6.283185307179586476925;
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
  }
  // exp(sigma · N(0,1)): a lognormal factor of median 1.
  double lognormal_factor(double sigma) { return std::exp(sigma * normal()); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace lastmile::sim
