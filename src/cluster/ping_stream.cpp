#include "cluster/ping_stream.hpp"

#include <spdlog/spdlog.h>

#include "cluster/shard_hash.hpp"

namespace lastmile::cluster {

core::Status ensure_ping_stream(NatsConnection& nats, const PingStreamOptions& options) {
  const std::string subjects = "lastmile.pings.*";
  const char* subject_list[] = {subjects.c_str()};
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = options.stream.c_str();
  cfg.Subjects = subject_list;
  cfg.SubjectsLen = 1;
  cfg.Storage = js_FileStorage;
  cfg.Replicas = options.replicas;
  cfg.MaxAge = options.max_age_s * 1'000'000'000LL;
  cfg.Retention = js_WorkQueuePolicy;  // a batch leaves the stream once its shard's consumer acked it
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_AddStream(&info, nats.js(), &cfg, nullptr, &code);
  if (s != NATS_OK && code == JSStreamNameExistErr) s = js_UpdateStream(&info, nats.js(), &cfg, nullptr, &code);
  if (info) jsStreamInfo_Destroy(info);
  if (s != NATS_OK) return nats_error(s, "create stream " + options.stream, code);
  return {};
}

PingPublisher::PingPublisher(NatsConnection& nats, PingStreamOptions options)
    : nats_(nats), options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.publishers); ++i) {
    workers_.push_back(std::make_unique<Worker>());
    Worker* w = workers_.back().get();
    w->thread = std::thread([this, w] { run(*w); });
  }
}

PingPublisher::~PingPublisher() {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mu);
      w->stopping = true;
    }
    w->cv.notify_all();
  }
  for (auto& w : workers_) w->thread.join();
}

void PingPublisher::publish(PingBatch batch, Done done) {
  Worker& w = *workers_[fnv1a64(batch.driver.str()) % workers_.size()];
  {
    std::lock_guard lock(w.mu);
    if (w.queue.size() < options_.max_queue && !w.stopping) {
      w.queue.emplace_back(std::move(batch), std::move(done));
      w.cv.notify_one();
      return;
    }
  }
  failed_.fetch_add(1);
  done(core::Error{core::ErrorCode::kUnavailable, "the ping stream is overloaded; retry later", ""});
}

void PingPublisher::run(Worker& w) {
  std::unique_lock lock(w.mu);
  for (;;) {
    w.cv.wait(lock, [&w] { return w.stopping || !w.queue.empty(); });
    if (w.queue.empty()) return;  // stopping, nothing left
    auto [batch, done] = std::move(w.queue.front());
    w.queue.pop_front();
    const bool stopping = w.stopping;
    lock.unlock();
    const std::string subject = ping_subject(shard_of(batch.driver.str(), options_.shards));
    const bool give_up = stopping && !nats_.connected();  // at shutdown, no timeout per batch
    core::Status st = give_up ? core::Status(core::Error{core::ErrorCode::kUnavailable, "shutting down", ""})
                              : nats_.js_publish(subject, encode_ping_batch(batch), options_.publish_timeout_ms);
    if (st) {
      published_.fetch_add(1);
    } else {
      failed_.fetch_add(1);
      spdlog::warn("cluster: ping batch not stored: {}", st.error().message);
    }
    try {
      done(std::move(st));
    } catch (...) {  // `done` must not throw
    }
    lock.lock();
  }
}

}  // namespace lastmile::cluster
