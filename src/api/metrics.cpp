#include "api/metrics.hpp"

#include <fmt/format.h>

namespace lastmile::api {

void Histogram::observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  ++counts_[i];
  sum_ += seconds;
  ++count_;
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += counts_[i];
    out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, labels, kBounds[i], cumulative);
  }
  cumulative += counts_[kBounds.size()];
  out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, labels, cumulative);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels, sum_);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, count_);
}

void Metrics::observe_request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  request_latency_[std::string(route)].observe(seconds);
}

void Metrics::observe_db(std::string_view op, double seconds) {
  std::lock_guard lock(mu_);
  db_latency_[std::string(op)].observe(seconds);
}

void Metrics::count(std::string_view name, std::string_view help, uint64_t n) {
  std::lock_guard lock(mu_);
  auto it = series_.find(name);
  if (it == series_.end()) it = series_.emplace(std::string(name), Series{true, std::string(help), 0}).first;
  it->second.value += static_cast<int64_t>(n);
}

void Metrics::gauge_add(std::string_view name, std::string_view help, int64_t delta) {
  std::lock_guard lock(mu_);
  auto it = series_.find(name);
  if (it == series_.end()) it = series_.emplace(std::string(name), Series{false, std::string(help), 0}).first;
  it->second.value += delta;
}

void Metrics::add_collector(std::function<void(std::string& out)> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP lastmile_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE lastmile_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("lastmile_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", route,
                       method, status, n);
  }
  out += "# HELP lastmile_http_request_duration_seconds HTTP request latency by route pattern.\n";
  out += "# TYPE lastmile_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : request_latency_)
    h.render(out, "lastmile_http_request_duration_seconds", fmt::format("route=\"{}\"", route));
  out += "# HELP lastmile_db_operation_duration_seconds Storage operation latency by operation.\n";
  out += "# TYPE lastmile_db_operation_duration_seconds histogram\n";
  for (const auto& [op, h] : db_latency_)
    h.render(out, "lastmile_db_operation_duration_seconds", fmt::format("op=\"{}\"", op));
  out += "# HELP lastmile_events_published_total Events committed and handed to the event bus.\n";
  out += "# TYPE lastmile_events_published_total counter\n";
  out += fmt::format("lastmile_events_published_total {}\n", events_.load());
  out += "# HELP lastmile_http_connections_active Open HTTP connections.\n";
  out += "# TYPE lastmile_http_connections_active gauge\n";
  out += fmt::format("lastmile_http_connections_active {}\n", connections_.load());
  out += "# HELP lastmile_http_connections_refused_total Connections closed at once: a connection limit was reached.\n";
  out += "# TYPE lastmile_http_connections_refused_total counter\n";
  out += fmt::format("lastmile_http_connections_refused_total {}\n", refused_.load());
  std::string_view family;  // series_ is sorted, so a family's series are adjacent
  for (const auto& [name, s] : series_) {
    std::string_view f = std::string_view(name).substr(0, name.find('{'));
    if (f != family) {
      family = f;
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f, s.help, f, s.counter ? "counter" : "gauge");
    }
    out += fmt::format("{} {}\n", name, s.value);
  }
  for (const auto& collect : collectors_) collect(out);
  return out;
}

}  // namespace lastmile::api
