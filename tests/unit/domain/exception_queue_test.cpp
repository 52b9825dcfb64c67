// The exception queue's rules (domain/exception_queue.hpp): which events raise and clear cases, how a
// repeated raise meets the open case, and the legal changes of a case's state.
#include "domain/exception_queue.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::domain {
namespace {

using Action = ExceptionSignal::Action;
using S = ExceptionStatus;

Event event(std::string type, std::optional<Milestone> milestone = std::nullopt) {
  Event e;
  e.type = std::move(type);
  e.milestone = milestone;
  return e;
}

::testing::AssertionResult signals_one(const Event& e, Action action, ExceptionKind kind) {
  auto s = exception_signals(e);
  if (s.size() != 1) return ::testing::AssertionFailure() << s.size() << " signals for " << e.type;
  if (s[0].action != action) return ::testing::AssertionFailure() << "wrong action for " << e.type;
  if (action != Action::kClearShipmentCases && s[0].kind != kind)
    return ::testing::AssertionFailure() << "wrong kind " << exception_kind_name(s[0].kind) << " for " << e.type;
  return ::testing::AssertionSuccess();
}

TEST(ExceptionSignals, DetectorEventsRaiseAndTheirClearingEventsClear) {
  EXPECT_TRUE(signals_one(event("late_risk"), Action::kRaise, ExceptionKind::kLateRisk));
  EXPECT_TRUE(signals_one(event("late_risk_cleared"), Action::kClear, ExceptionKind::kLateRisk));
  EXPECT_TRUE(signals_one(event("off_route"), Action::kRaise, ExceptionKind::kOffRoute));
  EXPECT_TRUE(signals_one(event("back_on_route"), Action::kClear, ExceptionKind::kOffRoute));
  EXPECT_TRUE(signals_one(event("device_offline"), Action::kRaise, ExceptionKind::kDeviceOffline));
  EXPECT_TRUE(signals_one(event("stationary"), Action::kRaise, ExceptionKind::kStationary));
  EXPECT_TRUE(signals_one(event("device_offline_cleared"), Action::kClear, ExceptionKind::kDeviceOffline));
  EXPECT_TRUE(signals_one(event("stationary_cleared"), Action::kClear, ExceptionKind::kStationary));
}

TEST(ExceptionSignals, FailedAttemptsAndExceptionMilestonesRaise) {
  EXPECT_TRUE(signals_one(event("attempt_failed", Milestone::kAttemptFailed), Action::kRaise,
                          ExceptionKind::kAttemptFailed));
  EXPECT_TRUE(signals_one(event("exception", Milestone::kException), Action::kRaise,
                          ExceptionKind::kShipmentException));
}

TEST(ExceptionSignals, AProofCapturedFarFromTheAddressRaises) {
  EXPECT_TRUE(signals_one(event("pod_location_mismatch"), Action::kRaise, ExceptionKind::kPodLocationMismatch));
  EXPECT_EQ(exception_kind_name(ExceptionKind::kPodLocationMismatch), "pod_location_mismatch");
}

TEST(ExceptionSignals, StaleCarrierTrackingRaisesAndAnyCarrierEventClears) {
  EXPECT_TRUE(signals_one(event("tracking_stale"), Action::kRaise, ExceptionKind::kTrackingStale));
  EXPECT_TRUE(signals_one(event("tracking_stale_cleared"), Action::kClear, ExceptionKind::kTrackingStale));
  EXPECT_EQ(exception_kind_name(ExceptionKind::kTrackingStale), "tracking_stale");
  EXPECT_EQ(parse_exception_kind("tracking_stale"), ExceptionKind::kTrackingStale);
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kTrackingStale));
  Event carrier = event("out_for_delivery", Milestone::kOutForDelivery);
  carrier.source = "carrier:car_1";
  EXPECT_TRUE(signals_one(carrier, Action::kClear, ExceptionKind::kTrackingStale));
  carrier.milestone = Milestone::kAttemptFailed;
  auto s = exception_signals(carrier);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].kind, ExceptionKind::kAttemptFailed);
  EXPECT_TRUE(exception_signals(event("out_for_delivery", Milestone::kOutForDelivery)).empty());
}

TEST(ExceptionSignals, ALowSurveyRatingRaises) {
  EXPECT_TRUE(signals_one(event("survey_low_rating"), Action::kRaise, ExceptionKind::kLowRating));
  EXPECT_TRUE(exception_signals(event("survey_submitted")).empty());
  EXPECT_EQ(exception_kind_name(ExceptionKind::kLowRating), "low_rating");
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kLowRating));
}

TEST(ExceptionSignals, AFinishedShipmentClearsItsCases) {
  for (auto m : {Milestone::kDelivered, Milestone::kReturned, Milestone::kCancelled})
    EXPECT_TRUE(signals_one(event(std::string(milestone_name(m)), m), Action::kClearShipmentCases,
                            ExceptionKind::kLateRisk));
}

