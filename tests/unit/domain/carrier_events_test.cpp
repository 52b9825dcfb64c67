// Carrier events: a mapped event moves a shipment only forward and never back in time; mapping sets
// are checked whole.
#include "domain/carrier_events.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

using core::Timestamp;

CarrierCodeMapping maps_to(Milestone m) { return CarrierCodeMapping{"X1", m, "", ""}; }

TEST(CarrierEventDecision, AForwardStepThatIsNotOlderIsApplied) {
  auto d = decide_carrier_event(Milestone::kShipped, Timestamp{1000}, maps_to(Milestone::kOutForDelivery), Timestamp{2000});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kApplied);
}

TEST(CarrierEventDecision, CarriersMaySkipStepsForward) {
  auto d = decide_carrier_event(Milestone::kCreated, Timestamp{0}, maps_to(Milestone::kOutForDelivery), Timestamp{5});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kApplied);
}

TEST(CarrierEventDecision, ALateArrivingEarlierScanIsOnlyRecorded) {
  // "shipped" arrives after "out_for_delivery" was applied: history, not a step back.
  auto d = decide_carrier_event(Milestone::kOutForDelivery, Timestamp{5000}, maps_to(Milestone::kShipped), Timestamp{4000});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kRecorded);
  EXPECT_EQ(d.why, "older_than_current");
}

TEST(CarrierEventDecision, AnOlderEventIsRecordedEvenWhenTheStepWouldBeLegal) {
  // A failed attempt at 10:00 reported after the 11:00 re-delivery run started.
  auto d = decide_carrier_event(Milestone::kOutForDelivery, Timestamp{11'000}, maps_to(Milestone::kAttemptFailed),
                                Timestamp{10'000});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kRecorded);
  EXPECT_EQ(d.why, "older_than_current");
}

TEST(CarrierEventDecision, ABackwardStepWithANewerTimeIsRecorded) {
  auto d = decide_carrier_event(Milestone::kDelivered, Timestamp{1000}, maps_to(Milestone::kOutForDelivery), Timestamp{2000});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kRecorded);
  EXPECT_EQ(d.why, "not_a_forward_step");
}

TEST(CarrierEventDecision, TheSameStatusAgainIsRecorded) {
  auto d = decide_carrier_event(Milestone::kShipped, Timestamp{1000}, maps_to(Milestone::kShipped), Timestamp{2000});
  EXPECT_EQ(d.outcome, CarrierEventOutcome::kRecorded);
  EXPECT_EQ(d.why, "same_status");
}

TEST(CarrierEventOutcome, NamesRoundTrip) {
  for (auto o : {CarrierEventOutcome::kApplied, CarrierEventOutcome::kRecorded, CarrierEventOutcome::kUnmapped,
                 CarrierEventOutcome::kUnknownShipment, CarrierEventOutcome::kDuplicate})
    EXPECT_EQ(parse_carrier_event_outcome(carrier_event_outcome_name(o)), o);
  EXPECT_FALSE(parse_carrier_event_outcome("invalid"));
}

TEST(CarrierCodeMappings, AGoodSetPasses) {
  EXPECT_TRUE(validate_code_mappings({{"OFD", Milestone::kOutForDelivery, "", "Out for delivery"},
                                      {"NH", Milestone::kAttemptFailed, "recipient_absent", ""}}));
}

TEST(CarrierCodeMappings, EachProblemNamesItsField) {
  auto field_of = [](std::vector<CarrierCodeMapping> m) {
    auto st = validate_code_mappings(m);
    return st ? std::string("ok") : st.error().field;
  };
  EXPECT_EQ(field_of({{"", Milestone::kShipped, "", ""}}), "mappings[0].code");
  EXPECT_EQ(field_of({{"A B", Milestone::kShipped, "", ""}}), "mappings[0].code");
  EXPECT_EQ(field_of({{"A", Milestone::kShipped, "", ""}, {"A", Milestone::kDelivered, "", ""}}), "mappings[1].code");
  EXPECT_EQ(field_of({{"A", Milestone::kShipped, "Not Snake", ""}}), "mappings[0].reason");
  EXPECT_EQ(field_of({{"A", Milestone::kCreated, "", ""}}), "mappings[0].milestone");
  EXPECT_EQ(field_of({{"A", Milestone::kShipped, "", std::string(201, 'd')}}), "mappings[0].description");
  std::vector<CarrierCodeMapping> many(kMaxCarrierMappings + 1, CarrierCodeMapping{"A", Milestone::kShipped, "", ""});
  auto st = validate_code_mappings(many);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace lastmile::domain
