#pragma once
// The ping filter: the first tracking stage after decoding. Pure: state in, verdict out; time comes
// from the ping and from `received_at` (the server's arrival time), never from the wall clock.
//
// It turns an UnsafePing into a trusted Ping, or says why not:
//  - rejected: coordinates out of range, not finite, or exactly 0,0 (a receiver without a fix), a
//    fix the device itself marked invalid, a timestamp too far in the future or too old, accuracy
//    worse than allowed, or a jump from the driver's live position faster than max_speed_mps;
//  - duplicate: the same time and place as one of the driver's recent pings (a re-sent batch);
//  - late: older than the live position — kept for the track history, but the live position does
//    not move backwards;
//  - accepted: newer than the live position, which it becomes.
// Optional fields with impossible values (negative speed or accuracy, battery outside 0–100) are
// dropped rather than rejecting the fix; headings are normalised to [0, 360).
//
// Threading: a DriverTrackState belongs to one driver's shard; no locking here.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/ping.hpp"

namespace lastmile::tracking {

struct FilterParams {
  double max_accuracy_m = 150;                          // fixes with a larger radius are rejected
  int64_t max_future_ms = 5 * 60 * 1000;               // device clock ahead of the server
  int64_t max_age_ms = 7LL * 24 * 60 * 60 * 1000;      // older fixes are not history worth keeping
  double max_speed_mps = 70;                            // ~250 km/h between consecutive fixes
  double jump_min_distance_m = 50;                      // below this, a jump is GPS noise, not a teleport
};

enum class Verdict { kAccepted, kLate, kDuplicate, kRejected };

enum class RejectReason {
  kBadCoordinates,
  kInvalidFix,
  kInFuture,
  kTooOld,
  kPoorAccuracy,
  kImpossibleJump,
};
// Stable names for counters and logs: "bad_coordinates", "invalid_fix", "in_future", "too_old",
// "poor_accuracy", "impossible_jump".
std::string_view reject_reason_name(RejectReason r);

// What the filter remembers about one driver.
struct DriverTrackState {
  std::optional<ingest::Ping> live;  // the newest accepted ping
  // Recent (time, rounded position) keys for duplicate detection; a small ring.
  struct Key {
    int64_t t_ms = 0;
    int64_t lat_e7 = 0;
    int64_t lon_e7 = 0;
    bool operator==(const Key&) const = default;
  };
  std::array<Key, 64> recent{};
  size_t recent_count = 0;
  size_t recent_next = 0;
};

struct FilterResult {
  Verdict verdict = Verdict::kRejected;
  std::optional<RejectReason> reason;  // set when rejected
  std::optional<ingest::Ping> ping;    // set when accepted or late
};

// Updates `state` (live position, duplicate ring) for accepted and late pings only.
FilterResult filter_ping(DriverTrackState& state, const ingest::UnsafePing& in, const core::DriverId& driver,
                         core::Timestamp received_at, const FilterParams& params);

}  // namespace lastmile::tracking
