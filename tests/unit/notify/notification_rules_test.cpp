// Which rules an event triggers, and the rendered messages.
#include "notify/notification_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace lastmile::notify {
namespace {

domain::Event event(std::string type, std::optional<domain::Milestone> m = std::nullopt, std::string payload = "{}") {
  domain::Event e;
  e.type = std::move(type);
  e.milestone = m;
  e.payload_json = std::move(payload);
  return e;
}

TEST(NotificationRules, MilestonesTriggerTheirRuleAndDeliveredTheSurvey) {
  const auto s = default_settings();
  EXPECT_EQ(triggered_rules(event("out_for_delivery", domain::Milestone::kOutForDelivery), s),
            (std::vector<std::string>{"out_for_delivery"}));
  EXPECT_EQ(triggered_rules(event("delivered", domain::Milestone::kDelivered), s),
            (std::vector<std::string>{"delivered", "survey"}));
  EXPECT_TRUE(triggered_rules(event("created", domain::Milestone::kCreated), s).empty());
  EXPECT_EQ(triggered_rules(event("driver_arrived"), s), (std::vector<std::string>{"at_address"}));
  EXPECT_EQ(triggered_rules(event("late_risk"), s), (std::vector<std::string>{"late_risk"}));
  EXPECT_TRUE(triggered_rules(event("scan"), s).empty());
}

TEST(NotificationRules, EtaChangedNeedsTheThreshold) {
  auto s = default_settings();
  s.eta_change_min_minutes = 15;
  EXPECT_TRUE(triggered_rules(event("eta_changed", std::nullopt, R"({"shift_minutes":14})"), s).empty());
  EXPECT_EQ(triggered_rules(event("eta_changed", std::nullopt, R"({"shift_minutes":15})"), s).size(), 1u);
  EXPECT_EQ(triggered_rules(event("eta_changed", std::nullopt, R"({"shift_minutes":-40})"), s).size(), 1u);
  EXPECT_TRUE(triggered_rules(event("eta_changed", std::nullopt, "{}"), s).empty());
}

TEST(NotificationRules, RuleChannelsComeFromTheSettings) {
  auto s = default_settings();
  EXPECT_TRUE(rule_has_channel(s, "delivered", "sms"));
  s.rules["delivered"] = {"email"};
  EXPECT_FALSE(rule_has_channel(s, "delivered", "sms"));
  EXPECT_FALSE(rule_has_channel(s, "processed", "email"));
}

TEST(RenderMessage, EmailHasSubjectTextAndBrandedEscapedHtml) {
  auto s = default_settings();
  s.brand_color = "#123456";
  s.logo_url = "https://cdn.example/l.png";
  const TemplateVariables vars{{"first_name", "<Ann>"}, {"tracking_url", "https://x/t/abc"},
                               {"tracking_number", "LM1"}, {"unsubscribe_url", "https://x/v1/unsubscribe/t"}};
  const auto m = render_message(s, "delivered", "email", vars);
  EXPECT_EQ(m.subject, "Delivered: LM1");
  EXPECT_NE(m.text.find("Hello <Ann>,"), std::string::npos);
  EXPECT_NE(m.text.find("https://x/t/abc"), std::string::npos);
  EXPECT_NE(m.html.find("&lt;Ann&gt;"), std::string::npos);
  EXPECT_NE(m.html.find("#123456"), std::string::npos);
  EXPECT_NE(m.html.find("https://cdn.example/l.png"), std::string::npos);
  EXPECT_NE(m.html.find("https://x/v1/unsubscribe/t"), std::string::npos);
}

TEST(RenderMessage, SmsIsTheBodyOnlyAndThePayloadRoundTrips) {
  auto s = default_settings();
  s.templates["shipped"].sms = "{{tracking_number}} shipped";
  auto m = render_message(s, "shipped", "sms", {{"tracking_number", "LM9"}});
  EXPECT_EQ(m.text, "LM9 shipped");
  m.from_name = "Shop";
  const auto back = parse_message_payload(message_payload(m));
  EXPECT_EQ(back.text, "LM9 shipped");
  EXPECT_EQ(back.from_name, "Shop");
}

TEST(FirstName, TakesTheFirstWord) {
  EXPECT_EQ(first_name("Ann Smith"), "Ann");
  EXPECT_EQ(first_name("  Bo"), "Bo");
  EXPECT_EQ(first_name(""), "");
}

}  // namespace
}  // namespace lastmile::notify
