// Re-planning a started route with its breaks (api/route_replan.hpp): which breaks are still ahead, and
// the timing of an order with them, on great-circle legs (1.0 detour, 36 km/h = 10 m/s).
#include "api/route_replan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace lastmile::api {
namespace {

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }
const core::Timestamp kNow{1'795'000'000'000};
core::Timestamp plus_s(double s) { return core::Timestamp{kNow.ms + static_cast<int64_t>(s * 1000)}; }
double secs(core::Timestamp t) { return (t.ms - kNow.ms) / 1000.0; }

BreakLeft left(std::string id, std::size_t before, double duration_s = 0,
               std::optional<core::Timestamp> earliest = std::nullopt,
               std::optional<core::Timestamp> latest = std::nullopt) {
  BreakLeft b;
  b.id = std::move(id);
  b.before = before;
  b.duration_s = duration_s;
  b.earliest = earliest;
  b.latest = latest;
  return b;
}

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

// A started route with the driver at its depot now and two open stops of 2 minutes on a line north of
// it, about 1 km apart.
LiveRoute two_stops_ahead() {
  LiveRoute live;
  live.route = route_with(2, {}, domain::RouteStatus::kInProgress);
  live.from = at(43.73, 7.42);
  live.at = kNow;
  for (int i = 0; i < 2; ++i) {
    LiveStop s;
    s.id = live.route.stops[i].id;
    s.location = at(43.73 + 0.009 * (i + 1), 7.42);
    s.service_s = 120;
    live.open.push_back(s);
  }
  return live;
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
  LiveRoute live = two_stops_ahead();
  auto m = ReplanMatrix::build(great_circle, {&live});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Timing plain = time_route(live, live.open, *m);

  // A 30-minute lunch after the first open stop, not before 20 minutes from now.
  live.breaks = {left("lunch", 1, 1800, plus_s(1200))};
  const Timing with_lunch = time_route(live, live.open, *m);
  ASSERT_EQ(with_lunch.stops.size(), 2u);
  EXPECT_EQ(with_lunch.stops[0].eta, plain.stops[0].eta);
  const double leg2 = secs(plain.stops[1].arrival) - secs(plain.stops[0].eta) - 120;
  EXPECT_NEAR(secs(with_lunch.stops[1].arrival), 1200 + 1800 + leg2, 0.01);
  EXPECT_NEAR(secs(with_lunch.end_at) - secs(plain.end_at), 1200 + 1800 - (secs(plain.stops[0].eta) + 120), 0.01);

  // A break after the last stop (or after more stops than are left, once stops moved to another route)
  // delays the return only.
  for (std::size_t before : {2u, 3u}) {
    live.breaks = {left("rest", before, 600)};
    const Timing at_the_end = time_route(live, live.open, *m);
    EXPECT_EQ(at_the_end.stops[1].eta, plain.stops[1].eta);
    EXPECT_NEAR(secs(at_the_end.end_at) - secs(plain.end_at), 600, 0.01);
  }
}

TEST(RouteReplanBreaks, AfterARePlanTheBreaksTakenStayAndTheOthersMove) {
  const auto route = route_with(4, {{"coffee", 1, 600, std::nullopt}, {"lunch", 2, 1800, std::nullopt}},
                                domain::RouteStatus::kInProgress);
  // One stop done: the coffee is behind; the plan puts the lunch after the third open stop.
  const auto after = breaks_after(route, 1, {left("lunch", 3, 1800)});
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].id, "coffee");
  EXPECT_EQ(after[0].after_stops, 1);
  EXPECT_EQ(after[1].id, "lunch");
  EXPECT_EQ(after[1].after_stops, 4);
  EXPECT_EQ(after[1].duration_s, 1800);
  // Listed in the order taken when a move puts a later break first.
  const auto swapped = breaks_after(route_with(4, route.breaks, domain::RouteStatus::kPlanned), 0,
                                    {left("coffee", 3), left("lunch", 0)});
  ASSERT_EQ(swapped.size(), 2u);
  EXPECT_EQ(swapped[0].id, "lunch");
  EXPECT_EQ(swapped[1].id, "coffee");
}

