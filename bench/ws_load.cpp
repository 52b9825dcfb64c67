// ws_load: the load client of the live-push benchmarks (bench/live.sh, bench/README.md).
//
//   ws_load shipments --port P --key KEY --count N --out FILE
//       creates N shipments with POST /v1/shipments over --concurrency keep-alive connections and writes
//       their tracking tokens, one a line, to FILE.
//   ws_load latency --port P --dispatcher KEY --driver-token T --driver-id ID --bg-tokens FILE
//       one dispatcher WebSocket (GET /v1/live?access_token=KEY, tenant-wide); --samples times, one after
//       the other: POST /v1/pings with one fix of driver ID, wait for the 200 (t0), wait for the `position`
//       message of that driver with that fix's `t` on the WebSocket (t1). Meanwhile a paced background
//       load posts batches of 100 accepted fixes of the drivers in FILE at --bg-rate points/s.
//   ws_load fanout --port P --count N (--tokens FILE | --access-token KEY) --server-pid PID
//       opens N WebSockets (customer subscriptions ?token=<line i of FILE>, or tenant-wide dispatcher
//       subscriptions ?access_token=KEY), each bound to one of --sources before connecting; waits for every
//       `ready`; leaves them idle --idle-seconds; reads the server's VmRSS before and after. With
//       --broadcast-token/--broadcast-driver-id: posts one fix and times its `position` message to all.
//
// Every mode prints `key=value` lines on stdout (bench/live.sh reads them) and exits; every loop is bounded
// by a count and by --max-seconds. Connections go to 127.0.0.1 only. One io_context per role, a few threads,
// one coroutine (on its own strand) per connection: no thread per connection.

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

// GCC 12 reports a false -Wmismatched-new-delete on Asio's coroutine frames (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using SteadyClock = std::chrono::steady_clock;

namespace {

// ---- small helpers --------------------------------------------------------------------------------------

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The server's format (core::format_iso8601): 2026-11-22T09:30:00.123Z.
std::string iso8601(int64_t ms) {
  const time_t sec = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&sec, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
      std::string k = argv[i];
      if (k.rfind("--", 0) != 0 || i + 1 >= argc) throw std::runtime_error("bad argument: " + k);
      values_[k.substr(2)] = argv[++i];
    }
  }
  std::string str(const std::string& k, std::optional<std::string> def = std::nullopt) const {
    auto it = values_.find(k);
    if (it != values_.end()) return it->second;
    if (def) return *def;
    throw std::runtime_error("missing --" + k);
  }
  int64_t num(const std::string& k, std::optional<int64_t> def = std::nullopt) const {
    auto it = values_.find(k);
    if (it == values_.end()) {
      if (def) return *def;
      throw std::runtime_error("missing --" + k);
    }
    return std::stoll(it->second);
  }
  bool has(const std::string& k) const { return values_.count(k) != 0; }

 private:
  std::map<std::string, std::string> values_;
};

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// The number after "key": in a flat JSON reply, or -1.
int64_t json_int(const std::string& body, const std::string& key) {
  const std::string k = "\"" + key + "\":";
  auto p = body.find(k);
  if (p == std::string::npos) return -1;
  return std::strtoll(body.c_str() + p + k.size(), nullptr, 10);
}

std::string json_str(const std::string& body, const std::string& key) {
  const std::string k = "\"" + key + "\":\"";
  auto p = body.find(k);
  if (p == std::string::npos) return "";
  auto e = body.find('"', p + k.size());
  return e == std::string::npos ? "" : body.substr(p + k.size(), e - p - k.size());
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

int64_t vm_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  return -1;
}

int64_t open_fds(int pid) {
  int64_t n = 0;
  try {
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++n;
  } catch (...) {
    return -1;
  }
  return n;
}

void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// ---- HTTP/1.1 keep-alive client ---------------------------------------------------------------------------

struct Reply {
  int status = 0;
  std::string body;
};

http::request<http::string_body> make_request(http::verb verb, const std::string& target, const std::string& bearer,
                                              std::string body) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

// One keep-alive connection used by one coroutine at a time; reconnects after a failure.
class HttpClient {
 public:
  HttpClient(asio::any_io_executor ex, tcp::endpoint server) : stream_(std::move(ex)), server_(server) {}

