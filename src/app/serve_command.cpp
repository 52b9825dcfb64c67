#include "app/serve_command.hpp"

#include <sys/resource.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <cmath>
#include <filesystem>
#include <optional>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/auth.hpp"
#include "api/auto_reroute.hpp"
#include "api/exception_messages.hpp"
#include "api/live_messages.hpp"
#include "api/live_stream.hpp"
#include "api/live_subscription.hpp"
#include "api/metrics.hpp"
#include "api/rate_limiter.hpp"
#include "api/router.hpp"
#include "api/routes_table.hpp"
#include "api/server.hpp"
#include "app/listen_address.hpp"
#include "app/tracker_listeners.hpp"
#include "core/crypto.hpp"
#include "storage/blob_store.hpp"
#include "map/address_file.hpp"
#include "map/graph.hpp"
#include "map/router.hpp"
#include "eta/routing_legs.hpp"
#include "map/routing_service.hpp"
#include "app/osrm_client.hpp"
#include "pipeline/eta_learner.hpp"
#include "map/tile_service.hpp"
#include "events/event_bus.hpp"
#include "pipeline/device_directory.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "pipeline/retention.hpp"
#include "pipeline/analytics_worker.hpp"
#include "pipeline/tracking_stale.hpp"
#include "notify/curl_webhook_sender.hpp"
#include "notify/outbox_worker.hpp"
#include "app/notification_setup.hpp"
#include "app/cluster_setup.hpp"
#include "cluster/server_list.hpp"
#include "storage/webhook_store.hpp"
#include "push/hub.hpp"
#include "storage/store.hpp"

