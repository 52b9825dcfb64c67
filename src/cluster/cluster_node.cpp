#include "cluster/cluster_node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace lastmile::cluster {

namespace {
constexpr const char* kEventsSubject = "lastmile.events";
}

core::Result<std::unique_ptr<ClusterNode>> ClusterNode::start(ClusterOptions options, ClusterHooks hooks) {
  if (options.servers.empty()) return core::Error::invalid_field("cluster", "no NATS server given");
  if (options.shards == 0 || options.shards > 1024)
    return core::Error::invalid_field("cluster_shards", "must be in [1, 1024]");
  std::unique_ptr<ClusterNode> node(new ClusterNode());
  node->options_ = std::move(options);
  node->hooks_ = std::move(hooks);
  auto nats = NatsConnection::connect({node->options_.servers, node->options_.node_id});
  if (!nats) return nats.error();
  node->nats_ = std::move(*nats);
  const int replicas = static_cast<int>(std::min<size_t>(3, node->options_.servers.size()));
  PingStreamOptions stream;
  stream.shards = node->options_.shards;
  stream.replicas = replicas;
  // A cluster that just started may still be electing its JetStream leader: retry for a while.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    auto st = ensure_ping_stream(*node->nats_, stream);
    if (st) break;
    if (std::chrono::steady_clock::now() > give_up) return st.error();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  node->publisher_ = std::make_unique<PingPublisher>(*node->nats_, stream);
  ClusterNode* self = node.get();
  auto live = node->nats_->subscribe("lastmile.live.>", [self](std::string_view, std::string_view data) {
    auto frame = decode_live_frame(data);
    if (!frame) {
      spdlog::warn("cluster: bad live frame dropped: {}", frame.error().message);
      return;
    }
    self->live_in_.fetch_add(1);
    if (self->hooks_.on_live) self->hooks_.on_live(*frame);
  });
  if (!live) return live.error();
  node->live_sub_ = std::move(*live);
  auto events = node->nats_->subscribe(kEventsSubject, [self](std::string_view, std::string_view) {
    if (self->hooks_.on_events_notice) self->hooks_.on_events_notice();
  });
  if (!events) return events.error();
  node->events_sub_ = std::move(*events);
  LeaseKeeperOptions lk;
  lk.node_id = node->options_.node_id;
  lk.stream = stream.stream;
  lk.shards = node->options_.shards;
  lk.replicas = replicas;
  lk.params = node->options_.lease;
  auto bucket = open_lease_bucket(*node->nats_, lk);
  while (!bucket && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    bucket = open_lease_bucket(*node->nats_, lk);
  }
  if (!bucket) return bucket.error();
  node->keeper_ = std::make_unique<LeaseKeeper>(*node->nats_, *bucket, lk, node->hooks_.consumer, node->counters_);
  spdlog::info("cluster: node {} joined ({} NATS server(s) listed, {} shards, stream replicas {})",
               node->options_.node_id, node->options_.servers.size(), node->options_.shards, replicas);
  return node;
}

ClusterNode::~ClusterNode() {
  keeper_.reset();
  events_sub_.reset();
  live_sub_.reset();
  publisher_.reset();
  if (nats_) natsConnection_FlushTimeout(nats_->raw(), 1'000);
}

void ClusterNode::publish_batch(PingBatch batch, PingPublisher::Done done) {
  publisher_->publish(std::move(batch), std::move(done));
}

void ClusterNode::publish_live(const LiveFrame& frame) {
  if (nats_->publish(live_subject(frame.tenant), encode_live_frame(frame))) live_out_.fetch_add(1);
}

void ClusterNode::notify_events() { (void)nats_->publish(kEventsSubject, ""); }

ClusterStats ClusterNode::stats() const {
  ClusterStats s;
  s.connected = connected();
  s.leader = leader();
  s.published = publisher_->published();
  s.publish_failed = publisher_->failed();
  s.fetched = counters_.fetched.load();
  s.acked = counters_.acked.load();
  s.nacked = counters_.nacked.load();
  s.bad_messages = counters_.bad.load();
  s.live_out = live_out_.load();
  s.live_in = live_in_.load();
  s.reconnects = nats_->reconnects();
  s.takeovers = keeper_ ? keeper_->takeovers() : 0;
  s.shards_held = keeper_ ? keeper_->shards_held() : 0;
  s.live_nodes = keeper_ ? keeper_->live_nodes() : 1;
  return s;
}

}  // namespace lastmile::cluster