  awaitable<Reply> call(http::verb verb, const std::string& target, const std::string& bearer, std::string body) {
    if (!open_) {
      stream_.expires_after(std::chrono::seconds(10));
      co_await stream_.async_connect(server_, use_awaitable);
      stream_.socket().set_option(tcp::no_delay(true));
      open_ = true;
    }
    try {
      auto req = make_request(verb, target, bearer, std::move(body));
      stream_.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream_, req, use_awaitable);
      http::response<http::string_body> res;
      co_await http::async_read(stream_, buffer_, res, use_awaitable);
      stream_.expires_never();
      if (!res.keep_alive()) close();
      co_return Reply{static_cast<int>(res.result_int()), std::move(res.body())};
    } catch (...) {
      close();
      throw;
    }
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    open_ = false;
  }

 private:
  beast::tcp_stream stream_;
  tcp::endpoint server_;
  beast::flat_buffer buffer_;
  bool open_ = false;
};

// A blocking GET/POST on its own socket (for the main thread).
Reply blocking_call(const tcp::endpoint& server, http::verb verb, const std::string& target, const std::string& bearer,
                    std::string body) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(server);
  stream.socket().set_option(tcp::no_delay(true));
  auto req = make_request(verb, target, bearer, std::move(body));
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return Reply{static_cast<int>(res.result_int()), std::move(res.body())};
}

// The value of a metric line `name value` in GET /metrics, or -1.
double metric(const tcp::endpoint& server, const std::string& name) {
  try {
    auto r = blocking_call(server, http::verb::get, "/metrics", "", "");
    std::istringstream in(r.body);
    for (std::string line; std::getline(in, line);)
      if (line.rfind(name + " ", 0) == 0) return std::strtod(line.c_str() + name.size() + 1, nullptr);
  } catch (...) {
  }
  return -1;
}

void run_threads(asio::io_context& io, int n, std::vector<std::thread>& out) {
  for (int i = 0; i < n; ++i) out.emplace_back([&io] { io.run(); });
}

// ---- fixes -------------------------------------------------------------------------------------------------

// One fix as POST /v1/pings takes it.
std::string fix_json(const std::string& t, double lat, double lon, int heading, int accuracy, int battery) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                R"({"t":"%s","lat":%.7f,"lon":%.7f,"speed":1.4,"heading":%d,"accuracy":%d,"battery":%d})", t.c_str(),
                lat, lon, heading, accuracy, battery);
  return buf;
}

// A background driver: walks round a circle of 15 m somewhere in Monaco (as bench/pings.lua), so the filter
// accepts every fix (never a jump beyond 50 m; times strictly increasing, near now).
struct WalkingDriver {
  std::string token;
  double clat = 0, clon = 0;
  int step = 0;
  int battery = 80;
  int64_t last_t = 0;

  WalkingDriver(std::string tok, int i) : token(std::move(tok)) {
    clat = 43.7250 + (i % 16) * 0.0009;
    clon = 7.4100 + (i / 16 % 16) * 0.0012;
    step = (i * 97) % 600;
    battery = 95 - i % 60;
  }

  std::string batch(int points) {
    int64_t t = std::max(wall_ms(), last_t + 1);
    std::string body = "[";
    body.reserve(static_cast<size_t>(points) * 130 + 2);
    for (int p = 0; p < points; ++p) {
      const double a = 2 * M_PI * step / 600;
      const double lat = clat + 15 * std::cos(a) / 111320;
      const double lon = clon + 15 * std::sin(a) / (111320 * std::cos(clat * M_PI / 180));
      if (p) body += ',';
      body += fix_json(iso8601(t), lat, lon, static_cast<int>(a * 180 / M_PI + 90) % 360, 5 + (step * 7) % 11,
                       battery);
      step = (step + 1) % 600;
      ++t;
    }
    body += ']';
    last_t = t - 1;
    return body;
  }
};

// ---- mode: shipments ---------------------------------------------------------------------------------------

