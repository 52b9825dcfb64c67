// Which webhook types a stored event stands for, and how subscription patterns match them.
#include "notify/webhook_types.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

using domain::Milestone;
using Types = std::vector<std::string>;

domain::Event event(std::string type, std::optional<Milestone> m = std::nullopt, std::string payload = "{}") {
  domain::Event e;
  e.type = std::move(type);
  e.milestone = m;
  e.payload_json = std::move(payload);
  return e;
}

TEST(WebhookTypes, EveryMilestoneChangeIsAShipmentType) {
  EXPECT_EQ(webhook_types(event("processed", Milestone::kProcessed)), Types{"shipment.processed"});
  EXPECT_EQ(webhook_types(event("out_for_delivery", Milestone::kOutForDelivery)), Types{"shipment.out_for_delivery"});
}

TEST(WebhookTypes, AFailedAttemptIsAlsoARaisedException) {
  EXPECT_EQ(webhook_types(event("attempt_failed", Milestone::kAttemptFailed)),
            (Types{"shipment.attempt_failed", "exception.raised"}));
}

TEST(WebhookTypes, DeliveryWithAProofIsProofCapturedAndResolvesCases) {
  EXPECT_EQ(webhook_types(event("delivered", Milestone::kDelivered, R"({"proof":{"kind":"photo"}})")),
            (Types{"shipment.delivered", "proof.captured", "exception.resolved"}));
  EXPECT_EQ(webhook_types(event("delivered", Milestone::kDelivered)),
            (Types{"shipment.delivered", "exception.resolved"}));
}

TEST(WebhookTypes, GeofenceScanAndDetectorEvents) {
  EXPECT_EQ(webhook_types(event("driver_arrived")), Types{"stop.arrived"});
  EXPECT_EQ(webhook_types(event("driver_departed")), Types{"stop.departed"});
  EXPECT_EQ(webhook_types(event("scan")), Types{"scan.recorded"});
  EXPECT_EQ(webhook_types(event("eta_changed")), Types{"shipment.eta_changed"});
  EXPECT_EQ(webhook_types(event("late_risk")), Types{"exception.raised"});
  EXPECT_EQ(webhook_types(event("late_risk_cleared")), Types{"exception.resolved"});
  EXPECT_EQ(webhook_types(event("pod_location_mismatch")), Types{"exception.raised"});
}

TEST(WebhookTypes, SurveysAreSurveySubmittedAndLowRatingsRaise) {
  EXPECT_EQ(webhook_types(event("survey_submitted")), Types{"survey.submitted"});
  EXPECT_EQ(webhook_types(event("survey_low_rating")), Types{"exception.raised"});
  EXPECT_TRUE(valid_event_pattern("survey.submitted"));
  EXPECT_TRUE(valid_event_pattern("survey.*"));
}

TEST(WebhookTypes, ANoteIsNoWebhook) { EXPECT_TRUE(webhook_types(event("note_added")).empty()); }

TEST(WebhookPatterns, ValidPatternsAreKnownTypesPrefixesAndStar) {
  EXPECT_TRUE(valid_event_pattern("shipment.delivered"));
  EXPECT_TRUE(valid_event_pattern("shipment.*"));
  EXPECT_TRUE(valid_event_pattern("exception.*"));
  EXPECT_TRUE(valid_event_pattern("*"));
  EXPECT_FALSE(valid_event_pattern("shipment.teleported"));
  EXPECT_FALSE(valid_event_pattern("parcel.*"));
  EXPECT_FALSE(valid_event_pattern(".*"));
  EXPECT_FALSE(valid_event_pattern(""));
  EXPECT_TRUE(valid_event_pattern("shipment.eta_changed"));
}

TEST(WebhookPatterns, MatchingIsExactOrByPrefix) {
  EXPECT_TRUE(pattern_matches("shipment.*", "shipment.delivered"));
  EXPECT_FALSE(pattern_matches("shipment.*", "stop.arrived"));
  EXPECT_TRUE(pattern_matches("*", "stop.arrived"));
  EXPECT_TRUE(pattern_matches("stop.arrived", "stop.arrived"));
  EXPECT_FALSE(pattern_matches("stop.arrived", "stop.departed"));
  EXPECT_TRUE(any_pattern_matches({"scan.recorded", "stop.*"}, "stop.departed"));
}

}  // namespace
}  // namespace lastmile::notify
