#include "eta/late_risk.hpp"

namespace lastmile::eta {

LateRiskChange update_late_risk(LateRiskState& state, core::Timestamp predicted_arrival,
                                const domain::TimeWindow& window, const LateRiskParams& params) {
  const double lateness_s = (predicted_arrival.ms - window.end.ms) / 1000.0;
  const bool flip = state.raised ? lateness_s <= -params.clear_margin_s : lateness_s > params.raise_after_s;
  if (!flip) {
    state.agreeing = 0;
    return LateRiskChange::kNone;
  }
  if (++state.agreeing < params.confirm) return LateRiskChange::kNone;
  state.agreeing = 0;
  state.raised = !state.raised;
  return state.raised ? LateRiskChange::kRaised : LateRiskChange::kCleared;
}

}  // namespace lastmile::eta