std::string shipment_body(const std::string& run, int64_t i) {
  return R"({"external_order_id":"LIVE-)" + run + "-" + std::to_string(i) + R"(",)"
         R"("recipient":{"name":"Marie Dupont","phone":"+33612345678","email":"marie@example.com"},)"
         R"("address":{"line1":"12 Avenue de la Costa","city":"Monaco","postal_code":"98000","country":"MC",)"
         R"("lat":43.7384,"lon":7.4246},)"
         R"("promised":{"start":"2026-11-23T09:00:00Z","end":"2026-11-23T12:00:00Z"},)"
         R"("parcels":[{"barcode":"PKG-)" + std::to_string(i) + R"(","weight_kg":1.2}]})";
}

int mode_shipments(const Args& a) {
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(a.num("port")));
  const std::string key = a.str("key");
  const int64_t count = a.num("count");
  const int concurrency = static_cast<int>(a.num("concurrency", 64));
  const auto deadline = SteadyClock::now() + std::chrono::seconds(a.num("max-seconds", 300));
  const std::string run = a.str("run", std::to_string(getpid()));

  std::vector<std::string> tokens(static_cast<size_t>(count));
  int64_t next = 0, errors = 0;
  std::string first_error;
  asio::io_context io(1);
  const auto started = SteadyClock::now();
  for (int w = 0; w < concurrency; ++w) {
    asio::co_spawn(io, [&]() -> awaitable<void> {
      HttpClient client(co_await asio::this_coro::executor, server);
      while (next < count && SteadyClock::now() < deadline && errors < 100) {
        const int64_t i = next++;
        try {
          auto r = co_await client.call(http::verb::post, "/v1/shipments", key, shipment_body(run, i));
          std::string token = r.status == 201 ? json_str(r.body, "tracking_token") : "";
          if (token.empty()) {
            ++errors;
            if (first_error.empty()) first_error = std::to_string(r.status) + " " + r.body.substr(0, 200);
          }
          tokens[static_cast<size_t>(i)] = std::move(token);
        } catch (const std::exception& e) {
          ++errors;
          if (first_error.empty()) first_error = e.what();
        }
      }
    }, asio::detached);
  }
  io.run();
  const double secs = std::chrono::duration<double>(SteadyClock::now() - started).count();
  std::ofstream out(a.str("out"));
  int64_t created = 0;
  for (const auto& t : tokens)
    if (!t.empty()) {
      out << t << '\n';
      ++created;
    }
  std::cout << "shipments_created=" << created << "\nshipments_errors=" << errors << "\nshipments_seconds=" << secs
            << "\n";
  if (!first_error.empty()) std::cout << "shipments_first_error=" << first_error << "\n";
  return created == count ? 0 : 1;
}

// ---- mode: latency -----------------------------------------------------------------------------------------

struct Background {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> requests{0}, non200{0}, points{0}, stored{0}, accepted{0}, errors{0};
};

awaitable<void> background_worker(tcp::endpoint server, std::vector<WalkingDriver> drivers, double interval_s,
                                  double offset_s, int points, Background& bg) {
  auto ex = co_await asio::this_coro::executor;
  HttpClient client(ex, server);
  asio::steady_timer timer(ex);
  auto next = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(offset_s));
  const auto interval = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(interval_s));
  size_t k = 0;
  while (!bg.stop.load()) {
    const auto now = SteadyClock::now();
    if (next > now) {
      timer.expires_at(next);
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
      if (bg.stop.load()) break;
    }
    next += interval;
    if (next + 4 * interval < SteadyClock::now()) next = SteadyClock::now();  // no bursts after a stall
    auto& d = drivers[k++ % drivers.size()];
    try {
      auto r = co_await client.call(http::verb::post, "/v1/pings", d.token, d.batch(points));
      bg.requests.fetch_add(1);
      if (r.status != 200) {
        bg.non200.fetch_add(1);
        continue;
      }
      bg.points.fetch_add(points);
      bg.stored.fetch_add(std::max<int64_t>(0, json_int(r.body, "stored")));
      bg.accepted.fetch_add(std::max<int64_t>(0, json_int(r.body, "accepted")));
    } catch (const std::exception&) {
      bg.errors.fetch_add(1);
    }
  }
}

