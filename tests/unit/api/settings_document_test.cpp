// The tenant settings document: a merge patch changes only what it names, every refused patch names
// the JSON path and the reason, unknown members are refused, and the diff lists exactly the changed
// leaves (what the audit trail keeps).
#include "api/settings_document.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace lastmile::api::settings {
namespace {

namespace json = boost::json;
using core::ErrorCode;

storage::TenantSettingsRecord defaults() {
  storage::TenantSettingsRecord r;
  r.notifications = notify::default_settings();
  return r;
}

core::Result<storage::TenantSettingsRecord> patch(const storage::TenantSettingsRecord& r, std::string_view text) {
  return apply_patch(r, json::parse(text).as_object());
}

void expect_error(std::string_view text, ErrorCode code, std::string_view field) {
  auto r = patch(defaults(), text);
  ASSERT_FALSE(r) << text;
  EXPECT_EQ(r.error().code, code) << text << ": " << r.error().message;
  EXPECT_EQ(r.error().field, field) << text << ": " << r.error().message;
}

TEST(SettingsDocument, ShowsEverySectionWithNullForServerDefaults) {
  const json::object s = settings_json(defaults());
  EXPECT_EQ(s.at("milestones").at("arriving"), true);
  EXPECT_EQ(s.at("rerouting").at("auto_apply"), false);
  for (const char* section : {"milestones", "rerouting", "delivery", "geofence", "privacy", "exceptions", "devices", "proof", "branding",
                              "retention", "notifications"})
    EXPECT_TRUE(s.contains(section)) << section;
  EXPECT_EQ(s.at("geofence").at("radius_m").to_number<double>(), 75);
  EXPECT_TRUE(s.at("geofence").at("dwell_s").is_null());
  EXPECT_TRUE(s.at("exceptions").at("tracking_stale_hours").is_null());
  EXPECT_EQ(s.at("delivery").at("out_for_delivery_on"), "depot_departure");
  EXPECT_FALSE(s.at("notifications").as_object().contains("version"));
  EXPECT_FALSE(s.at("notifications").as_object().contains("variables"));
}

TEST(SettingsDocument, MergePatchChangesOnlyWhatItNames) {
  auto r = patch(defaults(), R"({"geofence":{"radius_m":120,"dwell_s":5},"privacy":{"show_driver_within_stops":0},
                                  "exceptions":{"tracking_stale_hours":6},"devices":{"require_secret":false},
                                  "delivery":{"out_for_delivery_on":"route_start"},"branding":{"color":"#112233"},
                                  "retention":{"track_days":30},"milestones":{"arriving":false},
                                  "rerouting":{"auto_apply":true},
                                  "notifications":{"rules":{"delivered":["sms"]}}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->tenant.geofence_radius_m, 120);
  EXPECT_EQ(r->tenant.geofence_dwell_s, 5);
  EXPECT_EQ(r->tenant.show_driver_within_stops, 0);
  EXPECT_EQ(r->tenant.tracking_stale_hours, 6);
  EXPECT_FALSE(r->tenant.require_device_secret);
  EXPECT_EQ(r->tenant.out_for_delivery_on, domain::OutForDeliveryTrigger::kRouteStart);
  EXPECT_EQ(r->tenant.brand_color, "#112233");
  EXPECT_EQ(r->tenant.pod_max_distance_m, 150);  // untouched
  EXPECT_EQ(r->retention.track_days, 30);
  EXPECT_FALSE(r->tenant.arriving_milestone);
  EXPECT_TRUE(r->rerouting_auto_apply);
  EXPECT_FALSE(r->retention.photo_days);
  EXPECT_TRUE(notify::rule_has_channel(r->notifications, "delivered", "sms"));
  EXPECT_FALSE(notify::rule_has_channel(r->notifications, "delivered", "email"));
  EXPECT_TRUE(notify::rule_has_channel(r->notifications, "shipped", "email"));  // other rules kept
}

TEST(SettingsDocument, NullRestoresTheDefault) {
  auto changed = patch(defaults(), R"({"geofence":{"radius_m":300,"dwell_s":9}})");
  ASSERT_TRUE(changed);
  auto back = patch(*changed, R"({"geofence":{"radius_m":null,"dwell_s":null}})");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tenant.geofence_radius_m, 75);
  EXPECT_FALSE(back->tenant.geofence_dwell_s);
}

