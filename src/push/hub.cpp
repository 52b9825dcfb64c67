#include "push/hub.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_set>

namespace lastmile::push {
namespace {

std::vector<Topic> without_duplicates(std::vector<Topic> topics) {
  std::unordered_set<Topic> seen;
  seen.reserve(topics.size());
  std::vector<Topic> out;
  out.reserve(topics.size());
  for (auto& t : topics)
    if (seen.insert(t).second) out.push_back(std::move(t));
  return out;
}

}  // namespace

// ---- Subscription -----------------------------------------------------------------------------

Subscription::Subscription(std::vector<Topic> topics, Audience audience, std::function<void()> wake,
                           OutboxLimits limits)
    : topics_(without_duplicates(std::move(topics))),
      audience_(audience),
      slots_(topics_.size(), 0),
      outbox_(limits),
      wake_(std::move(wake)) {}

bool Subscription::take(std::vector<LiveMessagePtr>& out) {
  std::lock_guard lock(mu_);
  if (lagging_) return false;
  const size_t before = out.size();
  outbox_.take(out);
  waiting_ = out.size() == before;
  return true;
}

bool Subscription::lagging() const {
  std::lock_guard lock(mu_);
  return lagging_;
}

Subscription::Offer Subscription::offer(const LiveMessagePtr& m) {
  if (!m->json_for(audience_)) return Offer::kIgnored;
  std::lock_guard lock(mu_);
  if (lagging_) return Offer::kIgnored;
  const bool wake_now = waiting_;
  switch (outbox_.push(m)) {
    case Outbox::Offer::kCoalesced:
      return Offer::kCoalesced;  // an unsent position was there: the writer is already due
    case Outbox::Offer::kQueued:
      waiting_ = false;
      return wake_now ? Offer::kQueuedWake : Offer::kQueued;
    case Outbox::Offer::kOverflow:
      lagging_ = true;
      waiting_ = false;
      outbox_.clear();  // the client resumes from its last event id; nothing queued is needed
      return Offer::kClosedNow;
  }
  return Offer::kIgnored;
}

void Subscription::wake() {
  std::lock_guard lock(mu_);
  if (wake_) wake_();
}

void Subscription::detach() {
  std::function<void()> dropped;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  dropped.swap(wake_);
  outbox_.clear();
}

// ---- Hub::Handle ------------------------------------------------------------------------------

Hub::Handle& Hub::Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    hub_ = o.hub_;
    sub_ = std::move(o.sub_);
    o.hub_ = nullptr;
  }
  return *this;
}

void Hub::Handle::reset() {
  if (hub_ && sub_) hub_->unsubscribe(sub_);
  hub_ = nullptr;
  sub_.reset();
}

// ---- Hub --------------------------------------------------------------------------------------

Hub::Hub(HubOptions options) : options_(std::move(options)) {
  const size_t n = std::max<size_t>(1, options_.shards);
  shards_.reserve(n);
  for (size_t i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>());
}

Hub::Handle Hub::subscribe(std::vector<Topic> topics, Audience audience, std::function<void()> wake) {
  auto sub = std::make_shared<Subscription>(std::move(topics), audience, std::move(wake), options_.outbox);
  sub->shard_ = next_shard_.fetch_add(1, std::memory_order_relaxed) % shards_.size();
  Shard& shard = *shards_[sub->shard_];
  {
    std::lock_guard lock(shard.mu);
    for (uint32_t i = 0; i < sub->topics_.size(); ++i) {
      auto& members = shard.index[sub->topics_[i]];
      sub->slots_[i] = static_cast<uint32_t>(members.size());
      members.push_back(Member{sub, i});
    }
  }
  subscribers_.fetch_add(1, std::memory_order_relaxed);
  return Handle(this, std::move(sub));
}

void Hub::unsubscribe(const std::shared_ptr<Subscription>& sub) {
  Shard& shard = *shards_[sub->shard_];
  {
    std::lock_guard lock(shard.mu);
    for (uint32_t i = 0; i < sub->topics_.size(); ++i) {
      auto it = shard.index.find(sub->topics_[i]);
      assert(it != shard.index.end());
      auto& members = it->second;
      const uint32_t slot = sub->slots_[i];
      assert(slot < members.size() && members[slot].sub == sub);
      if (slot + 1 != members.size()) {
        members[slot] = std::move(members.back());
        members[slot].sub->slots_[members[slot].topic_index] = slot;
      }
      members.pop_back();
      if (members.empty()) shard.index.erase(it);
    }
  }
  sub->detach();
  subscribers_.fetch_sub(1, std::memory_order_relaxed);
}

void Hub::note_event_seq(int64_t seq) {
  int64_t cur = last_event_seq_.load(std::memory_order_relaxed);
  while (seq > cur && !last_event_seq_.compare_exchange_weak(cur, seq, std::memory_order_release)) {
  }
}

PublishStats Hub::publish(LiveMessage m) {
  if (m.kind == LiveMessage::Kind::kEvent) note_event_seq(m.event_seq);
  const LiveMessagePtr msg = std::make_shared<const LiveMessage>(std::move(m));
  PublishStats stats;
  std::vector<std::shared_ptr<Subscription>> to_wake;
  for (auto& shard_ptr : shards_) {
    Shard& shard = *shard_ptr;
    std::lock_guard lock(shard.mu);
    if (shard.index.empty()) continue;
    const uint64_t stamp = ++shard.publishes;
    for (const Topic& topic : msg->topics) {
      auto it = shard.index.find(topic);
      if (it == shard.index.end()) continue;
      for (const Member& member : it->second) {
        Subscription& sub = *member.sub;
        if (sub.stamp_ == stamp) continue;  // already reached through another of its topics
        sub.stamp_ = stamp;
        switch (sub.offer(msg)) {
          case Subscription::Offer::kQueuedWake:
            to_wake.push_back(member.sub);
            ++stats.queued;
            break;
          case Subscription::Offer::kQueued:
            ++stats.queued;
            break;
          case Subscription::Offer::kCoalesced:
            ++stats.queued;
            ++stats.coalesced;
            break;
          case Subscription::Offer::kClosedNow:
            to_wake.push_back(member.sub);
            ++stats.closed_lagging;
            break;
          case Subscription::Offer::kIgnored:
            break;
        }
      }
    }
  }
  for (const auto& sub : to_wake) sub->wake();
  if (options_.on_publish && (stats.queued || stats.closed_lagging)) options_.on_publish(stats);
  return stats;
}

}  // namespace lastmile::push
