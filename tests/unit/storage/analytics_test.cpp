// Analytics aggregation (storage/analytics_store.hpp) against a hand-computed day: two carriers,
// three drivers, three routes, seven shipments with windows, failed attempts, a return, a missing
// scan, surveys and track points. Every expected number is worked out in the comments.
#include <map>

#include "analytics/figures.hpp"
#include "storage/analytics_store.hpp"
#include "storage/survey_store.hpp"
#include "store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

// 2026-11-23 (a Monday, ISO week 2026-W48), 00:00 UTC.
constexpr int64_t kDay = 1'795'392'000'000;
core::Timestamp hm(int h, int m) { return {kDay + (h * 60 + m) * 60'000LL}; }

class AnalyticsStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
  }

  AnalyticsStore& analytics() { return *store_->analytics(); }

  domain::Shipment shipment(const domain::Carrier& c, std::optional<core::Timestamp> window_end, int parcels = 1) {
    auto s = make_shipment(tenant_, hm(6, 0));
    s.carrier_id = c.id;
    if (window_end) s.promised = domain::TimeWindow{core::Timestamp{window_end->ms - 2 * 3'600'000}, *window_end};
    for (int i = 0; i < parcels; ++i) s.parcels.push_back({"P" + core::random_digits(10), 1.0, "box"});
    return add_shipment(s);
  }

  void step(domain::Shipment& s, Milestone m, core::Timestamp when) {
    auto stored = store_->append_event(make_event(s, m, when), s.status);
    ASSERT_OK(stored);
    s.status = m;
    if (aggregate_as_we_go_) {
      ASSERT_OK(analytics().aggregate_events(2));
    }
  }

  void note(const domain::Shipment& s, std::string type, core::Timestamp when) {
    auto e = make_event(s, std::nullopt, when);
    e.type = std::move(type);
    ASSERT_OK(store_->append_event(e, s.status));
  }

  void survey(const domain::Shipment& s, int stars, std::optional<int> nps) {
    SurveyRecord r;
    r.tenant_id = tenant_;
    r.shipment_id = s.id;
    r.answer.stars = stars;
    r.answer.nps = nps;
    r.created_at = hm(18, 0);
    std::vector<domain::Event> events;
    auto e = make_event(s, std::nullopt, hm(18, 0));
    e.type = "survey_submitted";
    events.push_back(e);
    if (stars <= 2) {
      e.id = core::new_id<core::EventId>();
      e.type = "survey_low_rating";
      events.push_back(e);
    }
    ASSERT_OK(store_->surveys()->add_survey(r, events));
  }

  void start(const domain::Route& r, core::Timestamp when, std::vector<domain::Shipment*> shipments) {
    ASSERT_OK(store_->start_route(tenant_, r.id, when, {}));
    for (auto* s : shipments) step(*s, Milestone::kOutForDelivery, when);
  }

  // Pings every `every_s` seconds from `from` to `to` inclusive, each `dlat` degrees further north.
  void pings(const domain::Driver& d, core::Timestamp from, core::Timestamp to, int every_s, double dlat) {
    std::vector<ingest::Ping> out;
    int i = 0;
    for (int64_t t = from.ms; t <= to.ms; t += every_s * 1000LL, ++i) {
      ingest::Ping p;
      p.driver_id = d.id;
      p.t = p.received_at = core::Timestamp{t};
      p.position = latlon(43.70 + i * dlat, 7.42);
      out.push_back(p);
    }
    ASSERT_OK(store_->append_track_points(tenant_, d.id, out));
  }

  // The scripted day (times UTC on 2026-11-23).
  void play_day() {
    a_ = add_carrier(tenant_, "ACME");
    b_ = add_carrier(tenant_, "BETA");
    d1_ = add_driver(tenant_, a_.id);
    d2_ = add_driver(tenant_, a_.id);
    d3_ = add_driver(tenant_, b_.id);
    auto s1 = shipment(a_, hm(10, 0), 2), s2 = shipment(a_, hm(10, 0)), s3 = shipment(a_, hm(12, 0));
    auto s4 = shipment(a_, hm(11, 0)), s5 = shipment(a_, std::nullopt);
    auto s6 = shipment(b_, hm(12, 0)), s7 = shipment(b_, hm(12, 0));
    auto r1 = add_route(tenant_, d1_.id, {{s1.id}, {s2.id, s3.id}});
    auto r2 = add_route(tenant_, d2_.id, {{s4.id}, {s5.id}});
    auto r3 = add_route(tenant_, d3_.id, {{s6.id}, {s7.id}});
    // d1 pings every 20 s from 08:00 to 09:00 (181 points, 180 steps of 0.001° ≈ 111.195 m), then
    // nothing until its route ends at 10:20. d3 pings every 30 s in place for its whole route.
    pings(d1_, hm(8, 0), hm(9, 0), 20, 0.001);
    pings(d3_, hm(8, 30), hm(10, 0), 30, 0.0);

    start(r1, hm(8, 0), {&s1, &s2, &s3});
    start(r3, hm(8, 30), {&s6, &s7});
    start(r2, hm(9, 0), {&s4, &s5});
    step(s6, Milestone::kDelivered, hm(9, 30));       // window end 12:00: on time
    step(s1, Milestone::kDelivered, hm(10, 0));       // window end 10:00: on time (0 min)
    step(s7, Milestone::kAttemptFailed, hm(10, 0));   // r3 done: 08:30–10:00
    step(s2, Milestone::kDelivered, hm(10, 20));      // 20 min late
    step(s3, Milestone::kAttemptFailed, hm(10, 20));  // r1 done: 08:00–10:20
    step(s7, Milestone::kOutForDelivery, hm(10, 30));
    step(s7, Milestone::kDelivered, hm(11, 0));       // on time, second attempt
    step(s4, Milestone::kDelivered, hm(11, 45));      // 45 min late
    note(s5, "missing_scan", hm(11, 59));
    step(s5, Milestone::kDelivered, hm(12, 0));       // no window; r2 done: 09:00–12:00
    step(s3, Milestone::kReturned, hm(15, 0));        // finished as returned (1 failed attempt)
    survey(s1, 5, 10);
    survey(s2, 3, 6);
    survey(s6, 4, std::nullopt);
    survey(s7, 1, 0);  // also survey_low_rating: a low_rating case

    // Another tenant's delivery the same day must not show.
    auto other = add_tenant();
    auto oc = add_carrier(other, "ACME");
    auto os = make_shipment(other, hm(6, 0));
    os.carrier_id = oc.id;
    add_shipment(os);
    ASSERT_OK(store_->append_event(make_event(os, Milestone::kOutForDelivery, hm(9, 0)), Milestone::kCreated));
    ASSERT_OK(store_->append_event(make_event(os, Milestone::kDelivered, hm(9, 5)), Milestone::kOutForDelivery));
  }

  void catch_up() {
    for (int guard = 0; guard < 1000; ++guard) {
      auto n = analytics().aggregate_events(7);
      ASSERT_OK(n);
      if (*n == 0) return;
    }
    FAIL() << "aggregation does not catch up";
  }

  std::map<std::string, AnalyticsRow> rows(AnalyticsDim dim, std::optional<core::CarrierId> carrier = {}) {
    auto got = analytics().analytics_rows({tenant_, dim, "2026-11-01", "2026-11-30", carrier});
    EXPECT_OK(got);
    std::map<std::string, AnalyticsRow> out;
    if (got)
      for (auto& r : *got) out.emplace(r.key_id, r);
    return out;
  }

  core::TenantId tenant_;
  domain::Carrier a_, b_;
  domain::Driver d1_, d2_, d3_;
  bool aggregate_as_we_go_ = false;
};

