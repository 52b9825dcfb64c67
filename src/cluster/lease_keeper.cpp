#include "cluster/lease_keeper.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cluster/shard_hash.hpp"

namespace lastmile::cluster {

namespace {

constexpr const char* kBucket = "LASTMILE_LEASES";
constexpr const char* kNodesSubject = "lastmile.nodes";
constexpr const char* kLeaderKey = "leader";

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string shard_key(uint32_t shard) { return "shard-" + std::to_string(shard); }

}  // namespace

core::Result<kvStore*> open_lease_bucket(NatsConnection& nats, const LeaseKeeperOptions& options) {
  kvStore* kv = nullptr;
  if (js_KeyValue(&kv, nats.js(), kBucket) == NATS_OK) return kv;
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = kBucket;
  cfg.History = 1;
  cfg.TTL = options.params.ttl_ms * 1'000'000;  // nanoseconds
  cfg.StorageType = js_FileStorage;
  cfg.Replicas = options.replicas;
  natsStatus s = js_CreateKeyValue(&kv, nats.js(), &cfg);
  if (s != NATS_OK) return nats_error(s, "create lease bucket");
  return kv;
}

LeaseKeeper::LeaseKeeper(NatsConnection& nats, kvStore* bucket, LeaseKeeperOptions options,
                         const ConsumerHooks& hooks, ConsumerCounters& counters)
    : nats_(nats), bucket_(bucket), options_(std::move(options)), hooks_(hooks), counters_(counters),
      offset_(shard_of(options_.node_id, options_.shards)) {
  auto sub = nats_.subscribe(kNodesSubject, [this](std::string_view, std::string_view node) {
    std::lock_guard lock(seen_mu_);
    seen_[std::string(node)] = steady_ms();
  });
  if (sub) nodes_sub_ = std::move(*sub);
  else spdlog::warn("cluster: {}", sub.error().message);
  thread_ = std::thread([this] { run(); });
}

bool LeaseKeeper::leader() const {
  // Also checked here, not only by the keeper's thread, which may be waiting on a slow call.
  return leader_flag_.load() &&
         lease_usable(HeldLease{0, 0, leader_renewed_at_.load()}, steady_ms(), options_.params);
}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  nodes_sub_.reset();
  kvStore_Destroy(bucket_);
}

void LeaseKeeper::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    tick(steady_ms());
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(options_.tick_ms), [this] { return stopping_; });
  }
  lock.unlock();
  // A clean stop hands everything over at once instead of after the TTL.
  if (leader_lease_) {
    leader_flag_ = false;
    if (nats_.connected()) kvStore_Delete(bucket_, kLeaderKey);
  }
  for (auto& [shard, consumer] : consumers_) consumer->request_stop();
  const bool reachable = nats_.connected();  // else the keys just expire (no 2 s timeout per key)
  while (!held_.empty()) drop(held_.begin()->first, reachable);
}

core::Result<uint64_t> LeaseKeeper::create(const std::string& key) {
  uint64_t rev = 0;
  natsStatus s = kvStore_Create(&rev, bucket_, key.c_str(), options_.node_id.data(),
                                static_cast<int>(options_.node_id.size()));
  if (s != NATS_OK) {
    return nats_error(s, "acquire " + key);
  }
  return rev;
}

core::Result<uint64_t> LeaseKeeper::update(const std::string& key, uint64_t revision) {
  uint64_t rev = 0;
  natsStatus s = kvStore_Update(&rev, bucket_, key.c_str(), options_.node_id.data(),
                                static_cast<int>(options_.node_id.size()), revision);
  if (s != NATS_OK) {
    return nats_error(s, "renew " + key);
  }
  return rev;
}

core::Result<uint64_t> LeaseKeeper::reacquire(const std::string& key, std::unordered_map<uint32_t, uint64_t>& lapsed,
                                               uint32_t id) {
  // A lease this node let lapse (e.g. NATS failing over) is still its own while the key holds the
  // revision it wrote last: nobody else acquired it meanwhile, so it is taken back at once instead
  // of after the TTL. Otherwise (expired or taken), a plain create-if-absent.
  if (auto it = lapsed.find(id); it != lapsed.end()) {
    const uint64_t revision = it->second;
    lapsed.erase(it);
    if (auto rev = update(key, revision)) return rev;
  }
  return create(key);
}

