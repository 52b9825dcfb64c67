// `lastmile simulate`: the runtime (upload threads) and the CLI. Setup: fleet_setup.cpp.
#include "app/simulate_command.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "app/device_uplink.hpp"
#include "app/http_client.hpp"
#include "map/graph.hpp"
#include "sim/device_messages.hpp"

namespace lastmile::app {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr int64_t kParkedPingEveryMs = 60'000;  // simulated: a parked phone reports once a minute
constexpr int64_t kMaxSleepMs = 100;            // wall: how often a waiting thread looks at `stop`

struct Counters {
  std::atomic<uint64_t> sent{0}, acknowledged{0}, rejected{0}, http_errors{0}, deliveries{0};
  std::mutex log_mu;
  uint64_t errors_logged = 0;                          // GUARDED_BY(log_mu)
  std::map<std::string, uint64_t> rejected_by_reason;  // GUARDED_BY(log_mu)
  void error(const std::string& what) {
    http_errors.fetch_add(1);
    std::lock_guard lock(log_mu);
    if (errors_logged++ < 10) std::cerr << "simulate: " << what << std::endl;
  }
};

// One driver as an upload thread sees it.
struct DriverRun {
  const sim::DriverScenario* scenario = nullptr;
  const SimDriver* driver = nullptr;
  size_t index = 0;        // the driver's number in the fleet (0-based)
  std::string fleet_run;   // the run's tag (scan ids and barcodes)
  std::vector<sim::DriveAction> actions;
  size_t next = 0;
  int64_t last_ping_ms = std::numeric_limits<int64_t>::min();  // simulated time of the newest ping sent
};

void send_pings(DeviceUplink& uplink, const DriverRun& run, const std::vector<sim::SimPing>& pings, Counters& c) {
  c.sent.fetch_add(pings.size());
  const int battery = sim::phone_battery_pct(run.scenario->plan.start, pings.back().t);
  const UplinkReply reply = uplink.send(run.driver->device, pings, battery);
  c.acknowledged.fetch_add(reply.acknowledged);
  if (!reply.rejected.empty()) {
    c.rejected.fetch_add(reply.rejected.size());
    std::lock_guard lock(c.log_mu);
    for (const std::string& reason : reply.rejected) ++c.rejected_by_reason[reason];
  }
  if (reply.error) c.error(*reply.error);
}

// A proof of delivery as the driver app sends it (docs/proof-of-delivery.md): a drawn signature (SVG),
// left at the front door, the position and time at capture; multipart/form-data.
std::string proof_form(const std::string& boundary, core::Timestamp at, core::LatLon where) {
  std::string body;
  const auto field = [&](const char* name, const std::string& value) {
    body += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{}\r\n", boundary, name, value);
  };
  field("left_at", "front_door");
  field("lat", fmt::format("{:.7f}", where.lat()));
  field("lon", fmt::format("{:.7f}", where.lon()));
  field("accuracy", "8");
  field("captured_at", core::format_iso8601(at));
  body += fmt::format(
      "--{}\r\nContent-Disposition: form-data; name=\"signature\"; filename=\"signature.svg\"\r\n"
      "Content-Type: image/svg+xml\r\n\r\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\" viewBox=\"0 0 300 100\">"
      "<path d=\"M10 70 C40 10 60 90 90 50 S140 20 170 60 220 80 290 30\" fill=\"none\" stroke=\"#123\" "
      "stroke-width=\"3\"/></svg>\r\n--{}--\r\n",
      boundary, boundary);
  return body;
}

void send_report(HttpClient& http, const DriverRun& run, const sim::DriveAction& a, Counters& c) {
  const bool failed = a.kind == sim::DriveAction::Kind::kAttemptFailed;
  const core::LatLon at = run.scenario->drive.stops[a.stop].point;
  json::object body{{"type", failed ? "attempt_failed" : "delivered"},
                    {"at", core::format_iso8601(a.at)},
                    {"lat", at.lat()},
                    {"lon", at.lon()}};
  if (failed) body["reason"] = "no_one_home";
  const std::string& shipment = run.driver->shipment_ids[a.stop];
  if (!failed) {
    // The parcel is scanned at the door, then the proof of delivery (which marks it delivered) is sent
    // with an idempotency key, as the driver app does.
    auto scan = http.request("POST", "/v1/scans", run.driver->device_token,
                             scan_request(run.fleet_run, run.index, a.stop, "delivered", a.at, at, run.driver->route_id));
    if (!scan) return c.error(scan.error().message);
    if (scan->status != 201 && scan->status != 200)
      return c.error(fmt::format("scan {}: HTTP {} {}", shipment, scan->status, scan->body.substr(0, 300)));
    const std::string key = fmt::format("sim-{}-{}-{}-pod", run.fleet_run, run.index + 1, a.stop + 1);
    const std::string boundary = "lastmile-" + key;
    auto proof = http.request("POST", "/v1/shipments/" + shipment + "/proof", run.driver->device_token,
                              proof_form(boundary, a.at, at),
                              {{"Content-Type", "multipart/form-data; boundary=" + boundary}, {"Idempotency-Key", key}});
    if (!proof) return c.error(proof.error().message);
    if (proof->status != 201 && proof->status != 200)
      return c.error(fmt::format("proof {}: HTTP {} {}", shipment, proof->status, proof->body.substr(0, 300)));
    c.deliveries.fetch_add(1);
    return;
  }
  auto reply = http.request("POST", "/v1/shipments/" + shipment + "/events", run.driver->device_token,
                            json::serialize(body));
  if (!reply) return c.error(reply.error().message);
  if (reply->status != 201)
    return c.error(fmt::format("{} {}: HTTP {} {}", body["type"].as_string().c_str(), shipment, reply->status,
                               reply->body.substr(0, 300)));
  c.deliveries.fetch_add(1);
}

// Where a parked phone is: the depot before the drive, the end of the drive after it.
sim::SimPing parked_ping(const DriverRun& run, core::Timestamp t) {
  const sim::Drive& d = run.scenario->drive;
  const core::LatLon p =
      d.pings.empty() || t < d.pings.front().t ? run.scenario->plan.depot : d.pings.back().true_position;
  return sim::SimPing{t, p, 0, 0, 8, p};
}

// A parked ping is sent only before the drive's first ping or after its last one, and never while
// the phone is offline.
bool may_park(const DriverRun& run, core::Timestamp t) {
  const auto& off = run.scenario->disturbances.offline;
  if (off && t >= off->first && t < off->second) return false;
  const sim::Drive& d = run.scenario->drive;
  return d.pings.empty() || t < d.pings.front().t || t > d.pings.back().t;
}

// What an upload thread sends next: a driver's next action, or a parked ping a minute after its
// last ping (while waiting for its start, or done before the others).
struct NextItem {
  DriverRun* run = nullptr;  // null: nothing to send
  core::Timestamp due{std::numeric_limits<int64_t>::max()};
  bool parked = false;
};

NextItem next_item(std::vector<DriverRun>& runs, core::Timestamp now) {
  NextItem best;
  for (DriverRun& r : runs) {
    const bool has_action = r.next < r.actions.size();
    const core::Timestamp due_action = has_action ? r.actions[r.next].send_at : core::Timestamp{INT64_MAX};
    const bool never_pinged = r.last_ping_ms == std::numeric_limits<int64_t>::min();
    const core::Timestamp due_parked{never_pinged ? now.ms : r.last_ping_ms + kParkedPingEveryMs};
    // Never a parked ping newer than a ping still to be sent (it would make those late).
    core::Timestamp limit = due_action;
    if (has_action && r.actions[r.next].kind == sim::DriveAction::Kind::kPings) {
      for (const sim::SimPing& p : r.actions[r.next].pings) limit = std::min(limit, p.t);
    }
    const core::Timestamp park_at = std::max(now, due_parked);
    const bool can_park = may_park(r, park_at) && park_at < limit;
    if (has_action && due_action < best.due) best = NextItem{&r, due_action, false};
    if (can_park && due_parked < best.due) best = NextItem{&r, due_parked, true};
  }
  return best;
}

// One upload thread: its drivers' items in time order, each sent when the simulated clock reaches it.
void upload_loop(const PreparedFleet& fleet, const SimulateOptions& o, size_t thread, std::vector<DriverRun> runs,
                 const std::atomic<bool>& stop, std::atomic<size_t>& driving, Counters& c) {
  DeviceUplink uplink(fleet.targets, fmt::format("lastmile-sim-{}-{}", fleet.run, thread));
  const core::ScaledClock& clock = *fleet.clock;
  size_t mine_driving = runs.size();
  while (!stop.load()) {
    if (mine_driving == 0 && driving.load() == 0 && !o.keep_alive) return;
    const core::Timestamp now = clock.now();
    const NextItem item = next_item(runs, now);
    const int64_t wait = item.run == nullptr ? kMaxSleepMs : clock.base_ms_until(item.due);
    if (wait > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait, kMaxSleepMs)));
      continue;
    }
    DriverRun& r = *item.run;
    if (item.parked) {
      const core::Timestamp t = std::max(item.due, now);
      send_pings(uplink, r, {parked_ping(r, t)}, c);
      r.last_ping_ms = t.ms;
      continue;
    }
    const sim::DriveAction& a = r.actions[r.next++];
    if (a.kind == sim::DriveAction::Kind::kPings) {
      send_pings(uplink, r, a.pings, c);
      for (const sim::SimPing& p : a.pings) r.last_ping_ms = std::max(r.last_ping_ms, p.t.ms);
    } else {
      send_report(uplink.api(), r, a, c);
    }
    if (r.next == r.actions.size()) {
      --mine_driving;
      driving.fetch_sub(1);
    }
  }
}

}  // namespace