TEST(RouteReplanBreaks, AResequenceMovesABreakInsideItsWindowSoAStopIsNoLongerLate) {
  map::RoutingService great_circle(nullptr, {1.0, 36});
  LiveRoute live = two_stops_ahead();  // A about 1 km out, B 1 km further on the same line
  live.open[0].window = domain::TimeWindow{plus_s(-3600), plus_s(600)};  // A by 10 minutes from now,
  live.open[1].window = domain::TimeWindow{plus_s(-3600), plus_s(900)};  // B by 15
  // A 30-minute lunch to start within the next 30 minutes, placed between A and B: whichever stop comes
  // second is late, so no order of the stops alone helps; the lunch after both does.
  live.breaks = {left("lunch", 1, 1800, kNow, plus_s(1800))};
  auto m = ReplanMatrix::build(great_circle, {&live});
  ASSERT_TRUE(m.ok()) << m.error().message;

  const auto r = resequence(live, *m, 1, 1);
  EXPECT_EQ(r.before.late_stops, 1);
  ASSERT_TRUE(r.improved);
  EXPECT_EQ(r.after.late_stops, 0);
  ASSERT_EQ(r.breaks.size(), 1u);
  const auto b_at = std::find_if(r.order.begin(), r.order.end(), [&](const LiveStop& s) { return s.id == live.open[1].id; });
  EXPECT_GT(r.breaks[0].before, static_cast<std::size_t>(b_at - r.order.begin()));  // the lunch comes after B
  // It still starts inside its window: B's service ends well before 30 minutes from now.
  EXPECT_LT(secs(r.after.stops[static_cast<std::size_t>(b_at - r.order.begin())].eta) + 120, 1800);
}

LiveStop stop_at(std::string id, core::LatLon where, std::optional<domain::TimeWindow> window = std::nullopt) {
  LiveStop s;
  s.id = core::StopId(std::move(id));
  s.location = where;
  s.service_s = 120;
  s.window = window;
  return s;
}

// A started route from the depot at now through `stops`, with `breaks` left.
LiveRoute live_route(std::vector<LiveStop> stops, std::vector<BreakLeft> breaks) {
  LiveRoute live;
  live.route = route_with(0, {}, domain::RouteStatus::kInProgress);
  live.from = live.route.depot;
  live.at = kNow;
  live.open = std::move(stops);
  live.breaks = std::move(breaks);
  return live;
}

TEST(RouteReplanBreaks, AReassignKeepsEachBreakBetweenTheSameStops) {
  map::RoutingService great_circle(nullptr, {1.0, 36});
  // 1 km north of the depot, on an east-west line: D 1 km west, X straight north, E 1 km east. X fits
  // between D and E with no added travel; E's route takes a 30-minute rest between D and E.
  const auto d = at(43.739, 7.40755), x = at(43.739, 7.42), e = at(43.739, 7.43245);
  for (const bool tight : {true, false}) {
    SCOPED_TRACE(tight ? "X by 8 minutes from now" : "X from 35 minutes from now");
    const auto window = tight ? domain::TimeWindow{plus_s(180), plus_s(480)} : domain::TimeWindow{plus_s(2100), plus_s(2400)};
    // The source route: X, then a lunch, then Y; X moves away.
    LiveRoute from = live_route({stop_at("X", x, window), stop_at("Y", at(43.73, 7.43))}, {left("lunch", 1, 1800)});
    LiveRoute to = live_route({stop_at("D", d), stop_at("E", e)}, {left("rest", 1, 1800)});
    std::vector<LiveRoute> candidates{to};
    auto m = ReplanMatrix::build(great_circle, {&from, &candidates[0]});
    ASSERT_TRUE(m.ok()) << m.error().message;

    const auto r = reassign(from, {core::StopId("X")}, candidates, *m);
    ASSERT_EQ(r.moved.size(), 1u);
    ASSERT_EQ(r.to_after[0].size(), 3u);
    EXPECT_EQ(r.to_after[0][1].id, core::StopId("X"));
    ASSERT_EQ(r.to_breaks[0].size(), 1u);
    // Tight, X must come before the rest (taken before E); else after the rest, so the wait for X's
    // window is spent resting: the return is earlier.
    EXPECT_EQ(r.to_breaks[0][0].before, tight ? 2u : 1u);
    EXPECT_EQ(r.to_timing[0].late_stops, 0);
    EXPECT_NEAR(secs(r.to_timing[0].stops[2].arrival) - secs(r.to_timing[0].stops[1].eta) - 120,
                tight ? 1800 + 100 : 100, 2);
    // The lunch stays before Y, now the source route's first stop left.
    ASSERT_EQ(r.from_breaks.size(), 1u);
    EXPECT_EQ(r.from_breaks[0].before, 0u);
    EXPECT_GE(secs(r.from_timing.stops[0].arrival), 1800);
  }
}

}  // namespace
}  // namespace lastmile::api
