// Re-planning a started route with its breaks (api/route_replan.hpp): which breaks are still ahead, and
// the timing of an order with them, on great-circle legs (1.0 detour, 36 km/h = 10 m/s).
#include "api/route_replan.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }
const core::Timestamp kNow{1'795'000'000'000};
core::Timestamp plus_s(double s) { return core::Timestamp{kNow.ms + static_cast<int64_t>(s * 1000)}; }
double secs(core::Timestamp t) { return (t.ms - kNow.ms) / 1000.0; }

domain::Route route_with(int stops, std::vector<domain::RouteBreak> breaks, domain::RouteStatus status) {
  domain::Route r;
  r.status = status;
  r.depot = at(43.73, 7.42);
  for (int i = 0; i < stops; ++i) {
    domain::Stop s;
    s.id = core::StopId("stp_" + std::to_string(i));
    s.sequence = i;
    r.stops.push_back(s);
  }
  r.breaks = std::move(breaks);
  return r;
}

TEST(RouteReplanBreaks, ABreakIsLeftUntilTheStopsBeforeItAreDone) {
  const auto started = route_with(4, {{"coffee", 0, 600, std::nullopt}, {"lunch", 2, 1800, std::nullopt}},
                                  domain::RouteStatus::kInProgress);
  auto left = breaks_left(started, 1);  // one stop done: lunch comes before the second open stop
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].before, 1u);
  EXPECT_EQ(left[0].duration_s, 1800);
  EXPECT_TRUE(breaks_left(started, 2).empty());  // the two stops before lunch are done
  // Before the first stop: left only while the route has not started.
  EXPECT_EQ(breaks_left(started, 0).size(), 1u);
  const auto planned = route_with(4, started.breaks, domain::RouteStatus::kPlanned);
  left = breaks_left(planned, 0);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].before, 0u);
  EXPECT_EQ(left[1].before, 2u);
}

TEST(RouteReplanBreaks, TheTimingOfAnOrderIncludesTheBreaksLeft) {
  map::RoutingService great_circle(nullptr, {1.0, 36});
  LiveRoute live;
  live.route = route_with(2, {}, domain::RouteStatus::kInProgress);
  live.from = at(43.73, 7.42);
  live.at = kNow;
  for (int i = 0; i < 2; ++i) {
    LiveStop s;
    s.id = live.route.stops[i].id;
    s.location = at(43.73 + 0.009 * (i + 1), 7.42);  // about 1 km apart
    s.service_s = 120;
    live.open.push_back(s);
  }
  auto m = ReplanMatrix::build(great_circle, {&live});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Timing plain = time_route(live, live.open, *m);

  // A 30-minute lunch after the first open stop, not before 20 minutes from now.
  live.breaks = {{1, 1800, plus_s(1200)}};
  const Timing with_lunch = time_route(live, live.open, *m);
  ASSERT_EQ(with_lunch.stops.size(), 2u);
  EXPECT_EQ(with_lunch.stops[0].eta, plain.stops[0].eta);
  const double leg2 = secs(plain.stops[1].arrival) - secs(plain.stops[0].eta) - 120;
  EXPECT_NEAR(secs(with_lunch.stops[1].arrival), 1200 + 1800 + leg2, 0.01);
  EXPECT_NEAR(secs(with_lunch.end_at) - secs(plain.end_at), 1200 + 1800 - (secs(plain.stops[0].eta) + 120), 0.01);

  // A break after the last stop (or after more stops than are left, once stops moved to another route)
  // delays the return only.
  for (std::size_t before : {2u, 3u}) {
    live.breaks = {{before, 600, std::nullopt}};
    const Timing at_the_end = time_route(live, live.open, *m);
    EXPECT_EQ(at_the_end.stops[1].eta, plain.stops[1].eta);
    EXPECT_NEAR(secs(at_the_end.end_at) - secs(plain.end_at), 600, 0.01);
  }
}

}  // namespace
}  // namespace lastmile::api
