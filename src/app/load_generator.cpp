#include "app/load_generator.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "app/http_client.hpp"
#include "sim/load_pattern.hpp"

namespace lastmile::app {
namespace {

namespace json = boost::json;
using Steady = std::chrono::steady_clock;

const core::LatLon kArea = *core::LatLon::from_unsafe({43.7384, 7.4246});  // Monaco
constexpr double kSpreadM = 1500;

struct Device {
  std::string token;
  sim::CircleDevice motion;
  int64_t last_t = 0;  // ms of the newest fix sent
};

struct Totals {
  std::atomic<uint64_t> sent{0}, acknowledged{0}, rejected{0}, errors{0};
  std::mutex mu;
  std::vector<double> latency_ms;  // GUARDED_BY(mu)
};

std::string batch_json(Device& d, core::Timestamp now, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = std::max(d.last_t + 1, now.ms - static_cast<int64_t>((n - 1 - i) * 1000));
    d.last_t = t;
    const core::LatLon p = sim::device_position(d.motion, core::Timestamp{t});
    if (i) out += ',';
    out += fmt::format(R"({{"t":{},"lat":{:.7f},"lon":{:.7f},"speed":{:.1f},"heading":{:.0f},"accuracy":6}})",
                       t, p.lat(), p.lon(), d.motion.speed_mps,
                       sim::device_heading_deg(d.motion, core::Timestamp{t}));
  }
  return out + "]";
}

void count_reply(const core::Result<HttpReply>& reply, Totals& totals) {
  if (!reply || reply->status != 200) {
    if (totals.errors.fetch_add(1) < 5)
      std::cerr << "load: "
                << (reply ? fmt::format("HTTP {} {}", reply->status, reply->body.substr(0, 200))
                          : reply.error().message)
                << "\n";
    return;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(reply->body, ec);
  if (ec || !v.is_object()) return void(totals.errors.fetch_add(1));
  const json::object& o = v.as_object();
  for (const char* k : {"accepted", "late", "duplicates"}) {
    if (const json::value* x = o.if_contains(k); x != nullptr && x->is_int64())
      totals.acknowledged.fetch_add(static_cast<uint64_t>(x->as_int64()));
  }
  if (const json::value* r = o.if_contains("rejected"); r != nullptr && r->is_array())
    totals.rejected.fetch_add(r->as_array().size());
}

// One connection's share: its devices round robin, one batch every `interval`.
void load_loop(const SimulateOptions& o, const LoadOptions& l, std::vector<Device>& devices,
               const core::ScaledClock& clock, Steady::time_point end, Totals& totals) {
  if (devices.empty()) return;
  HttpClient http(*parse_http_url(o.server), std::chrono::seconds(30));
  const double per_thread = l.rate / static_cast<double>(std::max(1, o.threads));
  const auto interval = std::chrono::duration<double>(static_cast<double>(l.batch) / per_thread);
  auto next = Steady::now();
  std::vector<double> latencies;
  for (size_t k = 0; Steady::now() < end; ++k) {
    if (Steady::now() < next) std::this_thread::sleep_until(next);
    next += std::chrono::duration_cast<Steady::duration>(interval);
    Device& d = devices[k % devices.size()];
    const std::string body = batch_json(d, clock.now(), l.batch);
    const auto t0 = Steady::now();
    auto reply = http.request("POST", "/v1/pings", d.token, body);
    latencies.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    totals.sent.fetch_add(l.batch);
    count_reply(reply, totals);
  }
  std::lock_guard lock(totals.mu);
  totals.latency_ms.insert(totals.latency_ms.end(), latencies.begin(), latencies.end());
}

double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

int load_command(const SimulateOptions& o, const LoadOptions& l) {
  const auto endpoint = parse_http_url(o.server);
  if (!endpoint || !(l.rate > 0) || l.batch < 1 || l.batch > 1000 || !(o.speedup >= 1)) {
    std::cerr << "load: bad options (--server http://HOST:PORT, --rate > 0, --batch 1..1000)\n";
    return 2;
  }
  const size_t threads = static_cast<size_t>(std::max(1, o.threads));
  // Drivers, created in parallel; the first answer's created_at starts the clock.
  std::vector<std::vector<Device>> per_thread(threads);
  std::atomic<uint64_t> create_errors{0};
  std::mutex clock_mu;
  std::unique_ptr<core::ScaledClock> clock;  // GUARDED_BY(clock_mu) while creating
  static const core::SystemClock wall;
  const auto t0 = Steady::now();
  {
    std::vector<std::thread> creators;
    for (size_t t = 0; t < threads; ++t) {
      creators.emplace_back([&, t] {
        HttpClient http(*endpoint, std::chrono::seconds(30));
        for (size_t i = t; i < o.drivers; i += threads) {
          json::object body{{"name", fmt::format("Load device {}", i + 1)}};
          auto r = http.request("POST", "/v1/drivers", o.api_key, json::serialize(body));
          boost::system::error_code ec;
          const json::value v = r && r->status == 201 ? json::parse(r->body, ec) : json::value();
          if (!v.is_object() || !v.as_object().contains("device_token")) {
            if (create_errors.fetch_add(1) == 0)
              std::cerr << "load: create driver: "
                        << (r ? fmt::format("HTTP {} {}", r->status, r->body) : r.error().message) << "\n";
            continue;
          }
          const json::object& obj = v.as_object();
          {
            std::lock_guard lock(clock_mu);
            if (!clock) {
              if (auto at = core::parse_iso8601(obj.at("created_at").as_string().c_str()))
                clock = std::make_unique<core::ScaledClock>(wall, o.speedup, *at);
            }
          }
          per_thread[t].push_back(Device{obj.at("device_token").as_string().c_str(),
                                         sim::load_device(kArea, kSpreadM, o.seed, i), 0});
        }
      });
    }
    for (std::thread& c : creators) c.join();
  }
  if (create_errors.load() > 0 || !clock) {
    std::cerr << "load: " << create_errors.load() << " drivers could not be created\n";
    return 1;
  }
  const double setup_s = std::chrono::duration<double>(Steady::now() - t0).count();
  std::cout << fmt::format(
                   "load: {} drivers created in {:.1f} s; sending {} fixes/s in batches of {} for {} s on {} "
                   "connections\n",
                   o.drivers, setup_s, l.rate, l.batch, l.duration_s, threads)
            << std::flush;
  Totals totals;
  const auto start = Steady::now();
  const auto end =
      start + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(l.duration_s));
  std::vector<std::thread> senders;
  for (size_t t = 0; t < threads; ++t)
    senders.emplace_back(load_loop, std::cref(o), std::cref(l), std::ref(per_thread[t]), std::cref(*clock),
                         end, std::ref(totals));
  for (std::thread& s : senders) s.join();
  const double wall_s = std::chrono::duration<double>(Steady::now() - start).count();
  std::vector<double>& lat = totals.latency_ms;
  const double p50 = percentile(lat, 0.5), p99 = percentile(lat, 0.99);
  std::cout << fmt::format(
                   "load: fixes sent {} in {:.1f} s = {:.0f} fixes/s (target {}); acknowledged {} / "
                   "rejected {}; HTTP errors {}; request latency p50 {:.1f} ms, p99 {:.1f} ms\n",
                   totals.sent.load(), wall_s, static_cast<double>(totals.sent.load()) / wall_s, l.rate,
                   totals.acknowledged.load(), totals.rejected.load(), totals.errors.load(), p50, p99)
            << std::flush;
  return totals.errors.load() == 0 && totals.rejected.load() == 0 ? 0 : 1;
}

}  // namespace lastmile::app