TEST(SettingsDocument, EveryErrorNamesItsPath) {
  expect_error(R"({"geofence":{"radius_m":5}})", ErrorCode::kInvalidField, "geofence.radius_m");
  expect_error(R"({"geofence":{"radius_m":"big"}})", ErrorCode::kWrongType, "geofence.radius_m");
  expect_error(R"({"geofence":{"dwell_s":1.5}})", ErrorCode::kWrongType, "geofence.dwell_s");
  expect_error(R"({"geofence":{"dwell_s":-1}})", ErrorCode::kInvalidField, "geofence.dwell_s");
  expect_error(R"({"geofence":{"radius":80}})", ErrorCode::kInvalidField, "geofence.radius");
  expect_error(R"({"geofence":7})", ErrorCode::kWrongType, "geofence");
  expect_error(R"({"colour":"#000000"})", ErrorCode::kInvalidField, "colour");
  expect_error(R"({"privacy":{"show_driver_within_stops":101}})", ErrorCode::kInvalidField,
               "privacy.show_driver_within_stops");
  expect_error(R"({"exceptions":{"device_offline_minutes":0}})", ErrorCode::kInvalidField,
               "exceptions.device_offline_minutes");
  expect_error(R"({"exceptions":{"tracking_stale_hours":721}})", ErrorCode::kInvalidField,
               "exceptions.tracking_stale_hours");
  expect_error(R"({"devices":{"require_secret":"yes"}})", ErrorCode::kWrongType, "devices.require_secret");
  expect_error(R"({"milestones":{"arriving":1}})", ErrorCode::kWrongType, "milestones.arriving");
  expect_error(R"({"milestones":{"processed":false}})", ErrorCode::kInvalidField, "milestones.processed");
  expect_error(R"({"rerouting":{"auto_apply":"always"}})", ErrorCode::kWrongType, "rerouting.auto_apply");
  expect_error(R"({"delivery":{"out_for_delivery_on":"whenever"}})", ErrorCode::kInvalidField,
               "delivery.out_for_delivery_on");
  expect_error(R"({"branding":{"color":"red"}})", ErrorCode::kInvalidField, "branding.color");
  expect_error(R"({"branding":{"logo_url":"http://x/logo.png"}})", ErrorCode::kInvalidField, "branding.logo_url");
  expect_error(R"({"proof":{"max_distance_m":1e9}})", ErrorCode::kInvalidField, "proof.max_distance_m");
  expect_error(R"({"retention":{"chat_days":-2}})", ErrorCode::kInvalidField, "retention.chat_days");
  expect_error(R"({"notifications":{"rules":{"teleported":["sms"]}}})", ErrorCode::kInvalidField,
               "notifications.rules.teleported");
  expect_error(R"({"notifications":{"version":3}})", ErrorCode::kInvalidField, "notifications.version");
  expect_error(R"({"notifications":{"templates":{"delivered":{"sms":{"body":"Hi {{nope}}"}}}}})",
               ErrorCode::kInvalidTemplate, "notifications.templates.delivered.sms.body");
}

TEST(SettingsDocument, PutBodyHasVersionAndSettingsOnly) {
  auto ok = parse_put(R"({"version":4,"settings":{"proof":{"max_distance_m":80}}})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->version, 4);
  EXPECT_TRUE(ok->patch.contains("proof"));
  EXPECT_EQ(parse_put("{").error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_put("[]").error().code, ErrorCode::kWrongType);
  EXPECT_EQ(parse_put(R"({"version":1})").error().field, "settings");
  EXPECT_EQ(parse_put(R"({"settings":[]})").error().field, "settings");
  EXPECT_EQ(parse_put(R"({"version":"1","settings":{}})").error().field, "version");
  EXPECT_EQ(parse_put(R"({"settings":{},"geofence":{}})").error().field, "geofence");
}

TEST(SettingsDiff, ListsTheChangedLeavesWithOldAndNew) {
  auto next = patch(defaults(), R"({"geofence":{"radius_m":120},"exceptions":{"tracking_stale_hours":6},
                                    "notifications":{"quiet_hours":null}})");
  ASSERT_TRUE(next) << next.error().message;
  const json::array d = diff(settings_json(defaults()), settings_json(*next));
  ASSERT_EQ(d.size(), 3u) << json::serialize(d);
  EXPECT_EQ(d[0].at("path"), "geofence.radius_m");
  EXPECT_EQ(d[0].at("old").to_number<double>(), 75);
  EXPECT_EQ(d[0].at("new").to_number<double>(), 120);
  EXPECT_EQ(d[1].at("path"), "exceptions.tracking_stale_hours");
  EXPECT_TRUE(d[1].at("old").is_null());
  EXPECT_EQ(d[1].at("new"), 6);
  // An object replaced by null is one change of the whole member.
  EXPECT_EQ(d[2].at("path"), "notifications.quiet_hours");
  EXPECT_EQ(d[2].at("old").at("start"), "21:00");
  EXPECT_TRUE(d[2].at("new").is_null());
  EXPECT_TRUE(diff(settings_json(*next), settings_json(*next)).empty());
}

}  // namespace
}  // namespace lastmile::api::settings
