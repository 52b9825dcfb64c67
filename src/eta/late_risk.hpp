#pragma once
// Late-risk detection (issue 4, part 4): a stop is at risk as soon as its predicted arrival (P50)
// leaves the promised window — before the window is missed — and stops being at risk when the
// prediction recovers. Hysteresis keeps GPS noise from flapping: raising needs the lateness above
// `raise_after_s` on `confirm` consecutive estimates; clearing needs it at or below
// −`clear_margin_s` (the arrival back inside the window by that margin) on `confirm` estimates.
//
// Pure; state per stop, kept by the caller on the driver's shard.

#include <optional>

#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::eta {

struct LateRiskParams {
  double raise_after_s = 60;   // predicted lateness that counts as "late"
  double clear_margin_s = 60;  // predicted arrival this far inside the window clears
  int confirm = 2;             // consecutive estimates that agree before a change
};

struct LateRiskState {
  bool raised = false;
  int agreeing = 0;  // consecutive estimates pointing to the other state
};

enum class LateRiskChange { kNone, kRaised, kCleared };

// One estimate of the stop's arrival against its window.
LateRiskChange update_late_risk(LateRiskState& state, core::Timestamp predicted_arrival,
                                const domain::TimeWindow& window, const LateRiskParams& params);

}  // namespace lastmile::eta