namespace lastmile::app {

#ifndef LASTMILE_WEB_DIST
#error "LASTMILE_WEB_DIST (the source tree's web/dist) is set by src/CMakeLists.txt"
#endif
const char* const kDefaultWebDir = LASTMILE_WEB_DIST;

namespace {

// On first start, create the root credential: from LASTMILE_ADMIN_TOKEN, or a random one printed once.
void ensure_root_credential(storage::Store& store, const core::Clock& clock) {
  auto has = store.has_root_credential();
  if (!has) throw std::runtime_error("cannot read credentials: " + has.error().message);
  const char* env = std::getenv("LASTMILE_ADMIN_TOKEN");
  if (*has) {
    if (env && *env) spdlog::info("root token already set; LASTMILE_ADMIN_TOKEN is only read on first start");
    return;
  }
  std::string token = (env && *env) ? std::string(env) : "lm_root_" + core::random_token(32);
  if (token.size() < 16) throw std::runtime_error("LASTMILE_ADMIN_TOKEN must be at least 16 characters");
  auto st = store.create_credential(api::root_credential(token, clock.now()));
  if (!st) throw std::runtime_error("cannot store the root credential: " + st.error().message);
  if (env && *env) {
    spdlog::info("root token set from LASTMILE_ADMIN_TOKEN");
  } else {
    // Printed once, to stdout, so it can be captured; it is never logged again.
    std::cout << "Root admin token (shown once, keep it safe): " << token << std::endl;
  }
}

// The routing service: the road network of --map, the OSRM server of --router, or great-circle
// estimates without either. Null when the file cannot be loaded or --router is bad (logged).
std::unique_ptr<map::RoutingService> load_routing(const ServeOptions& o) {
  const map::GreatCircleOptions fallback{o.detour_factor, o.fallback_speed_kmh};
  if (!o.router_url.empty()) {
    const auto endpoint = map::parse_osrm_url(o.router_url);
    if (!endpoint || !o.map_file.empty()) {
      spdlog::critical("bad --router {}: {}", o.router_url,
                       endpoint ? "give either --map or --router, not both" : "expected osrm://HOST:PORT");
      return nullptr;
    }
    spdlog::info("routing: external OSRM server {}:{} (timeout {} ms)", endpoint->host, endpoint->port,
                 o.router_timeout_ms);
    auto client = std::make_shared<const OsrmClient>(
        OsrmClientOptions{*endpoint, std::chrono::milliseconds(o.router_timeout_ms)});
    return std::make_unique<map::RoutingService>(map::RoutingService::with_external(std::move(client), fallback));
  }
  if (o.map_file.empty()) {
    spdlog::info("routing: no --map; great-circle estimates (detour factor {}, {} km/h)", o.detour_factor,
                 o.fallback_speed_kmh);
    return std::make_unique<map::RoutingService>(nullptr, fallback);
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto graph = map::Graph::open(o.map_file);
  if (!graph) {
    spdlog::critical("cannot load map {}: error {}: {}", o.map_file, map::code_name(graph.error().code),
                     graph.error().message);
    return nullptr;
  }
  auto router = std::make_shared<const map::Router>(std::move(*graph));
  spdlog::info("routing: road network {} ({} nodes, {} edges, {}contraction hierarchy) loaded in {:.0f} ms",
               o.map_file, router->graph().node_count(), router->graph().edge_count(),
               router->graph().has_contraction_hierarchy() ? "" : "no ",
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return std::make_unique<map::RoutingService>(std::move(router), fallback);
}

// The vector tiles of the road network (GET /v1/tiles/…); null without --map.
std::unique_ptr<map::TileService> load_tiles(const ServeOptions& o, const map::RoutingService& routing) {
  if (routing.router() == nullptr) return nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  map::TileServiceOptions options;
  if (auto checksum = map::read_graph_checksum(o.map_file)) options.graph_checksum = *checksum;
  auto tiles = std::make_unique<map::TileService>(routing.router()->graph(), options);
  spdlog::info("tiles: {} roads indexed in {:.0f} ms", tiles->index().chain_count(),
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return tiles;
}

// The map's addresses for the geocoder (OUT.addresses of import-map); null without --map or without
// the file (a map imported before addresses were): GET /v1/geocode then answers 503. A file that
// is there but unreadable stops the server, as a bad map file does.
std::optional<std::unique_ptr<map::AddressBook>> load_addresses(const ServeOptions& o) {
  if (o.map_file.empty()) return std::unique_ptr<map::AddressBook>();
  const std::string path = map::address_file_path(o.map_file);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    spdlog::info("geocoding: no {} (import the map again to get its addresses); GET /v1/geocode is off", path);
    return std::unique_ptr<map::AddressBook>();
  }
  auto data = map::read_address_file(path);
  if (!data) {
    spdlog::critical("cannot load addresses {}: error {}: {}", path, map::code_name(data.error().code),
                     data.error().message);
    return std::nullopt;
  }
  auto book = std::make_unique<map::AddressBook>(std::move(*data));
  spdlog::info("geocoding: {} addresses on {} streets", book->points().size(), book->streets().size());
  return book;
}

// --raster-tiles: an http(s) URL template with {z}, {x} and {y}.
void check_raster_tiles(const std::string& url) {
  if (url.empty()) return;
  const bool http = url.starts_with("http://") || url.starts_with("https://");
  if (!http || url.find("{z}") == std::string::npos || url.find("{x}") == std::string::npos ||
      url.find("{y}") == std::string::npos)
    throw std::runtime_error("--raster-tiles must be an http(s) URL template with {z}, {x} and {y}");
}

}  // namespace

namespace {

// Leaves the cluster (consumers finish their batches, leases handed over, NATS closed) at shutdown, but
// waits at most kLeaveTimeout: every NATS call inside is bounded, yet a CI run once saw a node hang
// for over 15 s right after its NATS server was killed (the shard consumers had stopped; where it
// hung is unknown). Past the bound the rest of the NATS teardown is left to a detached thread, logged,
// and the shutdown goes on: nothing acknowledged depends on it (pings are acknowledged once JetStream
// stored them, and the stopped consumers commit nothing more).
void leave_cluster(std::unique_ptr<ClusterRuntime> runtime) {
  if (!runtime) return;
  constexpr auto kLeaveTimeout = std::chrono::seconds(8);
  struct Leaving {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
  };
  auto state = std::make_shared<Leaving>();
  std::thread([state, r = std::move(runtime)]() mutable {
    r.reset();
    std::lock_guard lock(state->mu);
    state->done = true;
    state->cv.notify_all();
  }).detach();
  std::unique_lock lock(state->mu);
  if (state->cv.wait_for(lock, kLeaveTimeout, [&] { return state->done; })) {
    spdlog::info("cluster: left");
  } else {
    spdlog::warn("cluster: leaving took over {} s; not waiting for NATS any longer",
                 std::chrono::duration_cast<std::chrono::seconds>(kLeaveTimeout).count());
  }
}

// The blob store's folder: --blob-dir, else blobs/ next to the database file; a memory database
// (tests) gets a temporary folder, removed when the server stops.
class BlobFolder {
 public:
  BlobFolder(const std::string& db_url, const std::string& blob_dir) {
    if (!blob_dir.empty()) {
      path_ = blob_dir;
      return;
    }
    const auto file = storage::sqlite_file_of(db_url);
    if (file && *file != ":memory:") {
      path_ = storage::default_blob_dir(*file);
      return;
    }
    path_ = std::filesystem::temp_directory_path() / ("lastmile-blobs-" + core::random_alnum(12));
    temporary_ = true;
  }
  ~BlobFolder() {
    std::error_code ec;
    if (temporary_) std::filesystem::remove_all(path_, ec);
  }
  BlobFolder(const BlobFolder&) = delete;
  BlobFolder& operator=(const BlobFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool temporary_ = false;
};

}  // namespace

void apply_connection_limits(const ServeOptions& o, api::ServerOptions& so) {
  so.max_connections = o.max_connections;
  if (so.max_connections == 0) {
    rlimit files{};
    constexpr rlim_t kReserve = 128;  // the database, blobs, map, listeners, outgoing requests
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 2 * kReserve)
      so.max_connections = static_cast<size_t>(files.rlim_cur - kReserve);
  }
  so.max_connections_per_ip = o.max_connections_per_ip;
}

int serve(const ServeOptions& o) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("lastmile"));
  spdlog::set_level(spdlog::level::from_str(o.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  if (!o.cluster.empty())  // a bad --cluster stops the server before it opens anything
    if (auto servers = cluster::parse_server_list(o.cluster); !servers)
      throw std::runtime_error("--cluster: " + servers.error().message);
  // First, so a bad map file stops the server before it opens anything.
  const std::unique_ptr<map::RoutingService> routing = load_routing(o);
  if (routing == nullptr) return 1;
  check_raster_tiles(o.raster_tiles);
  const std::unique_ptr<map::TileService> tiles = load_tiles(o, *routing);
  auto loaded_addresses = load_addresses(o);
  if (!loaded_addresses) return 1;
  const std::unique_ptr<map::AddressBook> addresses = std::move(*loaded_addresses);

  auto [host, port] = split_host_port(o.http);
  core::SystemClock wall_clock;
  if (!(o.clock_speedup >= 1 && o.clock_speedup <= 1000))
    throw std::runtime_error("--clock-speedup must be in [1, 1000]");
  const core::ScaledClock clock(wall_clock, o.clock_speedup);  // the one clock of everything below
  if (o.clock_speedup != 1)
    spdlog::warn("clock runs {}x faster than the wall clock (--clock-speedup; demo/testing only)", o.clock_speedup);
  api::Metrics metrics;
  api::TrackViewCache track_cache(100'000, o.track_cache_ttl_ms);
  // Live push: declared before its publishers (event bus, pipeline) so it outlives their threads.
  push::HubOptions hub_options;
  hub_options.on_publish = [&metrics](const push::PublishStats& s) {
    if (s.coalesced)
      metrics.count("lastmile_live_positions_coalesced_total", "Unsent positions replaced by newer ones", s.coalesced);
  };
  push::Hub hub(hub_options);
  events::EventBus bus([](const char* what) { spdlog::error("event subscriber failed: {}", what); });

  // Cluster mode (docs/cluster.md): made once the HTTP port is bound; commits and live updates reach
  // it through a guard that shutdown clears first.
  const bool clustered = !o.cluster.empty();
  struct ClusterFeed {
    std::mutex mu;
    ClusterRuntime* runtime = nullptr;  // GUARDED_BY(mu)
  };
  auto cluster_feed = std::make_shared<ClusterFeed>();
  // The outbox worker is woken by every commit with events (it may have new messages). It is made
  // after the store, so commits reach it through a guard that shutdown clears first.
  struct OutboxWake {
    std::mutex mu;
    notify::OutboxWorker* worker = nullptr;  // GUARDED_BY(mu)
    NotificationRuntime* notifications = nullptr;  // GUARDED_BY(mu)
  };
  auto outbox_wake = std::make_shared<OutboxWake>();
  storage::StoreOptions store_options;
  store_options.on_commit = [&bus, &metrics, &track_cache, outbox_wake, clustered,
                             cluster_feed](const std::vector<domain::Event>& events) {
    {
      std::lock_guard lock(outbox_wake->mu);
      if (outbox_wake->worker && !events.empty()) outbox_wake->worker->wake();
      if (outbox_wake->notifications && !events.empty()) outbox_wake->notifications->wake();
    }
    track_cache.invalidate_all();  // synchronous: before the writer answers (see track_cache.hpp)
    metrics.add_events(events.size());
    bus.publish(events);
    if (clustered && !events.empty()) {
      std::lock_guard lock(cluster_feed->mu);
      if (cluster_feed->runtime) cluster_feed->runtime->on_local_commit();
    }
  };
  store_options.on_timing = [&metrics](std::string_view op, double seconds) { metrics.observe_db(op, seconds); };
  auto store = storage::open_store(o.db, store_options);
  ensure_root_credential(*store, clock);
  if (auto newest = api::newest_event_seq(*store)) hub.note_event_seq(*newest);  // the first clients' cursor
  // In cluster mode the event log's tail feeds the hub, the exception queue and the pipeline instead
  // (every node's events, in global order: app/cluster_setup.hpp).
  if (!clustered) bus.subscribe([&hub](const domain::Event& e) { hub.publish(api::live_event_message(e)); });
  // Changes events made to the exception queue (opened, counted, auto-resolved) go to staff. The
  // bus thread outlives `store`, so it goes through a guard that shutdown clears first.
  struct StoreFeed {
    std::mutex mu;
    storage::Store* store = nullptr;  // GUARDED_BY(mu)
  };
  auto exception_feed = std::make_shared<StoreFeed>();
  exception_feed->store = store.get();
  auto exception_changes = [exception_feed, &hub](const domain::Event& e) {
    std::lock_guard lock(exception_feed->mu);
    if (!exception_feed->store) return;
    if (auto st = api::publish_exception_changes(*exception_feed->store, hub, e); !st)
      spdlog::warn("exception queue push failed: {}", st.error().message);
  };
  if (!clustered) bus.subscribe(exception_changes);

  api::ServerOptions so;
  so.host = host;
  so.port = port;
  so.threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  so.blocking_threads = o.blocking_threads;
  so.max_body_bytes = o.max_body_bytes;
  so.max_upload_bytes = o.max_upload_bytes;
  so.max_import_bytes = o.max_import_bytes;
  so.read_timeout = std::chrono::seconds(o.read_timeout_s);
  apply_connection_limits(o, so);

  // Live updates from the pipeline go to the push hub.
  pipeline::LiveSink live_sink = [&hub, clustered, cluster_feed](const pipeline::LiveUpdate& u) {
    hub.publish(api::live_update_message(u));
    if (!clustered) return;
    std::lock_guard lock(cluster_feed->mu);
    if (cluster_feed->runtime) cluster_feed->runtime->publish_live(u);  // to the other nodes' hubs
  };
  // Live ETA over the routing service (road network or great circle), with each tenant's learned
  // model (pipeline/eta_learner.hpp), re-learned every hour from the stored visits.
  eta::RoutingLegs eta_legs(*routing);
  eta::ModelRegistry eta_models;
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.shards = so.threads;
  // The activity checks' period is wall time (a timer); keep it at 15 s of the (scaled) server clock.
  pipeline_options.activity_check_ms =
      std::max<int64_t>(100, std::llround(static_cast<double>(pipeline_options.activity_check_ms) / o.clock_speedup));
  pipeline_options.eta.legs = &eta_legs;
  pipeline_options.eta.models = &eta_models;
  pipeline_options.eta.push_change_s = o.eta_push_change_s;
  pipeline_options.eta.announce_change_s = o.eta_change_minutes * 60.0;
  pipeline_options.eta.late_risk.raise_after_s = o.late_risk_after_s;
  pipeline_options.eta.off_route.distance_m = o.off_route_m;
  pipeline_options.eta.off_route.min_duration_s = o.off_route_s;
  pipeline::IngestPipeline ingest(*store, clock, pipeline_options, live_sink);
  // Status changes (e.g. a delivery reported through the API) reach the pipeline's route views. The
  // bus thread outlives `ingest`, so it goes through a guard that shutdown clears first.
  struct PipelineFeed {
    std::mutex mu;
    pipeline::IngestPipeline* target = nullptr;  // GUARDED_BY(mu)
  };
  auto feed = std::make_shared<PipelineFeed>();
  feed->target = &ingest;
  auto pipeline_events = [feed](const domain::Event& e) {
    std::lock_guard lock(feed->mu);
    if (feed->target) feed->target->on_event(e);
  };
  if (!clustered) bus.subscribe(pipeline_events);
  if (tiles != nullptr) {
    metrics.add_collector([t = tiles.get()](std::string& out) {
      const auto c = t->cache_stats();
      out += fmt::format("# HELP lastmile_tile_cache_hits_total Vector tiles answered from the in-memory cache\n"
                         "# TYPE lastmile_tile_cache_hits_total counter\nlastmile_tile_cache_hits_total {}\n"
                         "# HELP lastmile_tile_cache_misses_total Vector tiles encoded on request\n"
                         "# TYPE lastmile_tile_cache_misses_total counter\nlastmile_tile_cache_misses_total {}\n"
                         "# HELP lastmile_tile_cache_bytes Bytes of encoded tiles in the cache\n"
                         "# TYPE lastmile_tile_cache_bytes gauge\nlastmile_tile_cache_bytes {}\n",
                         c.hits, c.misses, c.bytes);
    });
  }
  metrics.add_collector([&ingest](std::string& out) {
    const auto s = ingest.stats();
    auto counter = [&out](const char* name, const char* help, uint64_t v) {
      out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v);
    };
    counter("lastmile_pipeline_batches_total", "Batches submitted to the live-location pipeline", s.batches);
    counter("lastmile_pipeline_points_stored_total", "Track points written (accepted and late, new)", s.stored);
    counter("lastmile_pipeline_geofence_events_total", "Geofence arrivals and departures", s.geofence_events);
    counter("lastmile_pipeline_exceptions_total",
            "Exceptions raised (device offline, stationary, late risk, off route)", s.exceptions);
    counter("lastmile_pipeline_progress_write_failures_total", "Route progress writes that failed",
            s.progress_write_failures);
  });
  metrics.add_collector([&store = *store](std::string& out) {
    const auto w = store.write_stats();  // group commit: writes per commit = bodies / commits
    out += fmt::format(
        "# HELP lastmile_store_writes_total Writes run by the store's group commit\n"
        "# TYPE lastmile_store_writes_total counter\nlastmile_store_writes_total {}\n"
        "# HELP lastmile_store_commits_total Transactions (one fsync each) that committed those writes\n"
        "# TYPE lastmile_store_commits_total counter\nlastmile_store_commits_total {}\n"
        "# HELP lastmile_store_write_queue Writes waiting for the writer\n"
        "# TYPE lastmile_store_write_queue gauge\nlastmile_store_write_queue {}\n",
        w.bodies, w.commits, w.queued);
  });
  const BlobFolder blob_folder(o.db, o.blob_dir);
  const storage::BlobStore blobs(blob_folder.path());
  pipeline::RetentionOptions retention_options;
  retention_options.keep_days = o.track_retention_days;
  retention_options.photo_days = o.photo_retention_days;
  retention_options.chat_days = o.chat_retention_days;
  retention_options.interval = std::chrono::seconds(o.retention_interval_s);
  retention_options.blob_idle = std::chrono::seconds(o.blob_delete_idle_s);
  retention_options.blobs = &blobs;
  retention_options.on_purged = [&metrics](int64_t n) {
    metrics.count("lastmile_track_points_purged_total", "Track points deleted by retention", static_cast<uint64_t>(n));
  };
  pipeline::Retention retention(*store, clock, retention_options);
  pipeline::AnalyticsWorkerOptions analytics_options;  // events → analytics rollups (docs/analytics.md)
  analytics_options.on_folded = [&metrics](int64_t n) {
    metrics.count("lastmile_analytics_events_folded_total", "Events folded into analytics", static_cast<uint64_t>(n));
  };
  pipeline::AnalyticsWorker analytics_worker(store->analytics(), analytics_options);
  pipeline::EtaLearnerOptions learner_options;
  learner_options.history_days = o.eta_history_days;
  learner_options.background = o.eta_history_days > 0;
  pipeline::EtaLearner eta_learner(*store, clock, eta_legs, eta_models, learner_options);
  pipeline::DeviceDirectory devices(*store, clock);  // tracker ids → drivers (OsmAnd, OwnTracks)
  api::Services services{*store, clock, metrics, "", o.track_cache_ttl_ms > 0 ? &track_cache : nullptr,
                         &ingest, &devices};
  services.live_hub = &hub;
  services.login_link_ttl_h = o.login_link_ttl_h;
  services.routing = routing.get();
  services.eta_models = &eta_models;
  services.tiles = tiles.get();
  services.addresses = addresses.get();
  services.raster_tiles_url = o.raster_tiles;
  services.web_dir = o.web_dir.empty() ? std::string(kDefaultWebDir) : o.web_dir;
  services.blobs = &blobs;
  services.retention_defaults = retention.defaults();
  services.settings_defaults.geofence_dwell_s = static_cast<int>(pipeline_options.geofence.dwell_ms / 1000);
  services.settings_defaults.device_offline_minutes = static_cast<int>(pipeline_options.activity.offline_after_ms / 60'000);
  services.settings_defaults.stationary_minutes = static_cast<int>(pipeline_options.activity.stationary_after_ms / 60'000);
  services.settings_defaults.tracking_stale_hours = o.tracking_stale_hours;
  services.settings_defaults.retention = services.retention_defaults;
  services.max_photo_bytes = static_cast<size_t>(o.pod_max_photo_mib * 1024 * 1024);
  spdlog::info("proof-of-delivery blobs in {}", blob_folder.path().string());
  if (!std::filesystem::is_regular_file(std::filesystem::path(services.web_dir) / "track.html"))
    spdlog::warn("web pages: no built bundle in {} (run `make build`, or give --web-dir); /t/… and /dispatch "
                 "answer 503", services.web_dir);
  // Outbound webhooks: the handshake and the worker share one libcurl transport.
  notify::CurlWebhookSender webhook_sender(o.webhook_allow_private);
  std::atomic<uint64_t> webhooks_delivered{0};
  std::atomic<uint64_t> webhooks_dead{0};
  std::atomic<int64_t> outbox_pending{0};  // set by the worker after each pass (at most ~1 s old)
  notify::OutboxWorkerOptions outbox_options;
  outbox_options.max_attempts = o.webhook_max_attempts;
  outbox_options.backoff.scale = o.webhook_backoff_scale;
  outbox_options.on_outcome = [&](storage::DeliveryOutcome::Kind k) {
    if (k == storage::DeliveryOutcome::Kind::kDelivered) ++webhooks_delivered;
    if (k == storage::DeliveryOutcome::Kind::kDead || k == storage::DeliveryOutcome::Kind::kGone) ++webhooks_dead;
  };
  outbox_options.on_counts = [&outbox_pending](const storage::OutboxCounts& c) { outbox_pending = c.pending; };
  // Cluster mode: only the leader sends (docs/cluster.md, "Outbox").
  auto may_send = [clustered, cluster_feed]() -> std::function<bool()> {
    if (!clustered) return {};
    return [cluster_feed] {
      std::lock_guard lock(cluster_feed->mu);
      return cluster_feed->runtime != nullptr && cluster_feed->runtime->may_send();
    };
  };
  outbox_options.may_send = may_send();
  std::unique_ptr<notify::OutboxWorker> outbox;
  if (storage::WebhookStore* webhook_store = store->webhooks()) {
    outbox = std::make_unique<notify::OutboxWorker>(*webhook_store, webhook_sender, clock, outbox_options);
    outbox->start();
    {
      std::lock_guard lock(outbox_wake->mu);
      outbox_wake->worker = outbox.get();
    }
    // Not the store itself here: a collector runs under the Metrics lock, which store timings take.
    metrics.add_collector([&outbox_pending, &webhooks_delivered, &webhooks_dead](std::string& out) {
      out += fmt::format(
          "# HELP lastmile_outbox_pending Outbox messages waiting to be sent (pending or sending)\n"
          "# TYPE lastmile_outbox_pending gauge\nlastmile_outbox_pending {}\n"
          "# HELP lastmile_outbox_delivered_total Webhook messages delivered since start\n"
          "# TYPE lastmile_outbox_delivered_total counter\nlastmile_outbox_delivered_total {}\n"
          "# HELP lastmile_outbox_dead_total Webhook messages dead-lettered since start\n"
          "# TYPE lastmile_outbox_dead_total counter\nlastmile_outbox_dead_total {}\n",
          outbox_pending.load(), webhooks_delivered.load(), webhooks_dead.load());
    });
  }
  services.webhooks = store->webhooks();
  services.webhook_sender = &webhook_sender;
  services.webhook_allow_private = o.webhook_allow_private;
  api::RateLimits rate_limits{api::RateLimiter({o.rate_key_per_s, o.rate_key_burst}),
                              api::RateLimiter({o.rate_ip_per_s, o.rate_ip_burst}),
                              api::RateLimiter({o.auth_failures_per_min / 60.0, o.auth_failures_burst})};
  services.rate_limits = &rate_limits;
  services.wake_outbox = [outbox_wake] {
    std::lock_guard lock(outbox_wake->mu);
    if (outbox_wake->worker) outbox_wake->worker->wake();
  };
  api::Router router(api::route_table(api::RouteTableOptions{o.osrm_public}), services);
  api::LiveStreamOptions live_options;
  live_options.session.heartbeat = std::chrono::seconds(o.live_heartbeat_s);
  live_options.session.idle_timeout = std::max(std::chrono::milliseconds(30'000), 4 * live_options.session.heartbeat);
  live_options.session.clock = &clock;
  api::LiveStreamHandler live(services, live_options);
  api::Server server(so, router, metrics, &live);
  server.listen();
  const std::string shown_host = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host;
  services.public_url = o.public_url.empty() ? "http://" + shown_host + ":" + std::to_string(server.bound_port())
                                             : o.public_url;
  while (!services.public_url.empty() && services.public_url.back() == '/') services.public_url.pop_back();
  // Notifications render links with the public URL, known only now (the bound port).
  std::unique_ptr<ClusterRuntime> cluster_runtime;
  if (clustered) {
    // Every node's events (from the log's tail) reach the exception queue, the route views and the
    // outbox workers here; the hub is fed by the tail itself.
    auto on_event = [exception_changes, pipeline_events, outbox_wake](const domain::Event& e) {
      exception_changes(e);
      pipeline_events(e);
      std::lock_guard lock(outbox_wake->mu);
      if (outbox_wake->worker) outbox_wake->worker->wake();
      if (outbox_wake->notifications) outbox_wake->notifications->wake();
    };
    cluster_runtime = std::make_unique<ClusterRuntime>(o, server.bound_port(), *store, ingest, hub, metrics, on_event);
    std::lock_guard lock(cluster_feed->mu);
    cluster_feed->runtime = cluster_runtime.get();
    services.cluster_connected = [c = cluster_runtime.get()] { return c->connected(); };
  }
  auto notifications = std::make_unique<NotificationRuntime>(o, *store, clock, metrics, services, may_send());
  {
    std::lock_guard lock(outbox_wake->mu);
    outbox_wake->notifications = notifications.get();
  }
  TrackerListeners trackers(o, host, services);  // OsmAnd port, MQTT subscriber
  trackers.start();
  // tracking_stale passes every --tracking-stale-interval-s of server clock (wall time / speedup).
  pipeline::TrackingStaleOptions stale_options;
  stale_options.default_hours = o.tracking_stale_hours;
  stale_options.interval = std::chrono::milliseconds(
      std::max<int64_t>(100, std::llround(o.tracking_stale_interval_s * 1000.0 / o.clock_speedup)));
  stale_options.may_run = may_send();  // cluster mode: the leader only
  auto tracking_stale = std::make_unique<pipeline::TrackingStaleMonitor>(*store, clock, stale_options);
  // Automatic rerouting on late_risk when a tenant's settings allow it (api/auto_reroute.hpp). The bus
  // thread outlives it, so it goes through a guard that shutdown clears first.
  struct RerouteFeed {
    std::mutex mu;
    api::AutoReroute* target = nullptr;  // GUARDED_BY(mu)
  };
  auto auto_reroute = std::make_unique<api::AutoReroute>(services);
  auto reroute_feed = std::make_shared<RerouteFeed>();
  reroute_feed->target = auto_reroute.get();
  bus.subscribe([reroute_feed](const domain::Event& e) {
    std::lock_guard lock(reroute_feed->mu);
    if (reroute_feed->target) reroute_feed->target->on_event(e);
  });

  // Signals are waited for on a separate small io_context so the server's loop stays its own.
  boost::asio::io_context signal_io;
  boost::asio::signal_set signals(signal_io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: draining requests", sig);
    server.stop();
    trackers.stop();
  });
  std::thread signal_thread([&] { signal_io.run(); });

  spdlog::info("lastmile listening on http://{}:{} (db {}, {} threads)", shown_host, server.bound_port(), o.db,
               so.threads);
  std::cout << "lastmile is running: " << services.public_url << "/healthz" << std::endl;
  server.run();
  trackers.join();
  {
    std::lock_guard lock(cluster_feed->mu);
    cluster_feed->runtime = nullptr;
  }
  leave_cluster(std::move(cluster_runtime));  // hands its shards over after their batches in flight
  tracking_stale.reset();  // its pass appends events: stopped before the pipeline and the bus drain
  {
    std::lock_guard lock(reroute_feed->mu);
    reroute_feed->target = nullptr;
  }
  auto_reroute.reset();  // finishes the attempt in progress

  signal_io.stop();
  signal_thread.join();
  ingest.drain();
  {
    std::lock_guard lock(feed->mu);
    feed->target = nullptr;
  }
  bus.drain();
  {
    std::lock_guard lock(outbox_wake->mu);
    outbox_wake->worker = nullptr;
    outbox_wake->notifications = nullptr;
  }
  outbox.reset();  // finishes the try in progress; an interrupted one is sent again at the next start
  notifications.reset();  // likewise
  {
    std::lock_guard lock(exception_feed->mu);
    exception_feed->store = nullptr;
  }
  if (auto st = store->flush(); !st) spdlog::error("flush failed: {}", st.error().message);
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace lastmile::app
