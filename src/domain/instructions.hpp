#pragma once
// Delivery instructions the recipient may give on the tracking page (gate code, safe place, a note
// to the driver): when they may still change them, and how long each may be.

#include <cstddef>

#include "domain/milestone.hpp"

namespace lastmile::domain {

inline constexpr size_t kGateCodeMaxLen = 50;
inline constexpr size_t kSafePlaceMaxLen = 200;
inline constexpr size_t kNoteMaxLen = 1000;

// True while the parcel has not left for delivery (created, processed, shipped): once the driver is
// on the way (out_for_delivery and everything after it, or an exception) the driver's copy is final.
bool recipient_may_edit_instructions(Milestone status);

}  // namespace lastmile::domain