int mode_latency(const Args& a) {
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(a.num("port")));
  const std::string dispatcher = a.str("dispatcher");
  const std::string driver_token = a.str("driver-token");
  const std::string driver_id = a.str("driver-id");
  const auto bg_tokens = read_lines(a.str("bg-tokens"));
  const double bg_rate = static_cast<double>(a.num("bg-rate", 20000));
  const int bg_conns = static_cast<int>(a.num("bg-connections", 8));
  const int bg_points = static_cast<int>(a.num("bg-points", 100));
  const int samples = static_cast<int>(a.num("samples", 1000));
  const auto warmup = std::chrono::milliseconds(a.num("warmup-ms", 2000));
  const auto gap = std::chrono::milliseconds(a.num("gap-ms", 5));
  const auto sample_timeout = std::chrono::milliseconds(a.num("sample-timeout-ms", 2000));
  const auto deadline = SteadyClock::now() + std::chrono::seconds(a.num("max-seconds", 120));
  if (bg_tokens.empty() && bg_rate > 0) throw std::runtime_error("no background driver tokens");

  // Background load: its own io_context and thread.
  Background bg;
  asio::io_context bg_io(1);
  if (bg_rate > 0) {
    const double per_conn_interval = bg_conns * bg_points / bg_rate;  // seconds between two requests of one connection
    std::vector<std::vector<WalkingDriver>> split(static_cast<size_t>(bg_conns));
    for (size_t i = 0; i < bg_tokens.size(); ++i) split[i % split.size()].emplace_back(bg_tokens[i], static_cast<int>(i));
    for (int c = 0; c < bg_conns; ++c) {
      if (split[static_cast<size_t>(c)].empty()) continue;
      asio::co_spawn(bg_io,
                     background_worker(server, std::move(split[static_cast<size_t>(c)]), per_conn_interval,
                                       per_conn_interval * c / bg_conns, bg_points, bg),
                     asio::detached);
    }
  }
  std::vector<std::thread> bg_threads;
  run_threads(bg_io, 1, bg_threads);

  // The subscriber and the measured pings: another io_context and thread.
  asio::io_context io(1);
  struct Probe {
    std::unordered_map<std::string, int64_t> arrivals;  // t → arrival (ns), this driver's positions
    std::string waiting_for;
    asio::steady_timer* waiter = nullptr;
    int64_t messages = 0, positions = 0;
    bool ready = false;
    std::string ws_error;
  } probe;
  std::vector<double> lat_ms, rtt_ms;
  int64_t early = 0, timeouts = 0, errors = 0;
  std::string first_error;
  double window_s = 0;
  int64_t bg_stored_0 = 0, bg_stored_1 = 0, bg_req_0 = 0, bg_req_1 = 0;
  const std::string driver_marker = "\"driver_id\":\"" + driver_id + "\"";

  auto ws = std::make_shared<websocket::stream<beast::tcp_stream>>(io);
  asio::co_spawn(io, [&, ws]() -> awaitable<void> {
    try {
      co_await beast::get_lowest_layer(*ws).async_connect(server, use_awaitable);
      beast::get_lowest_layer(*ws).expires_never();
      ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      co_await ws->async_handshake("127.0.0.1:" + std::to_string(server.port()),
                                   "/v1/live?access_token=" + dispatcher, use_awaitable);
      beast::flat_buffer buf;
      for (;;) {
        co_await ws->async_read(buf, use_awaitable);
        const int64_t at = now_ns();
        const std::string text = beast::buffers_to_string(buf.data());
        buf.consume(buf.size());
        ++probe.messages;
        if (!probe.ready && text.find("\"type\":\"ready\"") != std::string::npos) probe.ready = true;
        if (text.find("\"type\":\"position\"") == std::string::npos) continue;
        ++probe.positions;
        if (text.find(driver_marker) == std::string::npos) continue;
        std::string t = json_str(text, "t");
        if (probe.waiter && t == probe.waiting_for) probe.waiter->cancel();
        probe.arrivals.emplace(std::move(t), at);
      }
    } catch (const std::exception& e) {
      probe.ws_error = e.what();
    }
  }, asio::detached);

  asio::co_spawn(io, [&]() -> awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    // Wait for the subscription's ready message, then let the background load settle.
    const auto ready_by = SteadyClock::now() + std::chrono::seconds(10);
    while (!probe.ready && probe.ws_error.empty() && SteadyClock::now() < ready_by) {
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
    }
    if (!probe.ready) {
      first_error = "no ready message on the dispatcher WebSocket: " + probe.ws_error;
      co_return;
    }
    timer.expires_after(warmup);
    co_await timer.async_wait(asio::as_tuple(use_awaitable));

    HttpClient client(ex, server);
    int64_t last_t = 0;
    const auto window_start = SteadyClock::now();
    bg_stored_0 = bg.stored.load();
    bg_req_0 = bg.requests.load();
    for (int i = 0; i < samples && SteadyClock::now() < deadline; ++i) {
      last_t = std::max(wall_ms(), last_t + 1);
      const std::string t = iso8601(last_t);
      // A driver parked at the depot, moving by a few decimetres.
      const std::string body = "[" + fix_json(t, 43.7350 + (i % 2) * 0.000004, 7.4210, 90, 5, 80) + "]";
      const int64_t sent = now_ns();
      Reply r;
      try {
        r = co_await client.call(http::verb::post, "/v1/pings", driver_token, body);
      } catch (const std::exception& e) {
        ++errors;
        if (first_error.empty()) first_error = e.what();
        continue;
      }
      const int64_t t0 = now_ns();
      if (r.status != 200 || json_int(r.body, "accepted") != 1) {
        ++errors;
        if (first_error.empty()) first_error = std::to_string(r.status) + " " + r.body.substr(0, 200);
        continue;
      }
      auto it = probe.arrivals.find(t);
      if (it == probe.arrivals.end()) {
        asio::steady_timer wait(ex);
        wait.expires_after(sample_timeout);
        probe.waiting_for = t;
        probe.waiter = &wait;
        co_await wait.async_wait(asio::as_tuple(use_awaitable));
        probe.waiter = nullptr;
        probe.waiting_for.clear();
        it = probe.arrivals.find(t);
      }
      if (it == probe.arrivals.end()) {
        ++timeouts;
        continue;
      }
      const int64_t t1 = it->second;
      probe.arrivals.erase(it);
      if (t1 < t0) ++early;
      lat_ms.push_back(static_cast<double>(std::max<int64_t>(0, t1 - t0)) / 1e6);
      rtt_ms.push_back(static_cast<double>(t1 - sent) / 1e6);
      timer.expires_after(gap);
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
    }
    window_s = std::chrono::duration<double>(SteadyClock::now() - window_start).count();
    bg_stored_1 = bg.stored.load();
    bg_req_1 = bg.requests.load();
    bg.stop = true;
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).socket().close(ignored);
  }, [&](std::exception_ptr) { io.stop(); });
  io.run();
  bg.stop = true;
  bg_io.stop();
  for (auto& t : bg_threads) t.join();

  std::cout << "latency_samples=" << lat_ms.size() << "\n"
            << "latency_p50_ms=" << percentile(lat_ms, 0.50) << "\n"
            << "latency_p99_ms=" << percentile(lat_ms, 0.99) << "\n"
            << "latency_max_ms=" << percentile(lat_ms, 1.0) << "\n"
            << "latency_from_send_p50_ms=" << percentile(rtt_ms, 0.50) << "\n"
            << "latency_from_send_p99_ms=" << percentile(rtt_ms, 0.99) << "\n"
            << "latency_before_ack=" << early << "\n"
            << "latency_timeouts=" << timeouts << "\n"
            << "latency_errors=" << errors << "\n"
            << "latency_window_s=" << window_s << "\n"
            << "ws_messages=" << probe.messages << "\nws_positions=" << probe.positions << "\n"
            << "bg_points_per_s=" << (window_s > 0 ? static_cast<double>(bg_stored_1 - bg_stored_0) / window_s : 0) << "\n"
            << "bg_requests_per_s=" << (window_s > 0 ? static_cast<double>(bg_req_1 - bg_req_0) / window_s : 0) << "\n"
            << "bg_requests=" << bg.requests.load() << "\nbg_non200=" << bg.non200.load()
            << "\nbg_errors=" << bg.errors.load() << "\nbg_points=" << bg.points.load()
            << "\nbg_stored=" << bg.stored.load() << "\nbg_accepted=" << bg.accepted.load() << "\n";
  if (!first_error.empty()) std::cout << "latency_first_error=" << first_error << "\n";
  std::cout.flush();
  return (lat_ms.size() > 0 && first_error.empty()) ? 0 : 1;
}

