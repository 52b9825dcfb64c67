// Seeds the analytics rollups of a benchmark tenant (bench/analytics.sh, "Analytics" in bench/README.md):
// DELIVERIES deliveries spread over DAYS days ending END_DAY and over the tenant's drivers (each of a
// carrier), written as the daily driver and carrier rows the aggregator would keep for them
// (AnalyticsStore::add_analytics_rows, one transaction per 20 days of rows). The dashboard queries read
// only these rows, so their time is that of a tenant with that many deliveries.
//
//   analytics_seed DB_PATH TENANT_ID DELIVERIES DAYS END_DAY(YYYY-MM-DD)
//
// With --fold it measures the aggregator instead: SHIPMENTS shipments of the tenant's carriers are
// created (8 threads, so the group commit shares fsyncs) and delivered (events written 1,000 per
// transaction), then AnalyticsStore::aggregate_events(500) folds the whole log; prints events per second.
//
//   analytics_seed --fold DB_PATH TENANT_ID SHIPMENTS
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <tuple>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/crypto.hpp"
#include "core/new_id.hpp"

#include "analytics/delivery_fact.hpp"
#include "storage/analytics_store.hpp"
#include "storage/store.hpp"

using namespace lastmile;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

domain::Event event_of(const domain::Shipment& s, std::string type, std::optional<domain::Milestone> m, int64_t at) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = s.tenant_id;
  e.shipment_id = s.id;
  e.type = std::move(type);
  e.milestone = m;
  e.at = e.recorded_at = core::Timestamp{at};
  e.actor = "system";
  e.source = "bench";
  e.payload_json = "{}";
  return e;
}