void LeaseKeeper::drop(uint32_t shard, bool delete_key) {
  consumers_.erase(shard);  // waits for its batches in flight
  held_.erase(shard);
  held_count_ = held_.size();
  if (delete_key) kvStore_Delete(bucket_, shard_key(shard).c_str());
}

void LeaseKeeper::heartbeat(int64_t now) {
  if (now - last_heartbeat_ < 1'000) return;
  last_heartbeat_ = now;
  (void)nats_.publish(kNodesSubject, options_.node_id);
  std::lock_guard lock(seen_mu_);
  std::erase_if(seen_, [now, this](const auto& e) { return now - e.second > 3 * 1'000 || e.first == options_.node_id; });
  live_nodes_ = seen_.size() + 1;
}

void LeaseKeeper::tick_leader(int64_t now, bool reachable) {
  if (leader_lease_) {
    if (!lease_usable(*leader_lease_, now, options_.params)) {
      leader_flag_ = false;
      lapsed_leader_[0] = leader_lease_->revision;
      leader_lease_.reset();
      spdlog::warn("cluster: outbox leadership lost (not renewed in time)");
    } else if (reachable && renewal_due(*leader_lease_, now, options_.params)) {
      if (auto rev = update(kLeaderKey, leader_lease_->revision)) {
        leader_lease_->revision = *rev;
        leader_lease_->renewed_at_ms = now;
        leader_renewed_at_ = now;
      }
    }
    return;
  }
  if (!reachable || (now - last_leader_try_ < 1'000 && last_leader_try_ != 0)) return;
  last_leader_try_ = now;
  if (auto rev = reacquire(kLeaderKey, lapsed_leader_, 0)) {
    leader_lease_ = HeldLease{0, *rev, now};
    leader_renewed_at_ = now;
    leader_flag_ = true;
    spdlog::info("cluster: this node sends the outbox (leader)");
  }
}

bool LeaseKeeper::stop_requested() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void LeaseKeeper::tick(int64_t now) {
  heartbeat(now);
  // Disconnected, every KV call would wait for its timeout: only give up what lapsed, and let the
  // client library reconnect.
  const bool reachable = nats_.connected();
  std::vector<HeldLease> held;
  for (const auto& [shard, lease] : held_) held.push_back(lease);
  const LeasePlan plan = plan_leases(held, options_.shards, live_nodes_.load(), offset_, now, options_.params);
  for (const auto* list : {&plan.expire, &plan.release})  // all at once: each waits for a fetch
    for (uint32_t s : *list)
      if (auto it = consumers_.find(s); it != consumers_.end()) it->second->request_stop();
  for (uint32_t s : plan.expire) {
    spdlog::warn("cluster: lease of shard {} not renewed in time; stopping it", s);
    lapsed_[s] = held_[s].revision;
    drop(s, false);
  }
  if (!reachable) {
    tick_leader(now, false);
    return;
  }
  for (uint32_t s : plan.release) drop(s, true);
  for (uint32_t s : plan.renew) {
    if (stop_requested()) return;
    auto& lease = held_[s];
    // Each call may wait for a timeout (NATS failing over): a lease that lapsed meanwhile goes now.
    if (!lease_usable(lease, steady_ms(), options_.params)) {
      spdlog::warn("cluster: lease of shard {} not renewed in time; stopping it", s);
      lapsed_[s] = lease.revision;
      drop(s, false);
      continue;
    }
    const int64_t sent = steady_ms();  // the key's TTL restarts after this: the safe side
    if (auto rev = update(shard_key(s), lease.revision)) {
      lease.revision = *rev;
      lease.renewed_at_ms = sent;
    }
  }
  tick_leader(steady_ms(), true);
  if (plan.want == 0 || (now - last_acquire_try_ < 1'000 && last_acquire_try_ != 0)) return;
  last_acquire_try_ = now;
  size_t want = plan.want;
  for (uint32_t s : plan.try_acquire) {
    if (want == 0 || stop_requested()) break;
    const int64_t sent = steady_ms();
    auto rev = reacquire(shard_key(s), lapsed_, s);
    if (!rev) continue;
    held_[s] = HeldLease{s, *rev, sent};
    held_count_ = held_.size();
    acquired_.fetch_add(1);
    consumers_[s] = std::make_unique<ShardConsumer>(nats_, options_.stream, s, hooks_, counters_);
    --want;
  }
}

}  // namespace lastmile::cluster