TEST_F(AnalyticsStoreTest, HandComputedDayPerCarrier) {
  play_day();
  catch_up();
  ASSERT_OK(analytics().put_rate_card(tenant_, a_.id, {2.0, 0.5, 0.25, "EUR"}, hm(20, 0)));
  analytics::Targets targets;
  targets.on_time_rate = 90;
  targets.first_attempt_rate = 75;
  targets.csat = 60;
  auto carriers = rows(AnalyticsDim::kCarrier);
  ASSERT_EQ(carriers.size(), 2u);
  const AnalyticsRow& a = carriers.at(a_.id.str());
  EXPECT_EQ(a.day, "2026-11-23");
  EXPECT_EQ(a.name, "Carrier ACME");
  const analytics::Rollup& ra = a.rollup;
  // Carrier A: s1, s2, s4, s5 delivered; s3 returned.
  EXPECT_EQ(ra.deliveries, 4);
  EXPECT_EQ(ra.finished, 5);
  EXPECT_EQ(ra.returned, 1);
  EXPECT_EQ(ra.first_attempt, 4);  // every delivery at the first attempt; s3 never delivered
  EXPECT_EQ(ra.failed_attempts, 1);
  EXPECT_EQ(ra.windowed, 3);       // s1, s2, s4 (s5 has no window)
  EXPECT_EQ(ra.on_time, 1);        // s1 (0 min)
  EXPECT_EQ(ra.parcels, 5);        // 2 + 1 + 1 + 1
  EXPECT_EQ(ra.routes, 2);         // r1, r2
  EXPECT_EQ(ra.stops, 4);          // r1: 2 stops, r2: 2 stops
  EXPECT_NEAR(ra.km, 20.0151144, 1e-5);  // r1: 180 × 111.195 m; r2: no pings
  EXPECT_DOUBLE_EQ(ra.route_s, 8400 + 10800);  // r1 08:00–10:20, r2 09:00–12:00
  EXPECT_DOUBLE_EQ(ra.tracked_s, 3600);         // r1 08:00–09:00
  auto fa = analytics::compute_figures(ra, nullptr, targets);
  EXPECT_EQ(fa.on_time_rate, 33.3);        // 1 / 3
  EXPECT_EQ(fa.first_attempt_rate, 80.0);  // 4 / 5
  EXPECT_EQ(fa.lateness_p50_min, 20);      // {0, 20, 45}: rank 2
  EXPECT_EQ(fa.lateness_p90_min, 45);      // rank ceil(2.7) = 3
  EXPECT_EQ(fa.csat, 50.0);                // s1 5★, s2 3★
  EXPECT_EQ(fa.nps, 0.0);                  // one promoter (10), one detractor (6)
  EXPECT_EQ(fa.tracking_quality, 18.8);    // 3600 / 19200 = 18.75 %
  EXPECT_EQ(fa.missed_scans, 1);           // s5
  std::map<std::string, double> per100(fa.exceptions_per_100.begin(), fa.exceptions_per_100.end());
  EXPECT_EQ(per100["attempt_failed"], 25.0);  // s3: 1 per 4 deliveries
  EXPECT_EQ(per100["missing_scan"], 25.0);
  EXPECT_EQ(per100["low_rating"], 0.0);
  EXPECT_EQ(fa.below_target, (std::vector<std::string>{"on_time_rate", "csat"}));
  auto card = analytics().get_rate_card(tenant_, a_.id);
  ASSERT_OK(card);
  ASSERT_TRUE(card->has_value());
  auto fa_cost = analytics::compute_figures(ra, &**card, targets);
  EXPECT_EQ(fa_cost.cost, 19.26);              // 4 × 2 + 20.0151 × 0.5 + 5 × 0.25 = 19.2576
  EXPECT_EQ(fa_cost.cost_per_delivery, 4.81);  // / 4

  // Carrier B: s6 (first attempt) and s7 (second attempt) delivered on time.
  const analytics::Rollup& rb = carriers.at(b_.id.str()).rollup;
  auto fb = analytics::compute_figures(rb, nullptr, targets);
  EXPECT_EQ(rb.deliveries, 2);
  EXPECT_EQ(fb.on_time_rate, 100.0);
  EXPECT_EQ(fb.first_attempt_rate, 50.0);
  EXPECT_EQ(fb.lateness_p90_min, 0);
  EXPECT_EQ(fb.csat, 50.0);    // 4★ and 1★
  EXPECT_EQ(fb.nps, -100.0);   // one answer: 0
  EXPECT_EQ(fb.tracking_quality, 100.0);
  EXPECT_EQ(rb.stops, 2);
  EXPECT_DOUBLE_EQ(rb.km, 0);
  std::map<std::string, double> per100b(fb.exceptions_per_100.begin(), fb.exceptions_per_100.end());
  EXPECT_EQ(per100b["attempt_failed"], 50.0);  // s7
  EXPECT_EQ(per100b["low_rating"], 50.0);      // s7's 1★
  EXPECT_EQ(fb.below_target, (std::vector<std::string>{"first_attempt_rate", "csat"}));
}

