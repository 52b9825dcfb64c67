#include "cluster/shard_consumer.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "cluster/shard_hash.hpp"

namespace lastmile::cluster {

namespace {
constexpr int kFetchBatch = 64;
constexpr size_t kMaxInflight = 256;
constexpr int64_t kFetchWaitMs = 500;
constexpr int64_t kRetryDelayMs = 1'000;
}  // namespace

ShardConsumer::ShardConsumer(NatsConnection& nats, std::string stream, uint32_t shard, const ConsumerHooks& hooks,
                             ConsumerCounters& counters)
    : nats_(nats), stream_(std::move(stream)), shard_(shard), hooks_(hooks), counters_(counters) {
  thread_ = std::thread([this] { run(); });
}

void ShardConsumer::request_stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

ShardConsumer::~ShardConsumer() {
  request_stop();
  thread_.join();
}

bool ShardConsumer::bind(natsSubscription** sub) {
  const std::string durable = "shard-" + std::to_string(shard_);
  const std::string subject = ping_subject(shard_);
  jsConsumerConfig cc;
  jsConsumerConfig_Init(&cc);
  cc.Durable = durable.c_str();
  cc.FilterSubject = subject.c_str();
  cc.AckPolicy = js_AckExplicit;
  cc.DeliverPolicy = js_DeliverAll;
  cc.AckWait = 5'000'000'000LL;  // a dead holder's unacked batches come back after this
  cc.MaxAckPending = 1'000;
  cc.MaxDeliver = -1;
  jsConsumerInfo* ci = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_AddConsumer(&ci, nats_.js(), stream_.c_str(), &cc, nullptr, &code);
  if (ci) jsConsumerInfo_Destroy(ci);
  if (s != NATS_OK && code != JSConsumerNameExistErr) {
    spdlog::warn("cluster: shard {}: {}", shard_, nats_error(s, "create consumer", code).message);
    return false;
  }
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream_.c_str();
  so.Consumer = durable.c_str();
  s = js_PullSubscribe(sub, nats_.js(), subject.c_str(), durable.c_str(), nullptr, &so, &code);
  if (s != NATS_OK) {
    spdlog::warn("cluster: shard {}: {}", shard_, nats_error(s, "bind consumer", code).message);
    return false;
  }
  return true;
}

void ShardConsumer::run() {
  natsSubscription* sub = nullptr;
  auto stopping = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  while (!stopping() && !bind(&sub)) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
  }
  if (sub) spdlog::info("cluster: processing ping shard {}", shard_);
  while (sub) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || inflight_ < kMaxInflight; });
      if (stopping_) break;
    }
    natsMsgList list{};
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = natsSubscription_Fetch(&list, sub, kFetchBatch, kFetchWaitMs, &code);
    if (s == NATS_TIMEOUT) continue;
    if (s != NATS_OK) {
      natsMsgList_Destroy(&list);
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; });
      continue;
    }
    for (int i = 0; i < list.Count; ++i) {
      std::shared_ptr<natsMsg> msg(list.Msgs[i], natsMsg_Destroy);
      list.Msgs[i] = nullptr;
      counters_.fetched.fetch_add(1);
      auto batch = decode_ping_batch(
          std::string_view(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get()))));
      if (!batch) {
        counters_.bad.fetch_add(1);
        spdlog::error("cluster: shard {}: undecodable ping message dropped: {}", shard_, batch.error().message);
        natsMsg_Term(msg.get(), nullptr);
        continue;
      }
      if (adopted_.emplace(batch->tenant.str(), batch->driver.str()).second && hooks_.adopt)
        hooks_.adopt(batch->tenant, batch->driver);
      {
        std::lock_guard lock(mu_);
        ++inflight_;
      }
      hooks_.process(std::move(*batch), [this, msg](core::Status st) {
        if (st) {
          if (natsMsg_Ack(msg.get(), nullptr) == NATS_OK) counters_.acked.fetch_add(1);
        } else {
          counters_.nacked.fetch_add(1);
          natsMsg_NakWithDelay(msg.get(), kRetryDelayMs, nullptr);
        }
        std::lock_guard lock(mu_);
        --inflight_;
        cv_.notify_all();
      });
    }
    natsMsgList_Destroy(&list);
  }
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return inflight_ == 0; });
  }
  if (sub) natsSubscription_Destroy(sub);
  for (const auto& [tenant, driver] : adopted_)
    if (hooks_.release) hooks_.release(core::DriverId(driver));
  if (sub) spdlog::info("cluster: stopped processing ping shard {}", shard_);
}

}  // namespace lastmile::cluster