SimulationSummary run_fleet(const PreparedFleet& fleet, const SimulateOptions& o,
                            const std::atomic<bool>& stop) {
  const auto t0 = Clock::now();
  Counters c;
  const size_t threads = std::max<size_t>(
      1, std::min<size_t>(fleet.drivers.size(), static_cast<size_t>(std::max(1, o.threads))));
  std::vector<std::vector<DriverRun>> per_thread(threads);
  for (size_t d = 0; d < fleet.drivers.size(); ++d) {
    DriverRun r;
    r.scenario = &fleet.plan.drivers[d];
    r.driver = &fleet.drivers[d];
    r.index = d;
    r.fleet_run = fleet.run;
    r.actions = sim::drive_actions(
        *r.scenario, sim::UploadStyle{10.0, sim::sends_one_fix_per_request(r.driver->device.protocol)});
    per_thread[d % threads].push_back(std::move(r));
  }
  std::atomic<size_t> driving{fleet.drivers.size()};
  std::atomic<bool> halt{false};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back(upload_loop, std::cref(fleet), std::cref(o), t, std::move(per_thread[t]), std::cref(halt),
                         std::ref(driving), std::ref(c));
  }
  // The stop conditions: the caller's flag, the duration, or (without keep_alive) every drive done.
  while (true) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    if (stop.load() || (o.duration_s > 0 && elapsed >= o.duration_s)) break;
    if (!o.keep_alive && driving.load() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  halt.store(true);
  for (std::thread& w : workers) w.join();
  SimulationSummary summary{c.sent.load(),
                            c.acknowledged.load(),
                            c.rejected.load(),
                            c.http_errors.load(),
                            c.deliveries.load(),
                            std::chrono::duration<double>(Clock::now() - t0).count(),
                            {}};
  for (const auto& [reason, n] : c.rejected_by_reason) {
    summary.rejected_reasons +=
        fmt::format("{}{} {}", summary.rejected_reasons.empty() ? "" : ", ", reason, n);
  }
  return summary;
}