// ---- mode: fanout ------------------------------------------------------------------------------------------

struct Fanout {
  std::atomic<int> inflight{0}, ready{0}, failed{0}, closed{0};
  std::atomic<int64_t> idle_messages{0};  // messages after `ready` that are not the broadcast
  std::atomic<bool> counting{false};      // count idle messages only during the idle window
  // The broadcast position: a message containing both strings (the driver and the fix's time).
  struct Marker {
    std::string driver, t;
  };
  std::atomic<const Marker*> marker{nullptr};
  std::atomic<int> got{0};
  std::atomic<int64_t> first_ns{INT64_MAX}, last_ns{0};
  std::mutex mu;
  std::string first_error;  // GUARDED_BY(mu)
  std::map<std::string, int> close_reasons;  // GUARDED_BY(mu)

  void error(const std::string& e) {
    std::lock_guard lock(mu);
    if (first_error.empty()) first_error = e;
  }
};

awaitable<void> subscriber(tcp::endpoint server, asio::ip::address source, std::string target, Fanout& f) {
  auto ex = co_await asio::this_coro::executor;
  bool is_ready = false;
  try {
    tcp::socket socket(ex);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(source, 0));  // many source addresses: many ephemeral port ranges
    websocket::stream<beast::tcp_stream> ws(std::move(socket));
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));
    co_await beast::get_lowest_layer(ws).async_connect(server, use_awaitable);
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    co_await ws.async_handshake("127.0.0.1:" + std::to_string(server.port()), target, use_awaitable);
    std::string().swap(target);
    beast::flat_buffer buf;
    while (!is_ready) {
      co_await ws.async_read(buf, use_awaitable);
      const auto text = beast::buffers_to_string(buf.data());
      buf.consume(buf.size());
      if (text.find("\"type\":\"ready\"") != std::string::npos) is_ready = true;
    }
    buf.shrink_to_fit();
    f.ready.fetch_add(1);
    f.inflight.fetch_sub(1);
    for (;;) {
      co_await ws.async_read(buf, use_awaitable);
      const int64_t at = now_ns();
      const auto* m = f.marker.load();
      bool hit = false;
      if (m) {
        const auto text = beast::buffers_to_string(buf.data());
        hit = text.find(m->t) != std::string::npos && text.find(m->driver) != std::string::npos;
      }
      buf.consume(buf.size());
      if (hit) {
        f.got.fetch_add(1);
        int64_t cur = f.last_ns.load();
        while (at > cur && !f.last_ns.compare_exchange_weak(cur, at)) {
        }
        cur = f.first_ns.load();
        while (at < cur && !f.first_ns.compare_exchange_weak(cur, at)) {
        }
      } else if (f.counting.load()) {
        f.idle_messages.fetch_add(1);
      }
    }
  } catch (const boost::system::system_error& e) {
    if (!is_ready) {
      f.inflight.fetch_sub(1);
      f.failed.fetch_add(1);
      f.error(e.code().message() + " (" + e.what() + ")");
    } else {
      f.closed.fetch_add(1);
      std::lock_guard lock(f.mu);
      ++f.close_reasons[e.code().message()];
    }
  }
}

