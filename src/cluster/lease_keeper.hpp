#pragma once
// Carries out the lease plan (lease_planner.hpp) against the NATS KV bucket LASTMILE_LEASES (TTL =
// LeaseParams::ttl_ms, so a dead node's keys vanish): keys "shard-<n>" and "leader", value = the
// node id. Create-if-absent acquires, update-with-revision renews, delete releases. Live nodes are
// counted from heartbeats on lastmile.nodes (one per second per node).
//
// A held shard runs a ShardConsumer; the leader flag gates the outbox senders (docs/cluster.md).
// Threading: one thread; leader() and the counts from any thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "cluster/lease_planner.hpp"
#include "cluster/nats_connection.hpp"
#include "cluster/shard_consumer.hpp"

namespace lastmile::cluster {

struct LeaseKeeperOptions {
  std::string node_id;
  std::string stream = "LASTMILE_PINGS";
  uint32_t shards = 16;
  int replicas = 1;
  LeaseParams params;
  int64_t tick_ms = 200;
};

// Creates the bucket when missing. Errors: kUnavailable.
core::Result<kvStore*> open_lease_bucket(NatsConnection& nats, const LeaseKeeperOptions& options);

class LeaseKeeper {
 public:
  // Takes ownership of `bucket`. `hooks` and `counters` outlive the keeper.
  LeaseKeeper(NatsConnection& nats, kvStore* bucket, LeaseKeeperOptions options, const ConsumerHooks& hooks,
              ConsumerCounters& counters);
  ~LeaseKeeper();  // stops every consumer and deletes this node's keys (a clean hand-over)
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Whether this node holds the outbox lease now (false once it lapsed, even before the keeper's
  // thread noticed).
  bool leader() const;
  size_t shards_held() const { return held_count_.load(); }
  size_t live_nodes() const { return live_nodes_.load(); }
  uint64_t takeovers() const { return acquired_.load(); }

 private:
  void run();
  void tick(int64_t now);
  void tick_leader(int64_t now, bool reachable);
  bool stop_requested();
  void heartbeat(int64_t now);
  core::Result<uint64_t> create(const std::string& key);
  core::Result<uint64_t> update(const std::string& key, uint64_t revision);
  core::Result<uint64_t> reacquire(const std::string& key, std::unordered_map<uint32_t, uint64_t>& lapsed, uint32_t id);
  void drop(uint32_t shard, bool delete_key);

  NatsConnection& nats_;
  kvStore* bucket_;
  LeaseKeeperOptions options_;
  const ConsumerHooks& hooks_;
  ConsumerCounters& counters_;
  uint32_t offset_;
  // Keeper thread only:
  std::map<uint32_t, HeldLease> held_;
  std::unordered_map<uint32_t, std::unique_ptr<ShardConsumer>> consumers_;
  std::optional<HeldLease> leader_lease_;
  // Leases that lapsed here (not renewed in time): the revision this node wrote last.
  std::unordered_map<uint32_t, uint64_t> lapsed_, lapsed_leader_;
  int64_t last_acquire_try_ = 0, last_leader_try_ = 0, last_heartbeat_ = 0;
  std::unique_ptr<NatsConnection::Subscription> nodes_sub_;
  std::mutex seen_mu_;
  std::unordered_map<std::string, int64_t> seen_;  // GUARDED_BY(seen_mu_): node id → last heartbeat
  std::atomic<bool> leader_flag_{false};
  std::atomic<int64_t> leader_renewed_at_{0};
  std::atomic<size_t> held_count_{0}, live_nodes_{1};
  std::atomic<uint64_t> acquired_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace lastmile::cluster
