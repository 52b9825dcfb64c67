#include "app/demo_command.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "app/demo_app_driver.hpp"
#include "app/http_client.hpp"
#include "app/simulate_command.hpp"
#include "core/crypto.hpp"
#include "map/graph.hpp"
#include "map/import_map.hpp"
#include "sim/device_messages.hpp"

namespace lastmile::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Steady = std::chrono::steady_clock;

// The bundled extract: --pbf, else data/osm/monaco.osm.pbf beside or above the binary, or in the
// working directory. Empty when none exists.
std::string find_pbf(const std::string& given) {
  if (!given.empty()) return given;
  const fs::path rel = fs::path("data") / "osm" / "monaco.osm.pbf";
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates{rel};
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
      candidates.push_back(dir / rel);
  }
  for (const fs::path& p : candidates) {
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

// `lastmile serve …` as a child in its own process group, output to `log`. -1 on failure.
pid_t spawn_server(const std::vector<std::string>& args, const std::string& log) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

bool wait_healthy(HttpClient& http, pid_t server, double timeout_s) {
  const auto deadline = Steady::now() + std::chrono::duration<double>(timeout_s);
  while (Steady::now() < deadline) {
    int status = 0;
    if (::waitpid(server, &status, WNOHANG) == server) return false;
    auto r = http.request("GET", "/healthz", "");
    if (r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// POST `body` with `token`; the field `field` of a 201 answer, or empty (the answer on stderr).
std::string create(HttpClient& http, const std::string& target, const std::string& token,
                   const json::object& body, const char* field) {
  auto r = http.request("POST", target, token, json::serialize(body));
  if (!r || r->status != 201) {
    std::cerr << "demo: POST " << target
              << " failed: " << (r ? std::to_string(r->status) + " " + r->body : r.error().message) << "\n";
    return "";
  }
  boost::system::error_code ec;
  const json::value v = json::parse(r->body, ec);
  const json::value* f = !ec && v.is_object() ? v.as_object().if_contains(field) : nullptr;
  return f != nullptr && f->is_string() ? std::string(f->as_string().c_str()) : "";
}

// Stops the server: SIGTERM, then waits (SIGKILL after 20 s). Returns its exit status.
int stop_server(pid_t server) {
  ::kill(server, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(server, &status, WNOHANG) == server) return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(server, SIGKILL);
  ::waitpid(server, nullptr, 0);
  return 1;
}

// The phones that are trackers rather than the driver app (docs/simulator.md, "Protocols").
std::string tracker_lines(const PreparedFleet& fleet) {
  std::string out;
  for (size_t d = 0; d < fleet.drivers.size(); ++d) {
    const SimDevice& dev = fleet.drivers[d].device;
    if (dev.protocol == sim::DeviceProtocol::kJson) continue;
    if (out.empty()) out = "Trackers (the same pipeline, other protocols):\n";
    const std::string where =
        dev.protocol == sim::DeviceProtocol::kOsmand
            ? fmt::format("http://{}:{}", fleet.targets.osmand->host, fleet.targets.osmand->port)
            : fmt::format("topic {}", sim::owntracks_topic(dev.device_id));
    out += fmt::format("  driver {} ({}): {} device id {} -> {}\n", d + 1, fleet.drivers[d].name,
                       sim::device_protocol_name(dev.protocol), dev.device_id, where);
  }
  return out.empty() ? out : out + "\n";
}

// The demo's phones: the driver app (the last driver's is the one print_urls shows), but the driver
// before the last has a Traccar Client (OsmAnd) and, with a broker, the one before that OwnTracks over
// MQTT.
std::vector<sim::DeviceProtocol> demo_protocols(const DemoOptions& o) {
  const size_t n = o.drivers;
  std::vector<sim::DeviceProtocol> p(n, sim::DeviceProtocol::kJson);
  p[n >= 2 ? n - 2 : 0] = sim::DeviceProtocol::kOsmand;
  if (!o.mqtt.empty() && n >= 3) p[n - 3] = sim::DeviceProtocol::kOwntracksMqtt;
  return p;
}

// HOST:PORT → the address a client on this machine connects to (0.0.0.0 / [::] → loopback).
std::string local_address(const std::string& listen) {
  const size_t colon = std::min(listen.rfind(':'), listen.size());
  const std::string host = listen.substr(0, colon);
  const bool any = host == "0.0.0.0" || host == "[::]" || host.empty();
  return (any ? std::string("127.0.0.1") : host) + listen.substr(colon);
}

void print_urls(const std::string& base, const std::string& admin_key, const std::string& dispatcher_key,
                const PreparedFleet& fleet, const AppDriver& you, const DemoOptions& o, double ready_s) {
  const size_t shipments = fleet.drivers.size() * o.stops;
  std::cout << fmt::format("\nlastmile demo is running: {} (clock {}x; ready in {:.1f} s)\n", base, o.speedup,
                           ready_s)
            << fmt::format(
                   "  fleet: {} drivers of 2 carriers, {} shipments in Monaco; drives start at {}\n\n",
                   fleet.drivers.size(), shipments, core::format_iso8601(fleet.plan.drivers[0].plan.start))
            << "Dispatcher (role dispatcher):\n"
            << fmt::format("  API key:   {}\n", dispatcher_key)
            << fmt::format("  shipments: curl -H 'Authorization: Bearer {}' {}/v1/shipments\n",
                           dispatcher_key, base)
            << fmt::format("  live:      curl -N '{}/v1/live/sse?access_token={}'\n", base, dispatcher_key)
            << fmt::format("             (WebSocket: ws{}/v1/live?access_token=…)\n", base.substr(4))
            << fmt::format("  tenant admin key: {}\n", admin_key)
            << fmt::format("  dashboard: {}/dispatch   (sign in with the dispatcher API key above)\n\n", base)
            << "Customer tracking pages (public, no credentials; the JSON view is /v1/track/{token}):\n";
  // Three shipments the customer sees moving soon: early stops of different drivers.
  const size_t n = fleet.drivers.size();
  const size_t picks[3][2] = {{0, 1}, {std::min<size_t>(1, n - 1), 0}, {std::min<size_t>(3, n - 1), 2}};
  for (const auto& p : picks) {
    const size_t stop = std::min(p[1], o.stops - 1);
    std::cout << fmt::format("  {}/t/{}   (driver {}, stop {})\n", base,
                             fleet.drivers[p[0]].tracking_tokens[stop], p[0] + 1, stop + 1);
  }
  const SimDriver& d = fleet.drivers.back();
  std::cout << fmt::format("\nDriver app for you ({}, {} stops near the depot, not started; open on a phone or "
                           "a browser, the link signs in once):\n  {}\n",
                           you.name, std::min<size_t>(3, o.stops), you.sign_in_url)
            << "\nWhat the simulated phones send:\n"
            << fmt::format("  POST {}/v1/pings  Authorization: Bearer {}   ({}, route {})\n", base,
                           d.device_token, d.name, d.route_id)
            << "  body: [{\"t\":\"<ISO 8601>\",\"lat\":43.73,\"lon\":7.42,\"speed\":8,\"accuracy\":5}]\n\n"
            << tracker_lines(fleet)
            << "Ctrl-C stops the fleet and the server.\n"
            << std::flush;
}

}  // namespace

int demo_command(const DemoOptions& o) {
  const auto t0 = Steady::now();
  // Ctrl-C and SIGTERM are taken by sigtimedwait below; every thread started later inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::error_code ec;
  fs::create_directories(o.data_dir, ec);
  const fs::path dir = fs::absolute(o.data_dir, ec);
  const std::string map_file = (dir / "monaco.lmgraph").string();
  if (!fs::exists(map_file)) {
    const std::string pbf = find_pbf(o.pbf);
    if (pbf.empty()) {
      std::cerr << "demo: data/osm/monaco.osm.pbf not found near the binary or here; give --pbf PATH\n";
      return 1;
    }
    std::cout << "demo: importing " << pbf << " into " << map_file << " (once)\n" << std::flush;
    if (map::import_map_command(pbf, map_file) != 0) return 1;
  }
  const fs::path db = dir / "demo.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix, ec);

  const std::string root = "lm_root_" + core::random_token(24);
  ::setenv("LASTMILE_ADMIN_TOKEN", root.c_str(), 1);
  const std::string osmand = o.osmand.empty() ? o.http.substr(0, o.http.rfind(':')) + ":5055" : o.osmand;
  std::vector<std::string> args{"lastmile",
                                      "serve",
                                      "--db",
                                      "sqlite:" + db.string(),
                                      "--http",
                                      o.http,
                                      "--map",
                                      map_file,
                                      "--clock-speedup",
                                      fmt::format("{}", o.speedup),
                                      "--osmand",
                                      osmand,
                                      "--track-cache-ttl-ms",
                                      "500"};
  const std::string mqtt = o.mqtt.empty() || o.mqtt.starts_with("mqtt://") ? o.mqtt : "mqtt://" + o.mqtt;
  if (!mqtt.empty()) args.insert(args.end(), {"--mqtt", mqtt + (mqtt.find('?') == std::string::npos ? "?client_id=lastmile-demo" : "")});
  const std::string log = (dir / "server.log").string();
  const pid_t server = spawn_server(args, log);
  if (server < 0) {
    std::cerr << "demo: cannot start the server\n";
    return 1;
  }
  const std::string base = "http://" + o.http;
  HttpClient http(*parse_http_url(base), std::chrono::seconds(10));
  if (!wait_healthy(http, server, 30)) {
    std::cerr << "demo: the server did not start (is " << o.http << " or the OsmAnd port " << osmand
              << " taken? --osmand HOST:PORT moves it); its log: " << log << "\n";
    stop_server(server);
    return 1;
  }

  const std::string admin = create(
      http, "/v1/tenants", root,
      json::object{{"name", "Riviera Boutique"}, {"brand_color", "#0a7d5a"}, {"show_driver_within_stops", 3}},
      "api_key");
  const std::string dispatcher =
      admin.empty() ? ""
                    : create(http, "/v1/api-keys", admin,
                             json::object{{"role", "dispatcher"}, {"name", "demo desk"}}, "api_key");
  std::vector<std::string> carriers;
  for (const char* name : {"Riviera Couriers", "Monaco Express"}) {
    if (!admin.empty())
      carriers.push_back(create(http, "/v1/carriers", admin, json::object{{"name", name}}, "id"));
  }
  if (dispatcher.empty() || carriers.size() != 2 || carriers[0].empty() || carriers[1].empty()) {
    stop_server(server);
    return 1;
  }
  SimulateOptions so;
  so.server = base;
  so.api_key = admin;
  so.map_file = map_file;
  so.drivers = o.drivers;
  so.stops = o.stops;
  so.seed = o.seed;
  so.speedup = o.speedup;
  so.carrier_ids = carriers;
  so.keep_alive = true;
  so.quiet = true;
  so.mqtt = mqtt;
  so.protocols = demo_protocols(o);
  if (osmand == "off") {  // no listener: that phone is the driver app too
    std::replace(so.protocols.begin(), so.protocols.end(), sim::DeviceProtocol::kOsmand, sim::DeviceProtocol::kJson);
  } else {
    so.osmand = "http://" + local_address(osmand);
  }
  auto graph = map::Graph::open(map_file);
  if (!graph) {
    std::cerr << "demo: cannot load " << map_file << ": " << graph.error().message << "\n";
    stop_server(server);
    return 1;
  }
  const map::Router router(std::move(*graph));
  auto fleet = prepare_fleet(so, router);
  if (!fleet) {
    std::cerr << "demo: " << fleet.error().message << "\n";
    stop_server(server);
    return 1;
  }
  auto you = create_app_driver(http, admin, base, *fleet, 3);
  if (!you) {
    std::cerr << "demo: the driver app's driver: " << you.error().message << "\n";
    stop_server(server);
    return 1;
  }
  print_urls(base, admin, dispatcher, *fleet, *you, o, std::chrono::duration<double>(Steady::now() - t0).count());

  std::atomic<bool> stop{false};
  SimulationSummary summary;
  std::thread driving([&] { summary = run_fleet(*fleet, so, stop); });
  int code = 0;
  while (true) {
    const timespec tick{0, 200'000'000};
    const int sig = ::sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) break;
    if (o.duration_s > 0 && std::chrono::duration<double>(Steady::now() - t0).count() >= o.duration_s) break;
    int status = 0;
    if (::waitpid(server, &status, WNOHANG) == server) {
      std::cerr << "demo: the server stopped unexpectedly; its log: " << log << "\n";
      code = 1;
      break;
    }
  }
  std::cout << "\ndemo: stopping the fleet and the server…\n" << std::flush;
  stop.store(true);
  driving.join();
  const int server_code = code == 0 ? stop_server(server) : 1;
  std::cout << fmt::format(
                   "demo: pings sent {} / acknowledged {} / rejected {}; HTTP errors {}; deliveries {}\n",
                   summary.pings_sent, summary.acknowledged, summary.rejected, summary.http_errors,
                   summary.deliveries)
            << (server_code == 0 ? "demo: stopped cleanly\n"
                                 : "demo: the server did not stop cleanly; see its log\n")
            << std::flush;
  return code == 0 && server_code == 0 ? 0 : 1;
}

}  // namespace lastmile::app