TEST_F(AnalyticsStoreTest, HandComputedDayPerDriverAndCarrierFilter) {
  play_day();
  catch_up();
  auto drivers = rows(AnalyticsDim::kDriver);
  ASSERT_EQ(drivers.size(), 3u);
  const AnalyticsRow& d1 = drivers.at(d1_.id.str());
  EXPECT_EQ(d1.carrier_id, a_.id.str());
  EXPECT_EQ(d1.rollup.deliveries, 2);  // s1, s2; s3 returned
  EXPECT_EQ(d1.rollup.finished, 3);
  EXPECT_EQ(d1.rollup.parcels, 3);
  auto f1 = analytics::compute_figures(d1.rollup, nullptr, {});
  EXPECT_EQ(f1.first_attempt_rate, 66.7);  // 2 / 3
  EXPECT_EQ(f1.on_time_rate, 50.0);        // s1 on time, s2 late
  EXPECT_EQ(f1.lateness_p50_min, 0);
  EXPECT_EQ(f1.lateness_p90_min, 20);
  EXPECT_EQ(f1.tracking_quality, 42.9);    // 3600 / 8400
  const analytics::RateCard card{2.0, 0.5, 0.25, "EUR"};
  EXPECT_EQ(analytics::compute_figures(d1.rollup, &card, {}).cost, 14.76);  // 2 × 2 + 20.0151 × 0.5 + 3 × 0.25
  auto f2 = analytics::compute_figures(drivers.at(d2_.id.str()).rollup, &card, {});
  EXPECT_EQ(f2.on_time_rate, 0.0);  // s4 45 min late
  EXPECT_EQ(f2.missed_scans, 1);
  EXPECT_EQ(f2.tracking_quality, 0.0);
  EXPECT_EQ(f2.cost, 4.5);  // 2 × 2 + 0 km + 2 × 0.25
  EXPECT_EQ(f2.cost_per_delivery, 2.25);
  EXPECT_EQ(drivers.at(d3_.id.str()).rollup, rows(AnalyticsDim::kCarrier).at(b_.id.str()).rollup);

  auto only_b = rows(AnalyticsDim::kDriver, b_.id);
  ASSERT_EQ(only_b.size(), 1u);
  EXPECT_TRUE(only_b.contains(d3_.id.str()));
  auto carrier_b = rows(AnalyticsDim::kCarrier, b_.id);
  ASSERT_EQ(carrier_b.size(), 1u);
}

