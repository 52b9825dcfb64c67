// Live ETA and late risk end to end (issue 4, test (a)): delivery drives simulated on the bundled
// Monaco road network (sim/drive_simulator.hpp: GPS noise, 1–5 s sampling, dwell at stops, a
// city whose side streets and rush hours are slower than the map's free flow) are replayed as the
// driver app's batches through the whole pipeline — filter, durable write, geofence, route
// progress, ETA — on a real SQLite store, with the pipeline's clock following the drive.
//
//  - On time: ETA errors shrink as the driver approaches each stop, and no late risk is raised.
//  - A slow driver (half pace) on the same route and promises: every stop that ends up late by
//    more than 5 minutes had its late_risk raised before its window closed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <map>
#include <mutex>

#include "eta/routing_legs.hpp"
#include "map/routing_service.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "sim/drive_simulator.hpp"
#include "unit/map/map_test_support.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

namespace json = boost::json;
using domain::Milestone;

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }
const core::Timestamp kStart = *core::parse_iso8601("2026-03-03T10:00:00Z");  // a Tuesday, off-peak
const core::LatLon kDepot = at(43.7277, 7.4157);                               // Fontvieille
constexpr int kStops = 6;

struct Prediction {
  core::Timestamp made;
  core::Timestamp eta;
};

class EtaScenarioTest : public storage::testing::StoreTest {
 protected:
  static void SetUpTestSuite() {
    auto graph = map::test::monaco_graph();
    ASSERT_TRUE(graph.ok()) << graph.error().message;
    router_ = std::make_shared<const map::Router>(std::move(*graph));
    routing_ = new map::RoutingService(router_, {});
  }
  static void TearDownTestSuite() {
    delete routing_;
    router_.reset();
  }

  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_NE(routing_, nullptr);
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
    device_ = {tenant_, driver_.id};
    legs_ = std::make_unique<eta::RoutingLegs>(*routing_);
    PipelineOptions o;
    o.shards = 1;
    o.eta.legs = legs_.get();
    o.eta.push_change_s = 0;  // every estimate reaches the live sink: the test reads them all
    o.eta.off_route.min_duration_s = 30;  // Monaco is small: a detour leaves the plan for under a minute
    clock_.set(kStart);
    pipeline_ = std::make_unique<IngestPipeline>(*store_, clock_, o, [this](const LiveUpdate& u) {
      if (u.kind != LiveUpdate::Kind::kEta || u.staff_json.empty()) return;
      std::lock_guard lock(mu_);
      const json::object m = json::parse(u.staff_json).as_object();
      const auto made = *core::parse_iso8601(m.at("at").as_string());
      for (const auto& s : m.at("stops").as_array()) {
        const auto& o = s.as_object();
        if (o.at("at_stop").as_bool()) continue;
        predictions_[std::string(o.at("stop_id").as_string())].push_back(
            {made, *core::parse_iso8601(o.at("eta").as_string())});
      }
    });
  }

  // Six stops at least 250 m apart, visited nearest-first from the depot.
  static sim::DrivePlan plan() {
    sim::DrivePlan p{kDepot, {}, kStart, false};
    std::vector<core::LatLon> picked;
    for (const auto& c : sim::random_stops(*router_, 60, 7)) {
      bool far = core::haversine_m(c, kDepot) > 250;
      for (const auto& q : picked) far = far && core::haversine_m(c, q) > 250;
      if (far) picked.push_back(c);
      if (picked.size() == kStops) break;
    }
    for (const auto& s : sim::order_nearest_neighbour(kDepot, picked)) p.stops.push_back({s, 120});
    return p;
  }

  static sim::Drive drive(const sim::DrivePlan& p, double pace, const sim::Disturbances& x = {}) {
    sim::World world = sim::typical_city_world();
    sim::PhoneOptions phone;
    phone.seed = 11;
    auto d = sim::simulate_drive(*router_, p, world, sim::Driver{pace}, x, phone);
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? *d : sim::Drive{};
  }

  // Shipped shipments, one per stop, promised [start, `ends[i]`]; a started route over them.
  void start_route(const sim::DrivePlan& p, const std::vector<core::Timestamp>& ends) {
    std::vector<std::vector<core::ShipmentId>> stops;
    for (size_t i = 0; i < p.stops.size(); ++i) {
      auto s = storage::testing::make_shipment(tenant_);
      s.address.location = p.stops[i].location;
      s.promised = domain::TimeWindow{kStart, ends[i]};
      add_shipment(s);
      for (auto [from, to] : {std::pair{Milestone::kCreated, Milestone::kProcessed},
                              std::pair{Milestone::kProcessed, Milestone::kShipped}})
        ASSERT_TRUE(store_->append_event(storage::testing::make_event(s, to), from).ok());
      shipments_.push_back(s);
      stops.push_back({s.id});
    }
    auto r = storage::testing::make_route(tenant_, driver_.id, stops);
    r.depot = p.depot;
    for (size_t i = 0; i < r.stops.size(); ++i) r.stops[i].location = p.stops[i].location;
    ASSERT_TRUE(store_->create_route(r, nullptr).ok());
    ASSERT_TRUE(store_->start_route(tenant_, r.id, kStart, {}).ok());
    route_ = r;
    pipeline_->route_changed(device_);
    pipeline_->drain();
  }

  // The drive as the driver app sends it: a batch every 10 s, received 1 s after its last fix.
  void replay(const sim::Drive& d) {
    for (const auto& batch : sim::batch_pings(d.pings, 10, false, 1)) {
      std::vector<ingest::UnsafePing> pings;
      for (const auto& p : batch) {
        ingest::UnsafePing u;
        u.t = p.t;
        u.position = {p.position.lat(), p.position.lon()};
        u.speed_mps = p.speed_mps;
        u.heading_deg = p.heading_deg;
        u.accuracy_m = p.accuracy_m;
        pings.push_back(u);
      }
      clock_.set({batch.back().t.ms + 1000});
      auto r = pipeline_->submit(device_, pings, clock_.now());
      ASSERT_TRUE(r.ok()) << r.error().message;
      pipeline_->drain();
    }
  }

  std::vector<domain::Event> events_of(size_t stop, const std::string& type) {
    std::vector<domain::Event> out;
    auto events = store_->list_events(tenant_, shipments_[stop].id);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return out;
    for (const auto& e : *events)
      if (e.type == type) out.push_back(e);
    return out;
  }

  // Mean absolute error (s) of the predictions of `stop` made between `from_s` and `to_s` seconds
  // before its actual arrival; nullopt when none was made then.
  std::optional<double> error_between(size_t stop, core::Timestamp actual, double from_s, double to_s) {
    std::lock_guard lock(mu_);
    double sum = 0;
    int n = 0;
    for (const auto& p : predictions_[route_.stops[stop].id.str()]) {
      const double ahead = (actual.ms - p.made.ms) / 1000.0;
      if (ahead < from_s || ahead >= to_s) continue;
      sum += std::abs((p.eta.ms - actual.ms) / 1000.0);
      ++n;
    }
    if (n == 0) return std::nullopt;
    return sum / n;
  }

  static std::shared_ptr<const map::Router> router_;
  static map::RoutingService* routing_;

  core::ManualClock clock_{kStart};
  core::TenantId tenant_;
  domain::Driver driver_;
  Device device_;
  std::unique_ptr<eta::RoutingLegs> legs_;
  std::vector<domain::Shipment> shipments_;
  domain::Route route_;
  std::mutex mu_;
  std::map<std::string, std::vector<Prediction>> predictions_;  // GUARDED_BY(mu_), by stop id
  std::unique_ptr<IngestPipeline> pipeline_;
};
std::shared_ptr<const map::Router> EtaScenarioTest::router_;
map::RoutingService* EtaScenarioTest::routing_ = nullptr;