int mode_fanout(const Args& a) {
  raise_fd_limit();
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(a.num("port")));
  const int count = static_cast<int>(a.num("count"));
  const int threads = static_cast<int>(a.num("threads", 2));
  const int parallel = static_cast<int>(a.num("parallel", 256));
  const int pid = static_cast<int>(a.num("server-pid"));
  const auto idle = std::chrono::seconds(a.num("idle-seconds", 5));
  const auto deadline = SteadyClock::now() + std::chrono::seconds(a.num("max-seconds", 180));
  std::vector<asio::ip::address> sources;
  for (int i = 2; i <= 9; ++i) sources.push_back(asio::ip::make_address("127.0.0." + std::to_string(i)));
  if (a.has("sources")) {
    sources.clear();
    std::istringstream in(a.str("sources"));
    for (std::string s; std::getline(in, s, ',');) sources.push_back(asio::ip::make_address(s));
  }
  for (const auto& s : sources)
    if (!s.is_loopback()) throw std::runtime_error("--sources must be loopback addresses");
  std::vector<std::string> targets;
  if (a.has("tokens")) {
    auto tokens = read_lines(a.str("tokens"));
    if (static_cast<int>(tokens.size()) < count) throw std::runtime_error("fewer tokens than --count");
    for (int i = 0; i < count; ++i) targets.push_back("/v1/live?token=" + tokens[static_cast<size_t>(i)]);
  } else {
    const std::string t = "/v1/live?access_token=" + a.str("access-token");
    targets.assign(static_cast<size_t>(count), t);
  }
  const int64_t sessions_before = static_cast<int64_t>(metric(server, "lastmile_live_sessions{transport=\"websocket\"}"));

  Fanout f;
  asio::io_context io(threads);
  auto work = asio::make_work_guard(io);
  std::vector<std::thread> pool;
  run_threads(io, threads, pool);

  const int64_t rss_before = vm_rss_kib(pid);
  const int64_t fds_before = open_fds(pid);
  const auto started = SteadyClock::now();
  int launched = 0;
  int64_t rss_half = -1;
  int half_ready = 0;
  auto wait_settled = [&](int n) {  // every launched connection is ready or failed, or the deadline
    while (f.ready.load() + f.failed.load() < n && SteadyClock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  for (; launched < count && SteadyClock::now() < deadline && f.failed.load() < 1000; ++launched) {
    if (launched == count / 2) {  // the halfway RSS: the second half's growth is the marginal cost
      wait_settled(launched);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      rss_half = vm_rss_kib(pid);
      half_ready = f.ready.load();
    }
    while (f.inflight.load() >= parallel && SteadyClock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    f.inflight.fetch_add(1);
    asio::co_spawn(asio::make_strand(io),
                   subscriber(server, sources[static_cast<size_t>(launched) % sources.size()],
                              std::move(targets[static_cast<size_t>(launched)]), f),
                   asio::detached);
  }
  wait_settled(launched);
  const double open_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
  const int ready = f.ready.load();

  // Idle: the server sends nothing but heartbeats (and Beast pings after half the idle timeout).
  f.counting = true;
  std::this_thread::sleep_for(idle);
  f.counting = false;
  const int64_t rss_after = vm_rss_kib(pid);
  const int64_t fds_after = open_fds(pid);
  const int64_t server_sessions = static_cast<int64_t>(metric(server, "lastmile_live_sessions{transport=\"websocket\"}"));
  const int still_open = f.ready.load() - f.closed.load();

  std::cout << "fanout_requested=" << count << "\nfanout_launched=" << launched << "\nfanout_ready=" << ready
            << "\nfanout_failed=" << f.failed.load() << "\nfanout_open_after_idle=" << still_open
            << "\nfanout_open_seconds=" << open_s << "\nfanout_idle_messages=" << f.idle_messages.load()
            << "\nserver_sessions_before=" << sessions_before << "\nserver_sessions=" << server_sessions
            << "\nserver_fds_before=" << fds_before << "\nserver_fds_after=" << fds_after
            << "\nrss_before_kib=" << rss_before << "\nrss_half_kib=" << rss_half << "\nrss_after_kib=" << rss_after
            << "\nhalf_ready=" << half_ready << "\n";
  if (ready > 0)
    std::cout << "bytes_per_connection=" << (rss_after - rss_before) * 1024 / ready << "\n";
  if (ready - half_ready > 0 && rss_half >= 0)
    std::cout << "bytes_per_connection_marginal=" << (rss_after - rss_half) * 1024 / (ready - half_ready) << "\n";

  // Broadcast: one fix of a driver; every tenant-wide subscriber gets its position. Repeated
  // --broadcasts times, --broadcast-gap-ms apart (each a new fix, so each is accepted and published).
  if (a.has("broadcast-token") && still_open > 0) {
    const std::string driver_id = a.str("broadcast-driver-id");
    const int rounds = static_cast<int>(a.num("broadcasts", 5));
    const auto gap = std::chrono::milliseconds(a.num("broadcast-gap-ms", 1000));
    std::vector<double> ack_ms, first_ms, last_ms, last_send_ms;
    int complete = 0, expected = 0, got = 0, bad_status = 0;
    std::vector<std::unique_ptr<Fanout::Marker>> markers;  // kept: a late reader may still look at one
    int64_t last_t = 0;
    for (int k = 0; k < rounds; ++k) {
      if (k) std::this_thread::sleep_for(gap);
      last_t = std::max(wall_ms(), last_t + 1);
      const std::string t = iso8601(last_t);
      markers.push_back(std::make_unique<Fanout::Marker>(
          Fanout::Marker{"\"driver_id\":\"" + driver_id + "\"", "\"t\":\"" + t + "\""}));
      f.got = 0;
      f.first_ns = INT64_MAX;
      f.last_ns = 0;
      f.marker = markers.back().get();
      const std::string body = "[" + fix_json(t, 43.7352 + (k % 2) * 0.000004, 7.4212, 90, 5, 80) + "]";
      const int64_t sent = now_ns();
      Reply r = blocking_call(server, http::verb::post, "/v1/pings", a.str("broadcast-token"), body);
      const int64_t t0 = now_ns();
      if (r.status != 200 || json_int(r.body, "accepted") != 1) {
        ++bad_status;
        std::cout << "broadcast_bad_reply=" << r.status << " " << r.body.substr(0, 200) << "\n";
        continue;
      }
      const auto bc_deadline = SteadyClock::now() + std::chrono::seconds(a.num("broadcast-timeout", 30));
      expected = f.ready.load() - f.closed.load();
      while (f.got.load() < expected && SteadyClock::now() < bc_deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      got = f.got.load();
      if (got == expected) ++complete;
      if (got == 0) continue;
      ack_ms.push_back(static_cast<double>(t0 - sent) / 1e6);
      first_ms.push_back(static_cast<double>(f.first_ns.load() - t0) / 1e6);
      last_ms.push_back(static_cast<double>(f.last_ns.load() - t0) / 1e6);
      last_send_ms.push_back(static_cast<double>(f.last_ns.load() - sent) / 1e6);
      std::cout << "broadcast_round{" << k << "}=received " << got << "/" << expected << " ack_ms "
                << ack_ms.back() << " first_ms " << first_ms.back() << " last_ms " << last_ms.back()
                << " last_from_send_ms " << last_send_ms.back() << "\n";
    }
    std::cout << "broadcast_rounds=" << rounds << "\nbroadcast_complete_rounds=" << complete
              << "\nbroadcast_bad_replies=" << bad_status << "\nbroadcast_expected=" << expected
              << "\nbroadcast_received=" << got << "\n";
    if (!last_ms.empty()) {
      std::cout << "broadcast_ack_ms=" << percentile(ack_ms, 0.5) << "\n"
                << "broadcast_first_ms=" << percentile(first_ms, 0.5) << "\n"
                << "broadcast_last_ms=" << percentile(last_ms, 0.5) << "\n"
                << "broadcast_last_max_ms=" << percentile(last_ms, 1.0) << "\n"
                << "broadcast_last_from_send_ms=" << percentile(last_send_ms, 0.5) << "\n"
                << "broadcast_last_from_send_max_ms=" << percentile(last_send_ms, 1.0) << "\n";
    }
  }
  {
    std::lock_guard lock(f.mu);
    if (!f.first_error.empty()) std::cout << "fanout_first_error=" << f.first_error << "\n";
    for (const auto& [reason, n] : f.close_reasons) std::cout << "fanout_closed{" << reason << "}=" << n << "\n";
  }
  std::cout.flush();
  // The OS closes the sockets; tearing down tens of thousands of coroutines one by one is not measured.
  std::_Exit(ready == count ? 0 : 2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ws_load shipments|latency|fanout --option value ... (see bench/ws_load.cpp)\n";
    return 64;
  }
  try {
    const std::string mode = argv[1];
    Args args(argc, argv);
    if (mode == "shipments") return mode_shipments(args);
    if (mode == "latency") return mode_latency(args);
    if (mode == "fanout") return mode_fanout(args);
    std::cerr << "ws_load: unknown mode " << mode << "\n";
    return 64;
  } catch (const std::exception& e) {
    std::cerr << "ws_load: " << e.what() << "\n";
    return 1;
  }
}