TEST_F(AnalyticsStoreTest, FoldingAsEventsArriveGivesTheSameRowsAsFoldingAtTheEnd) {
  aggregate_as_we_go_ = true;  // small batches between the writes
  play_day();
  catch_up();
  auto as_we_go = analytics().analytics_rows({tenant_, AnalyticsDim::kCarrier, "2026-11-01", "2026-11-30", {}});
  ASSERT_OK(as_we_go);

  auto fresh = open_test_store();
  std::swap(store_, fresh);
  aggregate_as_we_go_ = false;
  tenant_ = add_tenant();
  play_day();
  catch_up();
  auto at_end = analytics().analytics_rows({tenant_, AnalyticsDim::kCarrier, "2026-11-01", "2026-11-30", {}});
  ASSERT_OK(at_end);
  ASSERT_EQ(as_we_go->size(), at_end->size());
  std::map<std::string, analytics::Rollup> by_name;
  for (const auto& r : *at_end) by_name[r.name] = r.rollup;
  for (const auto& r : *as_we_go) {
    auto km = r.rollup;
    EXPECT_EQ(km, by_name.at(r.name)) << r.name;
  }
  auto cursor = analytics().analytics_cursor();
  ASSERT_OK(cursor);
  EXPECT_GT(*cursor, 0);
  auto again = analytics().aggregate_events(100);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);  // caught up: nothing is folded twice
}

