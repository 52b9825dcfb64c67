#pragma once
// The processing side of one ping-stream shard, run only by the node holding the shard's lease
// (lease_keeper.hpp): a durable pull consumer "shard-<n>" (explicit acks) whose messages are handed,
// in stream order, to the local pipeline's processing path; each message is acked only after the
// store committed its points (a failed write is nak'ed and redelivered a second later). A message
// that does not decode is terminated (never redelivered) and counted.
//
// Takeover: before the first batch of a driver since this consumer started, `adopt` rebuilds that
// driver's in-memory state from the store; when the consumer stops, `release` drops it, so a node
// never acts (e.g. offline checks) on a driver it no longer owns.
//
// Threading: one thread per consumer; the hooks run on it, `process`'s completion on any thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "cluster/nats_connection.hpp"
#include "cluster/ping_codec.hpp"

namespace lastmile::cluster {

struct ConsumerHooks {
  // Filter → durable write → geofence → live for one batch; `done` once committed (or failed).
  std::function<void(PingBatch, std::function<void(core::Status)> done)> process;
  std::function<void(const core::TenantId&, const core::DriverId&)> adopt;
  std::function<void(const core::DriverId&)> release;
};

struct ConsumerCounters {
  std::atomic<uint64_t> fetched{0}, acked{0}, nacked{0}, bad{0};
};

class ShardConsumer {
 public:
  ShardConsumer(NatsConnection& nats, std::string stream, uint32_t shard, const ConsumerHooks& hooks,
                ConsumerCounters& counters);
  // Stops fetching, waits for the batches in flight (acked or nak'ed), releases the adopted drivers.
  ~ShardConsumer();
  ShardConsumer(const ShardConsumer&) = delete;
  // Stops fetching without waiting (the destructor then waits less): lets a node give up several
  // shards at once.
  void request_stop();
  ShardConsumer& operator=(const ShardConsumer&) = delete;

 private:
  void run();
  bool bind(natsSubscription** sub);

  NatsConnection& nats_;
  const std::string stream_;
  const uint32_t shard_;
  const ConsumerHooks& hooks_;
  ConsumerCounters& counters_;
  std::set<std::pair<std::string, std::string>> adopted_;  // (tenant, driver); consumer thread only
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  size_t inflight_ = 0;    // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace lastmile::cluster