// Promises 10 minutes after the on-time driver's arrival.
std::vector<core::Timestamp> promises(const sim::Drive& on_time) {
  std::vector<core::Timestamp> ends;
  for (const auto& s : on_time.stops) ends.push_back({s.arrived.ms + 10 * 60'000});
  return ends;
}

TEST_F(EtaScenarioTest, OnTimeDriveEtaErrorShrinksOnApproachAndNoLateRisk) {
  const auto p = plan();
  ASSERT_EQ(p.stops.size(), static_cast<size_t>(kStops));
  const sim::Drive d = drive(p, 1.0);
  start_route(p, promises(d));
  replay(d);

  double far_sum = 0, near_sum = 0;
  int far_n = 0, near_n = 0;
  for (size_t i = 0; i < p.stops.size(); ++i) {
    const auto actual = d.stops[i].arrived;
    if (auto far = error_between(i, actual, 300, 1200)) far_sum += *far, ++far_n;
    if (auto near = error_between(i, actual, 0, 90)) near_sum += *near, ++near_n;
    EXPECT_TRUE(events_of(i, "late_risk").empty()) << "stop " << i;
    EXPECT_TRUE(events_of(i, "off_route").empty()) << "stop " << i;
    EXPECT_EQ(store_->get_shipment(tenant_, shipments_[i].id)->status == Milestone::kCreated, false);
  }
  ASSERT_GT(far_n, 0);
  ASSERT_EQ(near_n, kStops);
  const double far = far_sum / far_n, near = near_sum / near_n;
  std::printf("on time: mean |error| 5-20 min before %.0f s (%d stops), last 90 s %.0f s\n", far, far_n, near);
  EXPECT_LT(near, far);
  EXPECT_LT(near, 60);

  // The live ETA is stored on the stops the driver has not reached yet (none, at the end: every
  // stop visited), and the geofence saw every stop.
  auto route = store_->get_route(tenant_, route_.id);
  ASSERT_TRUE(route.ok());
  for (const auto& s : route->stops) {
    EXPECT_TRUE(s.arrived_at.has_value());
    EXPECT_TRUE(s.eta.has_value());
    EXPECT_TRUE(s.eta_earliest.has_value() && s.eta_latest.has_value());
    EXPECT_LE(*s.eta_earliest, *s.eta);
    EXPECT_LE(*s.eta, *s.eta_latest);
  }
}

TEST_F(EtaScenarioTest, SlowDriverLateRiskIsRaisedBeforeTheWindowCloses) {
  const auto p = plan();
  ASSERT_EQ(p.stops.size(), static_cast<size_t>(kStops));
  const sim::Drive on_time = drive(p, 1.0);
  const sim::Drive slow = drive(p, 0.5);
  const auto ends = promises(on_time);
  start_route(p, ends);
  replay(slow);

  int late_stops = 0;
  for (size_t i = 0; i < p.stops.size(); ++i) {
    const double late_by_s = (slow.stops[i].arrived.ms - ends[i].ms) / 1000.0;
    const auto raised = events_of(i, "late_risk");
    if (late_by_s > 300) {
      ++late_stops;
      ASSERT_FALSE(raised.empty()) << "stop " << i << " arrived " << late_by_s << " s late, no late_risk";
      const double lead_s = (ends[i].ms - raised.front().at.ms) / 1000.0;
      std::printf("stop %zu: %.0f s late; late_risk raised %.0f s before the window closed\n", i, late_by_s, lead_s);
      EXPECT_GT(lead_s, 0) << "stop " << i;
      const auto payload = json::parse(raised.front().payload_json).as_object();
      EXPECT_EQ(payload.at("stop_id").as_string(), route_.stops[i].id.str());
      EXPECT_GT(payload.at("late_by_s").to_number<double>(), 0);
    }
    if (late_by_s < 0) {
      EXPECT_TRUE(raised.empty()) << "stop " << i << " was on time";
    }
  }
  EXPECT_GE(late_stops, 2);

  // The half-pace drive pushes the later stops' ETAs back by more than the 15 minutes that make an
  // eta_changed announcement; each one names the shift from the ETA announced before it.
  int announced = 0;
  for (size_t i = 0; i < p.stops.size(); ++i) {
    std::optional<core::Timestamp> previous;
    for (const auto& e : events_of(i, "eta_changed")) {
      ++announced;
      const auto payload = json::parse(e.payload_json).as_object();
      const auto before = *core::parse_iso8601(payload.at("previous_eta").as_string());
      const auto now = *core::parse_iso8601(payload.at("eta").as_string());
      const double shift = payload.at("shift_minutes").to_number<double>();
      EXPECT_GE(std::abs(shift), 14.5) << "stop " << i;
      EXPECT_NEAR(shift, (now.ms - before.ms) / 60000.0, 0.5) << "stop " << i;
      if (previous) {
        EXPECT_EQ(before, *previous) << "stop " << i << ": the baseline is the last announced ETA";
      }
      previous = now;
    }
  }
  EXPECT_GE(announced, 1);
}

TEST_F(EtaScenarioTest, ADetourAroundAClosedRoadIsOffRouteThenBackOnRoute) {
  const auto p = plan();
  ASSERT_EQ(p.stops.size(), static_cast<size_t>(kStops));
  const sim::Drive on_time = drive(p, 1.0);
  // The first leg whose detour leaves the planned path by more than the threshold for long enough.
  std::optional<sim::Drive> detour;
  size_t leg = 0;
  for (size_t i = 1; i < p.stops.size() && !detour; ++i) {
    sim::Disturbances x;
    x.blocked_leg = i;
    sim::Drive d = drive(p, 1.0, x);
    if (!d.legs[i].detoured) continue;
    const double extra_m = d.legs[i].distance_m - d.legs[i].planned_distance_m;
    if (extra_m < 600) continue;
    detour = std::move(d);
    leg = i;
  }
  ASSERT_TRUE(detour.has_value()) << "no leg of this plan has a long detour";
  start_route(p, promises(on_time));
  replay(*detour);
  // Every shipment still open when it happened got the pair of events.
  const auto off = events_of(kStops - 1, "off_route");
  const auto back = events_of(kStops - 1, "back_on_route");
  ASSERT_EQ(off.size(), 1u) << "detour on leg " << leg;
  ASSERT_EQ(back.size(), 1u);
  EXPECT_LT(off.front().at, back.front().at);
  EXPECT_GT(off.front().at, detour->legs[leg].departed);
  EXPECT_LT(back.front().at, detour->legs[leg].arrived);
  const auto payload = json::parse(off.front().payload_json).as_object();
  EXPECT_GT(payload.at("distance_m").to_number<double>(), 150);
  EXPECT_TRUE(events_of(0, "off_route").empty());  // delivered before the detour
}

}  // namespace
}  // namespace lastmile::pipeline