TEST_F(AnalyticsStoreTest, RangeOutsideTheDayIsEmptyAndOtherTenantsSeeNothing) {
  play_day();
  catch_up();
  auto before = analytics().analytics_rows({tenant_, AnalyticsDim::kCarrier, "2026-11-24", "2026-11-30", {}});
  ASSERT_OK(before);
  EXPECT_TRUE(before->empty());
  auto stranger = add_tenant();
  auto none = analytics().analytics_rows({stranger, AnalyticsDim::kCarrier, "2026-11-01", "2026-11-30", {}});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(AnalyticsStoreTest, RateCardsAndTargetsAreTheTenants) {
  auto c = add_carrier(tenant_, "ACME");
  auto empty = analytics().get_rate_card(tenant_, c.id);
  ASSERT_OK(empty);
  EXPECT_FALSE(empty->has_value());
  ASSERT_OK(analytics().put_rate_card(tenant_, c.id, {1.5, 0.4, 0.1, "EUR"}, hm(1, 0)));
  ASSERT_OK(analytics().put_rate_card(tenant_, c.id, {1.75, 0.4, 0.1, "CHF"}, hm(2, 0)));
  auto card = analytics().get_rate_card(tenant_, c.id);
  ASSERT_OK(card);
  EXPECT_EQ((*card)->per_stop, 1.75);
  EXPECT_EQ((*card)->currency, "CHF");
  auto stranger = add_tenant();
  EXPECT_TRUE(fails_with(analytics().get_rate_card(stranger, c.id), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(analytics().put_rate_card(stranger, c.id, {1, 1, 1, "EUR"}, hm(3, 0)), ErrorCode::kNotFound));
  auto list = analytics().list_rate_cards(stranger);
  ASSERT_OK(list);
  EXPECT_TRUE(list->empty());

  analytics::Targets t;
  t.on_time_rate = 95;
  t.nps = -10;
  ASSERT_OK(analytics().put_targets(tenant_, t, hm(4, 0)));
  auto got = analytics().get_targets(tenant_);
  ASSERT_OK(got);
  EXPECT_EQ(got->on_time_rate, 95);
  EXPECT_EQ(got->nps, -10);
  EXPECT_FALSE(got->csat);
  auto theirs = analytics().get_targets(stranger);
  ASSERT_OK(theirs);
  EXPECT_FALSE(theirs->on_time_rate);
}

TEST_F(AnalyticsStoreTest, AddedRowsMergeIntoTheRollupsAndUnknownKeysAreNotFound) {
  auto c = add_carrier(tenant_, "ACME");
  analytics::Rollup r;
  r.deliveries = 10;
  r.on_time = 7;
  r.windowed = 10;
  ASSERT_OK(analytics().add_analytics_rows(tenant_, AnalyticsDim::kCarrier,
                                           {{c.id.str(), "", c.id.str(), "2026-11-02", r},
                                            {c.id.str(), "", c.id.str(), "2026-11-02", r}}));
  auto got = rows(AnalyticsDim::kCarrier);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got.at(c.id.str()).rollup.deliveries, 20);
  EXPECT_TRUE(fails_with(analytics().add_analytics_rows(add_tenant(), AnalyticsDim::kCarrier,
                                                        {{c.id.str(), "", c.id.str(), "2026-11-02", r}}),
                         ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(analytics().add_analytics_rows(tenant_, AnalyticsDim::kCarrier,
                                                        {{c.id.str(), "", c.id.str(), "2026-13-02", r}}),
                         ErrorCode::kInvalidField, "day"));
  EXPECT_EQ(rows(AnalyticsDim::kCarrier).at(c.id.str()).rollup.deliveries, 20);  // nothing of a failed call
}

}  // namespace
}  // namespace lastmile::storage::testing
