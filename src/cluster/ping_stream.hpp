#pragma once
// The ping stream (docs/cluster.md): JetStream stream LASTMILE_PINGS over subjects
// lastmile.pings.<shard>, file storage, replicated on min(3, servers) servers. PingPublisher is the
// write side: it publishes each accepted batch to its driver's shard subject and reports once the
// stream has stored it (PubAck) — only then is the device acknowledged.
//
// Order: a driver's batches are published in the order publish() was called for them (one
// publishing thread per driver, chosen by the driver's hash).
// Threading: publish() from any thread; `done` runs on a publishing thread (quick, must not throw).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/nats_connection.hpp"
#include "cluster/ping_codec.hpp"

namespace lastmile::cluster {

struct PingStreamOptions {
  std::string stream = "LASTMILE_PINGS";
  uint32_t shards = 16;
  int replicas = 1;
  int64_t max_age_s = 7 * 24 * 3600;  // unprocessed pings are kept this long at most
  int publishers = 4;                 // publishing threads
  size_t max_queue = 20'000;          // batches waiting per thread; beyond: kUnavailable at once
  int64_t publish_timeout_ms = 5'000;
};

// Creates the stream, or updates its configuration when it exists. Errors: kUnavailable.
core::Status ensure_ping_stream(NatsConnection& nats, const PingStreamOptions& options);

class PingPublisher {
 public:
  PingPublisher(NatsConnection& nats, PingStreamOptions options);
  ~PingPublisher();  // publishes what is queued, then joins
  PingPublisher(const PingPublisher&) = delete;
  PingPublisher& operator=(const PingPublisher&) = delete;

  using Done = std::function<void(core::Status)>;
  // `done` gets OK once stored, or kUnavailable (no PubAck within the timeout, queue full, NATS down).
  void publish(PingBatch batch, Done done);

  uint64_t published() const { return published_.load(); }
  uint64_t failed() const { return failed_.load(); }

 private:
  struct Worker {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<PingBatch, Done>> queue;  // GUARDED_BY(mu)
    bool stopping = false;                         // GUARDED_BY(mu)
    std::thread thread;
  };
  void run(Worker& w);

  NatsConnection& nats_;
  PingStreamOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<uint64_t> published_{0}, failed_{0};
};

}  // namespace lastmile::cluster
