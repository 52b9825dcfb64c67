#pragma once
// Cluster mode of one lastmile node (docs/cluster.md): the NATS connection, the ping stream's
// publisher, the shard and leader leases with their consumers, the live relay between nodes and the
// event-log notices. The node knows nothing of HTTP or storage: the app wires it through the hooks.
//
// Threading: every method is thread-safe. Hooks are called from the cluster's threads (consumers,
// the library's subscription threads); they must be quick and must not call stop().

#include <memory>
#include <string>
#include <vector>

#include "cluster/lease_keeper.hpp"
#include "cluster/live_codec.hpp"
#include "cluster/nats_connection.hpp"
#include "cluster/ping_stream.hpp"

namespace lastmile::cluster {

struct ClusterOptions {
  std::vector<std::string> servers;  // nats://host:port
  std::string node_id;
  uint32_t shards = 16;
  LeaseParams lease;
};

struct ClusterHooks {
  ConsumerHooks consumer;                          // a held shard's batches
  std::function<void(const LiveFrame&)> on_live;   // a live update from another node
  std::function<void()> on_events_notice;          // another node committed events
};

struct ClusterStats {
  bool connected = false, leader = false;
  uint64_t published = 0, publish_failed = 0, fetched = 0, acked = 0, nacked = 0, bad_messages = 0;
  uint64_t live_out = 0, live_in = 0, reconnects = 0, takeovers = 0;
  size_t shards_held = 0, live_nodes = 1;
};

class ClusterNode {
 public:
  // Connects, creates the stream and the lease bucket when missing, and starts taking leases.
  // Errors: kUnavailable (no server answers, JetStream refused), kInvalidField (bad options).
  static core::Result<std::unique_ptr<ClusterNode>> start(ClusterOptions options, ClusterHooks hooks);
  // Hands over: stops the consumers (their batches in flight finish), deletes this node's leases.
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  // Appends a batch to its driver's shard of the ping stream; `done` once stored (or failed).
  void publish_batch(PingBatch batch, PingPublisher::Done done);
  // Best effort (core NATS): other nodes' hubs get it.
  void publish_live(const LiveFrame& frame);
  // Best effort: tells the other nodes that events were committed (their event tails wake up).
  void notify_events();

  bool connected() const { return nats_->connected(); }
  bool leader() const { return keeper_ && keeper_->leader(); }
  ClusterStats stats() const;
  const std::string& node_id() const { return options_.node_id; }

 private:
  ClusterNode() = default;

  ClusterOptions options_;
  ClusterHooks hooks_;
  ConsumerCounters counters_;
  std::atomic<uint64_t> live_out_{0}, live_in_{0};
  // Destroyed in reverse: subscriptions and the keeper first, the connection last.
  std::unique_ptr<NatsConnection> nats_;
  std::unique_ptr<PingPublisher> publisher_;
  std::unique_ptr<NatsConnection::Subscription> live_sub_, events_sub_;
  std::unique_ptr<LeaseKeeper> keeper_;
};

}  // namespace lastmile::cluster
