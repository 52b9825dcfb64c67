// The exception queue's JSON: a case as the API shows it (docs/api.md, "Exception queue"), its history
// and notes, and the live message — staff of the tenant only, never a customer.
#include "api/exception_messages.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;
using storage::testing::at;

domain::ExceptionCase late_case() {
  domain::ExceptionCase c;
  c.id = core::ExceptionId("exc_k3v9q0x1m2a8b7c4");
  c.tenant_id = core::TenantId("ten_acme");
  c.kind = domain::ExceptionKind::kLateRisk;
  c.status = domain::ExceptionStatus::kAcknowledged;
  c.shipment_id = core::ShipmentId("shp_1");
  c.route_id = core::RouteId("rte_1");
  c.driver_id = core::DriverId("drv_1");
  c.first_seen_at = at(0);
  c.last_seen_at = at(60);
  c.count = 2;
  c.details_json = R"({"late_by_s":240,"stop_id":"stp_1"})";
  c.acknowledged = domain::ExceptionStamp{at(90), "key_disp", "dispatcher"};
  c.revision = 3;
  c.created_at = at(1);
  c.updated_at = at(90);
  return c;
}

TEST(ExceptionJson, ShowsTheCaseWithItsSubjectStampsAndDetails) {
  auto j = exception_json(late_case());
  EXPECT_EQ(j.at("id"), "exc_k3v9q0x1m2a8b7c4");
  EXPECT_EQ(j.at("kind"), "late_risk");
  EXPECT_EQ(j.at("status"), "acknowledged");
  EXPECT_EQ(j.at("shipment_id"), "shp_1");
  EXPECT_EQ(j.at("driver_id"), "drv_1");
  EXPECT_EQ(j.at("route_id"), "rte_1");
  EXPECT_EQ(j.at("count"), 2);
  EXPECT_EQ(j.at("details").at("late_by_s"), 240);
  EXPECT_EQ(j.at("acknowledged").at("by"), "key_disp");
  EXPECT_EQ(j.at("acknowledged").at("role"), "dispatcher");
  EXPECT_TRUE(j.at("resolved").is_null());
  EXPECT_TRUE(j.at("resolution").is_null());
  EXPECT_EQ(j.at("revision"), 3);
  EXPECT_EQ(j.at("first_seen_at"), json::value(core::format_iso8601(at(0))));
  EXPECT_EQ(j.at("last_seen_at"), json::value(core::format_iso8601(at(60))));
  EXPECT_EQ(j.size(), 16u);
}

TEST(ExceptionJson, ADriverCaseWithoutAShipmentShowsNulls) {
  domain::ExceptionCase c = late_case();
  c.kind = domain::ExceptionKind::kDeviceOffline;
  c.shipment_id.reset();
  c.details_json = "not json";  // never written so; shown as an empty object rather than failing
  auto j = exception_json(c);
  EXPECT_TRUE(j.at("shipment_id").is_null());
  EXPECT_EQ(j.at("details"), json::object{});
}

TEST(ExceptionJson, DetailHasTheHistoryAndTheNotesThread) {
  storage::ExceptionDetail d;
  d.exception = late_case();
  domain::ExceptionEntry raised;
  raised.kind = domain::ExceptionEntryKind::kRaised;
  raised.at = at(0);
  raised.actor = "driver:drv_1";
  raised.role = "system";
  raised.event_id = core::EventId("evt_1");
  domain::ExceptionEntry note;
  note.kind = domain::ExceptionEntryKind::kNote;
  note.at = at(100);
  note.actor = "key_disp";
  note.role = "dispatcher";
  note.note = "customer called";
  domain::ExceptionEntry resolved = note;
  resolved.kind = domain::ExceptionEntryKind::kResolved;
  resolved.note.clear();
  resolved.resolution = domain::Resolution::kFalseAlarm;
  d.history = {raised, note, resolved};
  auto j = exception_detail_json(d);
  const auto& h = j.at("history").as_array();
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].at("type"), "raised");
  EXPECT_EQ(h[0].at("event_id"), "evt_1");
  EXPECT_TRUE(h[0].at("note").is_null());
  EXPECT_EQ(h[1].at("note"), "customer called");
  EXPECT_EQ(h[2].at("resolution"), "false_alarm");
  const auto& notes = j.at("notes").as_array();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].at("note"), "customer called");
  EXPECT_EQ(notes[0].at("by"), "key_disp");
}

TEST(LiveExceptionMessage, GoesToTheTenantsStaffOnly) {
  auto m = live_exception_message(late_case());
  EXPECT_EQ(m.kind, push::LiveMessage::Kind::kException);
  ASSERT_EQ(m.topics.size(), 1u);
  EXPECT_EQ(m.topics[0], push::Topic::tenant(core::TenantId("ten_acme")));
  EXPECT_EQ(m.public_json, nullptr);
  ASSERT_NE(m.staff_json, nullptr);
  auto j = json::parse(*m.staff_json).as_object();
  EXPECT_EQ(j.at("type"), "exception_queue");
  EXPECT_EQ(j.at("exception").at("id"), "exc_k3v9q0x1m2a8b7c4");
  EXPECT_EQ(j.at("exception").at("revision"), 3);
}

}  // namespace
}  // namespace lastmile::api
