// Seeds the analytics rollups of a benchmark tenant (bench/analytics.sh, "Analytics" in bench/README.md):
// DELIVERIES deliveries spread over DAYS days ending END_DAY and over the tenant's drivers (each of a
// carrier), written as the daily driver and carrier rows the aggregator would keep for them
// (AnalyticsStore::add_analytics_rows, one transaction per 20 days of rows). The dashboard queries read
// only these rows, so their time is that of a tenant with that many deliveries.
//
//   analytics_seed DB_PATH TENANT_ID DELIVERIES DAYS END_DAY(YYYY-MM-DD)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "analytics/delivery_fact.hpp"
#include "storage/analytics_store.hpp"
#include "storage/store.hpp"

using namespace lastmile;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: analytics_seed DB_PATH TENANT_ID DELIVERIES DAYS END_DAY\n");
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
