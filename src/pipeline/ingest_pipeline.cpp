#include "pipeline/ingest_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <thread>
#include <unordered_map>

#include "pipeline/live_json.hpp"
#include "pipeline/missing_scan_check.hpp"
#include "pipeline/route_tracker.hpp"
#include "pipeline/serial_worker.hpp"

namespace lastmile::pipeline {
namespace {

void forget(tracking::DriverTrackState& s, const std::vector<ingest::Ping>& pings) {
  for (const auto& p : pings) {
    const tracking::DriverTrackState::Key k{p.t.ms, std::llround(p.position.lat() * 1e7),
                                            std::llround(p.position.lon() * 1e7)};
    for (size_t i = 0; i < s.recent_count; ++i)
      if (s.recent[i] == k) s.recent[i] = {INT64_MIN, 0, 0};
  }
}

}  // namespace

// What the filter decided about one batch, handed from the shard to the write and its completion.
struct IngestPipeline::Filtered {
  IngestOutcome outcome;
  std::vector<ingest::Ping> keep;  // accepted and late, in batch order
  std::vector<uint32_t> live;      // positions in `keep` of the accepted ones: they move the live position
};

// Everything the pipeline keeps about one driver; touched only on the driver's shard.
struct IngestPipeline::DriverLive {
  tracking::DriverTrackState filter;
  std::unique_ptr<RouteTracker> tracker;
  bool route_dirty = true;

