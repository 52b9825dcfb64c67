// tracking_stale: which carrier-tracked shipments are stale at a given now (pure decision).
#include "pipeline/tracking_stale.hpp"

#include <gtest/gtest.h>

namespace lastmile::pipeline {
namespace {

using domain::Milestone;
constexpr int64_t kHour = 3'600'000;

storage::CarrierTrackedShipment shipment(Milestone status, int64_t last_heard_ms, bool open = false) {
  storage::CarrierTrackedShipment s;
  s.status = status;
  s.last_heard = core::Timestamp{last_heard_ms};
  s.stale_open = open;
  return s;
}

TEST(TrackingStale, RaisedOnceTheThresholdIsReachedInTransit) {
  const core::Timestamp now{100 * kHour};
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 100 * kHour - 6 * kHour + 1), now, 6),
            StaleDecision::kNone);
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 94 * kHour), now, 6), StaleDecision::kRaise);
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kOutForDelivery, 0), now, 6), StaleDecision::kRaise);
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kAttemptFailed, 0), now, 6), StaleDecision::kRaise);
  // Already open: not raised again.
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 0, true), now, 6), StaleDecision::kNone);
}

TEST(TrackingStale, NotInTransitOrTurnedOffIsNeverStale) {
  const core::Timestamp now{100 * kHour};
  for (auto m : {Milestone::kCreated, Milestone::kProcessed, Milestone::kDelivered, Milestone::kReturned,
                 Milestone::kCancelled, Milestone::kAvailableForPickup, Milestone::kException})
    EXPECT_EQ(decide_tracking_stale(shipment(m, 0), now, 6), StaleDecision::kNone) << domain::milestone_name(m);
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 0), now, 0), StaleDecision::kNone);
}

TEST(TrackingStale, AnOpenCaseClearsWhenNoLongerStale) {
  const core::Timestamp now{100 * kHour};
  // A carrier event came (last heard moved on).
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 99 * kHour, true), now, 6), StaleDecision::kClear);
  // The shipment left transit (e.g. waits at a pickup point).
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kAvailableForPickup, 0, true), now, 6), StaleDecision::kClear);
  // The tenant turned the check off, or raised the threshold past the silence.
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 0, true), now, 0), StaleDecision::kClear);
  EXPECT_EQ(decide_tracking_stale(shipment(Milestone::kShipped, 90 * kHour, true), now, 24), StaleDecision::kClear);
}

}  // namespace
}  // namespace lastmile::pipeline
