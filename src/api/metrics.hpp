#pragma once
// Prometheus metrics of one process: HTTP requests by route/method/status with latency histograms,
// database operation latencies, events published, open connections. Thread-safe.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace lastmile::api {

class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void observe(double seconds);
  // Appends "<name>_bucket{labels,le=…}", "_sum" and "_count" lines.
  void render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<uint64_t, kBounds.size() + 1> counts_{};  // last = +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Metrics {
 public:
  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  void observe_db(std::string_view op, double seconds);
  void add_events(uint64_t n) { events_.fetch_add(n, std::memory_order_relaxed); }
  void connection_opened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
  // Named series for the other stages (ingest, push, …). `name` is a full Prometheus name with
  // optional labels, e.g. `lastmile_pings_total{source="osmand",result="accepted"}`; `help` is
  // written once per metric family (the part of `name` before '{'). Counters only grow.
  void count(std::string_view name, std::string_view help, uint64_t n = 1);
  void gauge_add(std::string_view name, std::string_view help, int64_t delta);
  // A source rendered at scrape time (appends complete families, HELP/TYPE included), for stages
  // that keep their own counters. Register before serving; must be thread-safe and quick.
  void add_collector(std::function<void(std::string& out)> collector);
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> request_latency_;                        // GUARDED_BY(mu_)
  std::map<std::string, Histogram> db_latency_;                             // GUARDED_BY(mu_)
  struct Series {
    bool counter = true;
    std::string help;
    int64_t value = 0;
  };
  std::map<std::string, Series, std::less<>> series_;                       // GUARDED_BY(mu_)
  std::vector<std::function<void(std::string&)>> collectors_;              // GUARDED_BY(mu_)
  std::atomic<uint64_t> events_{0};
  std::atomic<int64_t> connections_{0};
  std::atomic<uint64_t> refused_{0};
};

}  // namespace lastmile::api