  RouteTracker& tracker_for(const Device& d) {
    if (!tracker) tracker = std::make_unique<RouteTracker>(d);
    return *tracker;
  }
};

// Declaration order is destruction order reversed: `state` drains first (its tasks may post to
// `effects` and use `drivers`), then `drivers`, then `effects` drains.
struct IngestPipeline::Shard {
  SerialWorker effects;
  std::unordered_map<core::DriverId, DriverLive> drivers;  // only on `state`'s thread
  SerialWorker state;
};

struct IngestPipeline::Timer {
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;  // GUARDED_BY(mu)
  std::thread thread;
};

struct IngestPipeline::Counters {
  std::atomic<uint64_t> batches{0}, points{0}, accepted{0}, late{0}, duplicates{0}, rejected{0}, stored{0};
  std::atomic<uint64_t> geofence_events{0}, exceptions{0}, progress_write_failures{0};
};

IngestPipeline::IngestPipeline(storage::Store& store, const core::Clock& clock, PipelineOptions options,
                               LiveSink sink)
    : store_(store), clock_(clock), options_(std::move(options)), sink_(std::move(sink)),
      counters_(std::make_unique<Counters>()) {
  int n = options_.shards > 0 ? options_.shards : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(1, n);
  for (int i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>());
  timer_ = std::make_unique<Timer>();
  timer_->thread = std::thread([this] {
    std::unique_lock lock(timer_->mu);
    for (;;) {
      timer_->cv.wait_for(lock, std::chrono::milliseconds(options_.activity_check_ms),
                          [this] { return timer_->stopping; });
      if (timer_->stopping) return;
      lock.unlock();
      tick();
      lock.lock();
    }
  });
}

IngestPipeline::~IngestPipeline() {
  {
    std::unique_lock lock(inflight_mu_);  // their completions post to the shards
    inflight_cv_.wait(lock, [this] { return inflight_ == 0; });
  }
  {
    std::lock_guard lock(timer_->mu);
    timer_->stopping = true;
  }
  timer_->cv.notify_all();
  timer_->thread.join();
  shards_.clear();  // each shard drains its queues
}

IngestPipeline::Shard& IngestPipeline::shard_for(const core::DriverId& driver) {
  return *shards_[std::hash<core::DriverId>{}(driver) % shards_.size()];
}

core::Result<IngestOutcome> IngestPipeline::submit(const Device& device, const std::vector<ingest::UnsafePing>& pings,
                                                   core::Timestamp received_at) {
  std::promise<core::Result<IngestOutcome>> promise;
  auto result = promise.get_future();
  submit_async(device, pings, received_at, [&promise](core::Result<IngestOutcome> r) { promise.set_value(std::move(r)); });
  return result.get();
}

void IngestPipeline::submit_async(const Device& device, std::vector<ingest::UnsafePing> pings,
                                  core::Timestamp received_at, SubmitDone done) {
  if (forwarder_) return forwarder_(device, std::move(pings), received_at, std::move(done));
  process_async(device, std::move(pings), received_at, std::move(done));
}

void IngestPipeline::reset_driver(const core::DriverId& driver, std::optional<ingest::Ping> live) {
  Shard& shard = shard_for(driver);
  shard.state.post([&shard, driver, live = std::move(live)] {
    shard.drivers.erase(driver);
    if (!live) return;
    auto& s = shard.drivers[driver].filter;
    s.recent[0] = {live->t.ms, std::llround(live->position.lat() * 1e7), std::llround(live->position.lon() * 1e7)};
    s.recent_count = 1;
    s.recent_next = 1;
    s.live = *live;
  });
}

void IngestPipeline::process_async(const Device& device, std::vector<ingest::UnsafePing> pings,
                                   core::Timestamp received_at, SubmitDone done) {
  {
    std::lock_guard lock(inflight_mu_);
    ++inflight_;
  }
  Shard& shard = shard_for(device.driver);
  // Dispatched: run here at once when the shard is idle (see serial_worker.hpp).
  shard.state.dispatch([this, &shard, device, pings = std::move(pings), received_at, done = std::move(done)]() mutable {
    auto finish = [this, done = std::move(done)](core::Result<IngestOutcome> r) {
      try {
        done(std::move(r));
      } catch (...) {  // `done` must not throw; the write is accounted for either way
      }
      std::lock_guard lock(inflight_mu_);
      if (--inflight_ == 0) inflight_cv_.notify_all();
    };
    Filtered f;
    try {
      f = filter(shard, device, pings, received_at);
    } catch (const std::exception& e) {
      return finish(core::Error{core::ErrorCode::kInternal, std::string("ingest filter failed: ") + e.what(), ""});
    }
    if (f.keep.empty()) return finish(std::move(f.outcome));
    // Enqueued from the shard's thread: a driver's writes commit in the order they were filtered.
    auto keep = std::make_shared<Filtered>(std::move(f));
    store_.append_track_points_async(
        device.tenant, device.driver, keep->keep,
        [this, &shard, device, keep, finish = std::move(finish)](core::Result<int> written) mutable {
          if (!written) {
            // Not durable: the shard forgets these points so that the sender's retry is not mistaken
            // for duplicates. (The live position may have moved to one of them; it is memory only.)
            shard.state.post([&shard, device, keep] { forget(shard.drivers[device.driver].filter, keep->keep); });
            return finish(written.error());
          }
          keep->outcome.stored = *written;
          (*counters_).stored.fetch_add(*written, std::memory_order_relaxed);
          if (!keep->live.empty()) after_commit(shard, device, *keep);
          finish(std::move(keep->outcome));
        });
  });
}

IngestPipeline::Filtered IngestPipeline::filter(Shard& shard, const Device& device, const std::vector<ingest::UnsafePing>& pings,
                                core::Timestamp received_at) {
  Filtered f;
  f.outcome.received = pings.size();
  auto& state = shard.drivers[device.driver].filter;
  for (size_t i = 0; i < pings.size(); ++i) {
    auto r = tracking::filter_ping(state, pings[i], device.driver, received_at, options_.filter);
    switch (r.verdict) {
      case tracking::Verdict::kAccepted:
        ++f.outcome.accepted;
        f.live.push_back(static_cast<uint32_t>(f.keep.size()));
        f.keep.push_back(std::move(*r.ping));
        break;
      case tracking::Verdict::kLate: ++f.outcome.late; f.keep.push_back(std::move(*r.ping)); break;
      case tracking::Verdict::kDuplicate: ++f.outcome.duplicates; break;
      case tracking::Verdict::kRejected: f.outcome.rejected.push_back({i, *r.reason}); break;
    }
  }
  auto& c = (*counters_);
  c.batches.fetch_add(1, std::memory_order_relaxed);
  c.points.fetch_add(pings.size(), std::memory_order_relaxed);
  c.accepted.fetch_add(f.outcome.accepted, std::memory_order_relaxed);
  c.late.fetch_add(f.outcome.late, std::memory_order_relaxed);
  c.duplicates.fetch_add(f.outcome.duplicates, std::memory_order_relaxed);
  c.rejected.fetch_add(f.outcome.rejected.size(), std::memory_order_relaxed);
  return f;
}

void IngestPipeline::after_commit(Shard& shard, const Device& device, const Filtered& f) {
  std::vector<ingest::Ping> live;
  live.reserve(f.live.size());
  for (uint32_t i : f.live) live.push_back(f.keep[i]);
  shard.state.post([this, &shard, device, live = std::move(live)] {
    auto& d = shard.drivers[device.driver];
    auto& tracker = d.tracker_for(device);
    const core::Timestamp now = clock_.now();
    refresh(d, device, now, d.route_dirty);
    TrackerOutput out;
    for (const auto& p : live) tracker.on_ping(p, options_, now, out, &store_);
    tracker.on_position(live.back(), options_, now, out);
    if (sink_) {
      sink_(position_update(device, live.back(), tracker.route_id(), tracker.position_audience()));
      for (const auto& u : out.live) sink_(u);
    }
    auto& c = (*counters_);
    c.geofence_events.fetch_add(out.geofence_events, std::memory_order_relaxed);
    c.exceptions.fetch_add(out.exceptions, std::memory_order_relaxed);
    perform(shard, out.writes);
  });
}

void IngestPipeline::perform(Shard& shard, std::vector<ProgressWrite>& writes) {
  for (auto& w : writes) {
    shard.effects.post([this, w = std::move(w)] {
      if (w.visit || !w.events.empty()) {
        if (auto st = store_.record_route_progress(w.tenant, w.visit, w.events); !st) {
          (*counters_).progress_write_failures.fetch_add(1, std::memory_order_relaxed);
          spdlog::error("route progress not recorded: {}", st.error().message);
        } else if (w.visit && !w.completed_stop_shipments.empty()) {
          const core::Timestamp at = w.visit->departed_at.value_or(clock_.now());
          if (auto found = record_missing_scans(store_, w.tenant, *w.visit, w.completed_stop_shipments, at,
                                                clock_.now());
              !found) {
            (*counters_).progress_write_failures.fetch_add(1, std::memory_order_relaxed);
            spdlog::error("missing-scan check failed: {}", found.error().message);
          }
        }
      }
      if (w.eta_route && !w.etas.empty()) {
        if (auto st = store_.update_stop_etas(w.tenant, *w.eta_route, w.etas); !st) {
          (*counters_).progress_write_failures.fetch_add(1, std::memory_order_relaxed);
          spdlog::error("stop ETAs not recorded: {}", st.error().message);
        }
      }
    });
  }
}

void IngestPipeline::route_changed(const Device& device) {
  Shard& shard = shard_for(device.driver);
  shard.state.post([this, &shard, device] {
    auto& d = shard.drivers[device.driver];
    refresh(d, device, clock_.now(), true);
  });
}

void IngestPipeline::tenant_changed(const core::TenantId& tenant) {
  for (auto& shard : shards_) {
    Shard* sh = shard.get();
    sh->state.post([this, sh, tenant] {
      const core::Timestamp now = clock_.now();
      for (auto& [id, d] : sh->drivers)
        if (d.tracker && d.tracker->device().tenant == tenant) refresh(d, Device{d.tracker->device()}, now, true);
    });
  }
}

void IngestPipeline::refresh(DriverLive& d, const Device& device, core::Timestamp now, bool force) {
  auto& tracker = d.tracker_for(device);
  const uint64_t before = tracker.loads();
  if (tracker.refresh(store_, now, options_.route_refresh_ms, force)) d.route_dirty = false;
  if (tracker.loads() != before) index_route(device, tracker.shipments());
}

void IngestPipeline::index_route(const Device& device, const std::vector<core::ShipmentId>& shipments) {
  std::lock_guard lock(index_mu_);
  for (const auto& id : shipments) shipment_index_.insert_or_assign(id, device);
}

void IngestPipeline::on_event(const domain::Event& event) {
  if (!event.milestone) return;
  std::optional<Device> device;
  {
    std::lock_guard lock(index_mu_);
    auto it = shipment_index_.find(event.shipment_id);
    if (it != shipment_index_.end() && it->second.tenant == event.tenant_id) device = it->second;
  }
  if (!device) return;
  Shard& shard = shard_for(device->driver);
  shard.state.post([this, &shard, d = *device, id = event.shipment_id, m = *event.milestone] {
    auto it = shard.drivers.find(d.driver);
    if (it == shard.drivers.end() || !it->second.tracker) return;
    TrackerOutput out;
    it->second.tracker->on_status(id, m, clock_.now(), out);
    perform(shard, out.writes);
  });
}

void IngestPipeline::tick() {
  for (auto& shard_ptr : shards_) {
    Shard* shard = shard_ptr.get();
    shard->state.post([this, shard] {
      const core::Timestamp now = clock_.now();
      auto& c = (*counters_);
      for (auto& [driver, d] : shard->drivers) {
        if (!d.tracker || !d.tracker->has_route()) continue;
        refresh(d, Device{d.tracker->device()}, now, d.route_dirty);
        TrackerOutput out;
        d.tracker->on_tick(now, options_, out);
        c.exceptions.fetch_add(out.exceptions, std::memory_order_relaxed);
        if (sink_)
          for (const auto& u : out.live) sink_(u);
        perform(*shard, out.writes);
      }
    });
  }
}

void IngestPipeline::drain() {
  {
    std::unique_lock lock(inflight_mu_);  // their completions post to the shards: wait for them first
    inflight_cv_.wait(lock, [this] { return inflight_ == 0; });
  }
  for (auto& s : shards_) {
    s->state.drain();
    s->effects.drain();
  }
}

PipelineStats IngestPipeline::stats() const {
  auto& c = (*counters_);
  PipelineStats s;
  s.batches = c.batches.load();
  s.points = c.points.load();
  s.accepted = c.accepted.load();
  s.late = c.late.load();
  s.duplicates = c.duplicates.load();
  s.rejected = c.rejected.load();
  s.stored = c.stored.load();
  s.geofence_events = c.geofence_events.load();
  s.exceptions = c.exceptions.load();
  s.progress_write_failures = c.progress_write_failures.load();
  return s;
}

}  // namespace lastmile::pipeline
