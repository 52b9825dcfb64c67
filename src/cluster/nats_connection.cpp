#include "cluster/nats_connection.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace lastmile::cluster {

core::Error nats_error(natsStatus s, std::string_view what, jsErrCode js_code) {
  std::string msg = "nats: " + std::string(what) + ": " + natsStatus_GetText(s);
  natsStatus last = NATS_OK;
  if (const char* detail = nats_GetLastError(&last); detail != nullptr && *detail != '\0') msg += std::string(" (") + detail + ")";
  if (js_code != 0) msg += " (JetStream error " + std::to_string(static_cast<int>(js_code)) + ")";
  return core::Error{core::ErrorCode::kUnavailable, std::move(msg), ""};
}

struct NatsConnection::Events {
  std::atomic<uint64_t> disconnects{0}, reconnects{0};
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
};

namespace {

using Events = NatsConnection::Events;

void on_disconnected(natsConnection* nc, void* closure) {
  static_cast<Events*>(closure)->disconnects.fetch_add(1);
  if (natsConnection_IsClosed(nc)) return;  // our own close at shutdown
  spdlog::warn("cluster: disconnected from NATS; reconnecting");
}

void on_reconnected(natsConnection* nc, void* closure) {
  static_cast<Events*>(closure)->reconnects.fetch_add(1);
  char url[256] = {0};
  natsConnection_GetConnectedUrl(nc, url, sizeof url);
  spdlog::info("cluster: reconnected to NATS at {}", url);
}

// The last callback of a connection (libnats runs a connection's callbacks in order on one thread).
void on_closed(natsConnection*, void* closure) {
  auto* events = static_cast<Events*>(closure);
  std::lock_guard lock(events->mu);
  events->closed = true;
  events->cv.notify_all();
}

// Events whose closed callback did not come in time: kept for the life of the process (a late
// callback must find them), reachable so that they are not reported as a leak.
void keep_forever(std::unique_ptr<Events> events) {
  static std::mutex mu;
  static auto* kept = new std::vector<std::unique_ptr<Events>>();
  std::lock_guard lock(mu);
  kept->push_back(std::move(events));
}

void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto* handler = static_cast<NatsConnection::Handler*>(closure);
  try {
    (*handler)(natsMsg_GetSubject(msg),
               std::string_view(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg))));
  } catch (const std::exception& e) {
    spdlog::error("cluster: message handler failed: {}", e.what());
  }
  natsMsg_Destroy(msg);
}

}  // namespace

core::Result<std::unique_ptr<NatsConnection>> NatsConnection::connect(const NatsOptions& options) {
  std::unique_ptr<NatsConnection> c(new NatsConnection());
  c->events_ = std::make_unique<Events>();
  c->servers_ = options.servers.size();
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  std::vector<const char*> urls;
  for (const auto& u : options.servers) urls.push_back(u.c_str());
  if (s == NATS_OK) s = natsOptions_SetServers(opts, urls.data(), static_cast<int>(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(opts, options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, options.connect_timeout_ms);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(opts, 8 * 1024 * 1024);
  if (s == NATS_OK) s = natsOptions_SetPingInterval(opts, 2'000);
  if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(opts, 2);
  if (s == NATS_OK) s = natsOptions_SetNoEcho(opts, true);
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, on_disconnected, c->events_.get());
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, on_reconnected, c->events_.get());
  if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, on_closed, c->events_.get());
  if (s == NATS_OK) s = natsConnection_Connect(&c->nc_, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return nats_error(s, "connect");
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = 2'000;  // JetStream API calls (consumers, KV): short, so a failover is retried soon
  s = natsConnection_JetStream(&c->js_, c->nc_, &jo);
  if (s != NATS_OK) return nats_error(s, "JetStream context");
  return c;
}

NatsConnection::~NatsConnection() {
  if (js_) jsCtx_Destroy(js_);
  if (!nc_) return;  // never connected: libnats calls nothing back for a failed connect
  natsConnection_Close(nc_);
  natsConnection_Destroy(nc_);
  // The disconnected and closed callbacks may still be queued: the events go only after the last one.
  std::unique_lock lock(events_->mu);
  if (!events_->cv.wait_for(lock, std::chrono::seconds(2), [this] { return events_->closed; })) {
    lock.unlock();
    spdlog::warn("cluster: NATS closed callback not seen within 2 s");
    keep_forever(std::move(events_));
  }
}

uint64_t NatsConnection::disconnects() const { return events_->disconnects.load(); }
uint64_t NatsConnection::reconnects() const { return events_->reconnects.load(); }

bool NatsConnection::connected() const { return natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED; }

core::Status NatsConnection::publish(const std::string& subject, std::string_view data) {
  natsStatus s = natsConnection_Publish(nc_, subject.c_str(), data.data(), static_cast<int>(data.size()));
  if (s != NATS_OK) return nats_error(s, "publish " + subject);
  return {};
}

core::Status NatsConnection::js_publish(const std::string& subject, std::string_view data, int64_t timeout_ms) {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = timeout_ms;
  jsPubAck* ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_Publish(&ack, js_, subject.c_str(), data.data(), static_cast<int>(data.size()), &po, &code);
  if (ack) jsPubAck_Destroy(ack);
  if (s != NATS_OK) return nats_error(s, "stream publish " + subject, code);
  return {};
}

core::Result<std::unique_ptr<NatsConnection::Subscription>> NatsConnection::subscribe(const std::string& subject,
                                                                                      Handler on_message_fn) {
  std::unique_ptr<Subscription> sub(new Subscription());
  sub->nc_ = nc_;
  sub->handler_ = std::move(on_message_fn);
  natsStatus s = natsConnection_Subscribe(&sub->sub_, nc_, subject.c_str(), on_message, &sub->handler_);
  if (s != NATS_OK) return nats_error(s, "subscribe " + subject);
  natsSubscription_SetPendingLimits(sub->sub_, 1'000'000, 256 * 1024 * 1024);
  return sub;
}

NatsConnection::Subscription::~Subscription() {
  if (!sub_) return;
  // Drained, not just unsubscribed: once the drain completes no callback runs any more, so the
  // handler (and what it captured) may go. A closed connection cannot drain, and calls nothing.
  if (natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED && natsSubscription_Drain(sub_) == NATS_OK)
    natsSubscription_WaitForDrainCompletion(sub_, 2'000);
  else
    natsSubscription_Unsubscribe(sub_);
  natsSubscription_Destroy(sub_);
}

}  // namespace lastmile::cluster