int simulate_command(const SimulateOptions& o) {
  if (o.map_file.empty()) {
    std::cerr << "simulate: --map is required (the server's road network), except with --rate\n";
    return 2;
  }
  if (o.drivers > 1000) {
    std::cerr << "simulate: at most 1000 drivers drive routes; more only with --rate (load generator)\n";
    return 2;
  }
  auto graph = map::Graph::open(o.map_file);
  if (!graph) {
    std::cerr << "simulate: cannot load map " << o.map_file << ": " << graph.error().message << "\n";
    return 2;
  }
  const map::Router router(std::move(*graph));
  const auto t0 = Clock::now();
  auto fleet = prepare_fleet(o, router);
  if (!fleet) {
    std::cerr << "simulate: " << fleet.error().message << "\n";
    return fleet.error().code == core::ErrorCode::kInvalidField ? 2 : 1;
  }
  const double setup_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!o.quiet) {
    std::cout << fmt::format(
        "simulate: {} drivers x {} stops created in {:.1f} s; drives start at {} (speedup {})\n",
        fleet->drivers.size(), o.stops, setup_s, core::format_iso8601(fleet->plan.drivers.front().plan.start),
        o.speedup);
    for (size_t d = 0; d < fleet->drivers.size(); ++d) {
      const sim::DriverScenario& s = fleet->plan.drivers[d];
      std::string offline;
      if (s.disturbances.offline) {
        offline = fmt::format(", offline {} to {}", core::format_iso8601(s.disturbances.offline->first),
                              core::format_iso8601(s.disturbances.offline->second));
      }
      std::cout << fmt::format("  driver {} {} ({}, {}): route {}, {} pings, back at {}{}\n", d + 1,
                               fleet->drivers[d].id, sim::driver_role_name(s.role),
                               sim::device_protocol_name(fleet->drivers[d].device.protocol),
                               fleet->drivers[d].route_id, s.drive.pings.size(),
                               core::format_iso8601(s.drive.end), offline);
    }
    std::cout.flush();
  }
  // Ctrl-C / SIGTERM end the run early (the summary is still printed).
  static std::atomic<bool> stop{false};
  std::signal(SIGINT, [](int) { stop.store(true); });
  std::signal(SIGTERM, [](int) { stop.store(true); });
  const SimulationSummary s = run_fleet(*fleet, o, stop);
  std::cout
      << fmt::format(
             "simulate: pings sent {} / acknowledged {} / rejected {}; HTTP errors {}; deliveries posted {}; "
             "{:.1f} s wall, {:.0f} pings/s{}\n",
             s.pings_sent, s.acknowledged, s.rejected, s.http_errors, s.deliveries, s.wall_s,
             s.wall_s > 0 ? s.pings_sent / s.wall_s : 0.0,
             s.rejected_reasons.empty() ? "" : " (rejected: " + s.rejected_reasons + ")")
      << std::flush;
  return s.http_errors == 0 && s.acknowledged == s.pings_sent ? 0 : 1;
}

}  // namespace lastmile::app