TEST(ExceptionSignals, OrdinaryEventsSignalNothing) {
  for (auto m : {Milestone::kCreated, Milestone::kProcessed, Milestone::kShipped, Milestone::kOutForDelivery,
                 Milestone::kArriving, Milestone::kAvailableForPickup})
    EXPECT_TRUE(exception_signals(event(std::string(milestone_name(m)), m)).empty()) << milestone_name(m);
  for (const char* type : {"driver_arrived", "driver_departed", "note_added", "late_risk_", ""})
    EXPECT_TRUE(exception_signals(event(type)).empty()) << type;
}

TEST(ExceptionKinds, DriverKindsAreTheRouteWideOnes) {
  EXPECT_TRUE(is_driver_exception(ExceptionKind::kOffRoute));
  EXPECT_TRUE(is_driver_exception(ExceptionKind::kDeviceOffline));
  EXPECT_TRUE(is_driver_exception(ExceptionKind::kStationary));
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kLateRisk));
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kAttemptFailed));
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kPodLocationMismatch));
  EXPECT_FALSE(is_driver_exception(ExceptionKind::kShipmentException));
}

TEST(ExceptionNames, RoundTripAndRejectUnknownNames) {
  for (auto k : all_exception_kinds()) EXPECT_EQ(parse_exception_kind(exception_kind_name(k)), k);
  EXPECT_EQ(all_exception_kinds().size(), 10u);
  for (auto s : {S::kOpen, S::kAcknowledged, S::kResolved})
    EXPECT_EQ(parse_exception_status(exception_status_name(s)), s);
  for (auto r : {Resolution::kAuto, Resolution::kHandled, Resolution::kFalseAlarm})
    EXPECT_EQ(parse_resolution(resolution_name(r)), r);
  for (auto k : {ExceptionEntryKind::kRaised, ExceptionEntryKind::kRepeated, ExceptionEntryKind::kAcknowledged,
                 ExceptionEntryKind::kResolved, ExceptionEntryKind::kNote})
    EXPECT_EQ(parse_exception_entry(exception_entry_name(k)), k);
  EXPECT_EQ(exception_kind_name(ExceptionKind::kShipmentException), "exception");
  EXPECT_EQ(resolution_name(Resolution::kFalseAlarm), "false_alarm");
  EXPECT_FALSE(parse_exception_kind("Late_Risk"));
  EXPECT_FALSE(parse_exception_status("closed"));
  EXPECT_FALSE(parse_resolution(""));
}

ExceptionCase open_case(core::Timestamp last_seen, S status = S::kOpen) {
  ExceptionCase c;
  c.status = status;
  c.first_seen_at = c.last_seen_at = last_seen;
  return c;
}

TEST(OnRaise, NothingOpenOpensANewCase) {
  EXPECT_EQ(on_raise(std::nullopt, {1000}), RaiseOutcome::kOpenNew);
  EXPECT_EQ(on_raise(open_case({1000}, S::kResolved), {2000}), RaiseOutcome::kOpenNew);
}

TEST(OnRaise, ALaterRaiseCountsOnTheOpenOrAcknowledgedCase) {
  EXPECT_EQ(on_raise(open_case({1000}), {2000}), RaiseOutcome::kRepeat);
  EXPECT_EQ(on_raise(open_case({1000}, S::kAcknowledged), {2000}), RaiseOutcome::kRepeat);
}

TEST(OnRaise, TheSameRaiseOnAnotherShipmentChangesNothing) {
  // off_route is written on every shipment still ahead, all with the position's time.
  EXPECT_EQ(on_raise(open_case({1000}), {1000}), RaiseOutcome::kSame);
  EXPECT_EQ(on_raise(open_case({1000}), {999}), RaiseOutcome::kSame);  // a late replay of an older raise
}

TEST(ApplyAction, OpenCanBeAcknowledgedOrResolved) {
  auto ack = apply_action(S::kOpen, ExceptionAction::kAcknowledge);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(*ack, S::kAcknowledged);
  auto resolved = apply_action(S::kOpen, ExceptionAction::kResolve);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, S::kResolved);
}

TEST(ApplyAction, AcknowledgedCanBeResolved) {
  auto resolved = apply_action(S::kAcknowledged, ExceptionAction::kResolve);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, S::kResolved);
}

TEST(ApplyAction, IllegalChangesAreIllegalTransitionOnTheStatusField) {
  struct Case {
    S from;
    ExceptionAction action;
    const char* message;
  };
  for (const Case& c : {Case{S::kAcknowledged, ExceptionAction::kAcknowledge,
                             "an exception that is acknowledged cannot be acknowledged"},
                        Case{S::kResolved, ExceptionAction::kAcknowledge,
                             "an exception that is resolved cannot be acknowledged"},
                        Case{S::kResolved, ExceptionAction::kResolve,
                             "an exception that is resolved cannot be resolved"}}) {
    auto r = apply_action(c.from, c.action);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kIllegalTransition);
    EXPECT_EQ(r.error().field, "status");
    EXPECT_EQ(r.error().message, c.message);
  }
}

}  // namespace
}  // namespace lastmile::domain
