// The settings document: defaults, parsing, field errors and the round trip through JSON.
#include "notify/notification_settings.hpp"

#include <gtest/gtest.h>

#include "notify/message_template.hpp"

namespace lastmile::notify {
namespace {

TEST(NotificationSettings, DefaultTemplatesAreValidForEveryRule) {
  const auto s = default_settings();
  for (const auto& r : rule_names()) {
    const auto& t = s.templates.at(r);
    EXPECT_TRUE(parse_template(r, t.sms).ok()) << r;
    EXPECT_TRUE(parse_template(r, t.email.subject).ok()) << r;
    EXPECT_TRUE(parse_template(r, t.email.text).ok()) << r;
    EXPECT_TRUE(parse_template(r, t.email.html).ok()) << r;
    EXPECT_FALSE(t.sms.empty()) << r;
  }
}

TEST(NotificationSettings, ParsesRulesTemplatesQuietHoursAndReminders) {
  auto s = parse_settings(R"({"rules":{"delivered":["sms","email","sms"]},"eta_change_min_minutes":20,
    "templates":{"delivered":{"sms":{"body":"Done {{tracking_number}}"}}},
    "branding":{"sender_name":"Shop","color":"#112233","logo_url":"https://cdn.example/logo.png"},
    "quiet_hours":{"start":"21:00","end":"08:00"},"reminders":{"day_before":"18:30","morning_of":null},
    "default_time_zone":"Europe/Paris"})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->rules.at("delivered"), (std::vector<std::string>{"sms", "email"}));
  EXPECT_FALSE(s->rules.contains("shipped"));
  EXPECT_EQ(s->eta_change_min_minutes, 20);
  EXPECT_EQ(s->templates.at("delivered").sms, "Done {{tracking_number}}");
  EXPECT_FALSE(s->templates.at("delivered").email.subject.empty());  // default kept
  ASSERT_TRUE(s->quiet_hours);
  EXPECT_EQ(s->quiet_hours->start.minutes, 21 * 60);
  EXPECT_EQ(s->reminder_day_before->minutes, 18 * 60 + 30);
  EXPECT_FALSE(s->reminder_morning_of);
  EXPECT_EQ(s->default_time_zone, "Europe/Paris");
}

TEST(NotificationSettings, TheDocumentRoundTrips) {
  auto s = parse_settings(R"({"rules":{"shipped":["email"]},"quiet_hours":{"start":"22:15","end":"07:45"}})");
  ASSERT_TRUE(s.ok());
  auto again = parse_settings(settings_json(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(settings_json(*again), settings_json(*s));
}

struct Bad {
  const char* body;
  core::ErrorCode code;
  const char* field;
};

TEST(NotificationSettings, EveryBadFieldHasItsCodeAndPath) {
  const Bad cases[] = {
      {"[1]", core::ErrorCode::kWrongType, ""},
      {"{", core::ErrorCode::kInvalidJson, ""},
      {R"({"rules":{"teleported":["sms"]}})", core::ErrorCode::kInvalidField, "rules.teleported"},
      {R"({"rules":{"delivered":["fax"]}})", core::ErrorCode::kInvalidField, "rules.delivered"},
      {R"({"rules":{"delivered":"sms"}})", core::ErrorCode::kWrongType, "rules.delivered"},
      {R"({"eta_change_min_minutes":0})", core::ErrorCode::kInvalidField, "eta_change_min_minutes"},
      {R"({"templates":{"delivered":{"sms":{"body":"{{nope}}"}}}})", core::ErrorCode::kInvalidTemplate,
       "templates.delivered.sms.body"},
      {R"({"templates":{"shipped":{"email":{"html":"<p>{{first_name</p>"}}}})", core::ErrorCode::kInvalidTemplate,
       "templates.shipped.email.html"},
      {R"({"branding":{"color":"red"}})", core::ErrorCode::kInvalidField, "branding.color"},
      {R"j({"branding":{"logo_url":"javascript:alert(1)"}})j", core::ErrorCode::kInvalidField, "branding.logo_url"},
      {R"({"quiet_hours":{"start":"25:00","end":"08:00"}})", core::ErrorCode::kInvalidField, "quiet_hours.start"},
      {R"({"quiet_hours":{"start":"21:00"}})", core::ErrorCode::kMissingField, "quiet_hours.end"},
      {R"({"reminders":{"day_before":"6pm"}})", core::ErrorCode::kInvalidField, "reminders.day_before"},
      {R"({"default_time_zone":"Mars/Olympus"})", core::ErrorCode::kInvalidField, "default_time_zone"},
  };
  for (const auto& c : cases) {
    auto s = parse_settings(c.body);
    ASSERT_FALSE(s.ok()) << c.body;
    EXPECT_EQ(s.error().code, c.code) << c.body;
    EXPECT_EQ(s.error().field, c.field) << c.body;
  }
}

TEST(LocalTime, ParsesAndFormatsHHMM) {
  EXPECT_EQ(parse_local_time("00:00")->minutes, 0);
  EXPECT_EQ(parse_local_time("23:59")->minutes, 23 * 60 + 59);
  EXPECT_FALSE(parse_local_time("24:00"));
  EXPECT_FALSE(parse_local_time("7:00"));
  EXPECT_EQ(format_local_time(LocalTime{8 * 60 + 5}), "08:05");
}

}  // namespace
}  // namespace lastmile::notify