int fold(const char* db_path, const core::TenantId& tenant, int shipments) {
  auto store = storage::open_store(std::string("sqlite:") + db_path, {});
  auto carriers = store->list_carriers(tenant, {500, std::nullopt});
  if (!carriers || carriers->items.empty()) return std::fprintf(stderr, "analytics_seed: no carrier\n"), 1;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<domain::Shipment> made(static_cast<size_t>(shipments));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int k = 0; k < 8; ++k)
    threads.emplace_back([&, k] {
      for (int i = k; i < shipments; i += 8) {
        domain::Shipment& s = made[static_cast<size_t>(i)];
        s.id = core::new_id<core::ShipmentId>();
        s.tenant_id = tenant;
        s.tracking_number = "LB" + core::random_digits(12);
        s.tracking_token = core::random_token(16);
        s.carrier_id = carriers->items[static_cast<size_t>(i) % carriers->items.size()].id;
        s.recipient = {"Bench Recipient", "", "", ""};
        s.address = {"1 Quai Antoine 1er", "", "Monaco", "98000", "MC", std::nullopt};
        s.promised = domain::TimeWindow{core::Timestamp{now - 4 * 3'600'000}, core::Timestamp{now - 2 * 3'600'000}};
        s.parcels = {{"B" + core::random_digits(12), 1.0, ""}};
        s.created_at = s.updated_at = core::Timestamp{now - 5 * 3'600'000};
        if (!store->create_shipment(s, event_of(s, "created", domain::Milestone::kCreated, s.created_at.ms), nullptr))
          std::fprintf(stderr, "create_shipment failed\n");
      }
    });
  for (auto& t : threads) t.join();
  std::printf("fold: %d shipments created in %.1f s\n", shipments, seconds_since(start));
  start = std::chrono::steady_clock::now();
  for (auto [milestone, expected, minutes] : {std::tuple{domain::Milestone::kOutForDelivery, domain::Milestone::kCreated, 200},
                                              std::tuple{domain::Milestone::kDelivered, domain::Milestone::kOutForDelivery, 100}}) {
    std::vector<std::pair<domain::Event, domain::Milestone>> events;
    for (size_t i = 0; i < made.size(); ++i) {
      events.emplace_back(event_of(made[i], std::string(domain::milestone_name(milestone)), milestone,
                                   now - (minutes + static_cast<int64_t>(i % 60)) * 60'000),
                          expected);
      if (events.size() == 1000 || i + 1 == made.size()) {
        if (auto r = store->record_route_progress(tenant, std::nullopt, events); !r)
          return std::fprintf(stderr, "events: %s\n", r.error().message.c_str()), 1;
        events.clear();
      }
    }
  }
  std::printf("fold: %d events written in %.1f s\n", shipments * 3, seconds_since(start));
  auto* analytics = store->analytics();
  start = std::chrono::steady_clock::now();
  int64_t folded = 0;
  for (;;) {
    auto n = analytics->aggregate_events(500);
    if (!n) return std::fprintf(stderr, "aggregate: %s\n", n.error().message.c_str()), 1;
    folded += *n;
    if (*n == 0) break;
  }
  const double s = seconds_since(start);
  std::printf("fold: the aggregator folded %lld events (%d deliveries) in %.2f s: %.0f events/s\n",
              static_cast<long long>(folded), shipments, s, static_cast<double>(folded) / s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);  // no line per notification the delivered events plan
  if (argc == 5 && std::string(argv[1]) == "--fold") return fold(argv[2], core::TenantId(argv[3]), std::atoi(argv[4]));
  if (argc != 6) {
    std::fprintf(stderr, "usage: analytics_seed DB_PATH TENANT_ID DELIVERIES DAYS END_DAY\n"
                         "       analytics_seed --fold DB_PATH TENANT_ID SHIPMENTS\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto store = storage::open_store(std::string("sqlite:") + argv[1], {});
  auto* analytics = store->analytics();
  const core::TenantId tenant(argv[2]);
  const int64_t deliveries = std::atoll(argv[3]);
  const int days = std::atoi(argv[4]);
  const auto end = core::parse_date(argv[5]);
  if (!analytics || !end || days < 1 || deliveries < 1) {
    std::fprintf(stderr, "analytics_seed: bad arguments\n");
    return 2;
  }
  std::vector<domain::Driver> drivers;
  storage::PageRequest page{500, std::nullopt};
  for (;;) {
    auto p = store->list_drivers(tenant, std::nullopt, page);
    if (!p) return std::fprintf(stderr, "list drivers: %s\n", p.error().message.c_str()), 1;
    for (auto& d : p->items)
      if (d.carrier_id) drivers.push_back(d);
    if (!p->next_before) break;
    page.before_seq = p->next_before;
  }
  if (drivers.empty()) return std::fprintf(stderr, "analytics_seed: the tenant has no driver of a carrier\n"), 1;
  std::mt19937_64 rng(42);
  const int64_t per_cell = deliveries / (static_cast<int64_t>(days) * static_cast<int64_t>(drivers.size()));
  int64_t left = deliveries - per_cell * days * static_cast<int64_t>(drivers.size());
  int64_t written = 0;
  std::vector<storage::AnalyticsRow> driver_rows;
  std::map<std::pair<std::string, std::string>, storage::AnalyticsRow> carrier_rows;
  auto flush = [&]() -> bool {
    if (auto st = analytics->add_analytics_rows(tenant, storage::AnalyticsDim::kDriver, driver_rows); !st)
      return std::fprintf(stderr, "driver rows: %s\n", st.error().message.c_str()), false;
    std::vector<storage::AnalyticsRow> rows;
    for (auto& [key, row] : carrier_rows) rows.push_back(row);
    if (auto st = analytics->add_analytics_rows(tenant, storage::AnalyticsDim::kCarrier, rows); !st)
      return std::fprintf(stderr, "carrier rows: %s\n", st.error().message.c_str()), false;
    driver_rows.clear();
    carrier_rows.clear();
    return true;
  };
  for (int d = days - 1; d >= 0; --d) {
    const std::string day = analytics::utc_day(end->ms - static_cast<int64_t>(d) * 86'400'000);
    for (const auto& driver : drivers) {
      analytics::Rollup r;
      r.deliveries = per_cell + (left > 0 ? 1 : 0);
      if (left > 0) --left;
      written += r.deliveries;
      std::uniform_real_distribution<double> u(0, 1);
      r.returned = r.deliveries / 50;
      r.finished = r.deliveries + r.returned;
      r.first_attempt = static_cast<int64_t>(static_cast<double>(r.deliveries) * (0.85 + 0.1 * u(rng)));
      r.failed_attempts = r.finished - r.first_attempt;
      r.windowed = r.deliveries;
      for (int64_t i = 0; i < r.windowed; ++i) {
        const double x = u(rng);
        const int64_t late_ms = x < 0.8 ? 0 : static_cast<int64_t>((x - 0.8) * 600 * 60'000);
        ++r.lateness[analytics::lateness_bucket(late_ms)];
        if (late_ms <= 0) ++r.on_time;
      }
      r.parcels = r.deliveries + r.deliveries / 3;
      r.stops = r.deliveries - r.deliveries / 10;
      r.routes = 1;
      r.km = 40 + 40 * u(rng);
      r.route_s = 8 * 3600;
      r.tracked_s = r.route_s * (0.7 + 0.3 * u(rng));
      r.surveys = r.deliveries / 5;
      r.csat_good = r.surveys * 4 / 5;
      r.nps_count = r.surveys;
      r.promoters = r.surveys / 2;
      r.detractors = r.surveys / 5;
      r.exceptions[5] = r.deliveries / 40;  // exception
      r.exceptions[6] = r.deliveries / 60;  // missing_scan
      const std::string carrier = driver.carrier_id->str();
      driver_rows.push_back({driver.id.str(), "", carrier, day, r});
      auto& c = carrier_rows[{carrier, day}];
      c.key_id = c.carrier_id = carrier;
      c.day = day;
      analytics::merge(c.rollup, r);
    }
    if ((days - d) % 20 == 0 && !flush()) return 1;
  }
  if (!flush()) return 1;
  if (auto st = store->flush(); !st) return 1;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("seeded %lld deliveries: %zu drivers × %d days of rollups in %.1f s\n", static_cast<long long>(written),
              drivers.size(), days, s);
  return 0;
}
