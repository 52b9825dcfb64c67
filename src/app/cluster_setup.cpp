#include "app/cluster_setup.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <stdexcept>

#include "api/live_messages.hpp"
#include "cluster/cluster_node.hpp"
#include "cluster/event_tail.hpp"
#include "tracking/ping_filter.hpp"

namespace lastmile::app {

namespace {

cluster::LiveFrame to_frame(const pipeline::LiveUpdate& u) {
  cluster::LiveFrame f;
  switch (u.kind) {
    case pipeline::LiveUpdate::Kind::kPosition: f.kind = cluster::LiveFrame::Kind::kPosition; break;
    case pipeline::LiveUpdate::Kind::kStop: f.kind = cluster::LiveFrame::Kind::kStop; break;
    case pipeline::LiveUpdate::Kind::kException: f.kind = cluster::LiveFrame::Kind::kException; break;
    case pipeline::LiveUpdate::Kind::kEta: f.kind = cluster::LiveFrame::Kind::kEta; break;
  }
  f.tenant = u.tenant.str();
  f.driver = u.driver.str();
  if (u.route) f.route = u.route->str();
  for (const auto& s : u.public_audience) f.public_audience.push_back(s.str());
  f.staff_json = u.staff_json;
  f.public_json = u.public_json;
  return f;
}

pipeline::LiveUpdate from_frame(const cluster::LiveFrame& f) {
  pipeline::LiveUpdate u;
  switch (f.kind) {
    case cluster::LiveFrame::Kind::kPosition: u.kind = pipeline::LiveUpdate::Kind::kPosition; break;
    case cluster::LiveFrame::Kind::kStop: u.kind = pipeline::LiveUpdate::Kind::kStop; break;
    case cluster::LiveFrame::Kind::kException: u.kind = pipeline::LiveUpdate::Kind::kException; break;
    case cluster::LiveFrame::Kind::kEta: u.kind = pipeline::LiveUpdate::Kind::kEta; break;
  }
  u.tenant = core::TenantId(f.tenant);
  u.driver = core::DriverId(f.driver);
  if (f.route) u.route = core::RouteId(*f.route);
  for (const auto& s : f.public_audience) u.public_audience.emplace_back(s);
  u.staff_json = f.staff_json;
  u.public_json = f.public_json;
  return u;
}

// A failure the same batch may not meet again (the store is back): retried; any other is final.
bool retryable(const core::Error& e) {
  return e.code == core::ErrorCode::kUnavailable || e.code == core::ErrorCode::kInternal;
}

}  // namespace

std::string default_node_id(uint16_t http_port) {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "node");
  return std::string(host) + ":" + std::to_string(http_port);
}

ClusterRuntime::ClusterRuntime(const ServeOptions& o, uint16_t http_port, storage::Store& store,
                               pipeline::IngestPipeline& ingest, push::Hub& hub, api::Metrics& metrics,
                               EventSink on_event)
    : store_(store), ingest_(ingest), hub_(hub) {
  auto servers = cluster::parse_server_list(o.cluster);
  if (!servers) throw std::runtime_error("--cluster: " + servers.error().message);
  if (o.db.starts_with("sqlite:") || o.db.find("://") == std::string::npos)
    spdlog::warn("cluster mode on SQLite: every node must run on this machine and open the same file "
                 "(tests); use --db postgres://… across machines");
  cluster::ClusterOptions options;
  options.servers = std::move(*servers);
  options.node_id = o.node_id.empty() ? default_node_id(http_port) : o.node_id;
  options.shards = static_cast<uint32_t>(o.cluster_shards);

  // Every node's events, in global order, into this node's hub and the app's other consumers.
  tail_ = std::make_unique<cluster::EventTail>(
      [&store](int64_t after, int limit) { return store.events_after(after, limit); },
      [&hub, on_event = std::move(on_event)](const std::vector<domain::Event>& events) {
        for (const auto& e : events) {
          hub.publish(api::live_event_message(e));
          if (on_event) on_event(e);
        }
      },
      hub.last_event_seq());

  cluster::ClusterHooks hooks;
  hooks.consumer.process = [this](cluster::PingBatch b, std::function<void(core::Status)> done) {
    ingest_.process_async(pipeline::Device{b.tenant, b.driver}, std::move(b.pings), b.received_at,
                          [done = std::move(done)](core::Result<pipeline::IngestOutcome> r) {
                            if (r || retryable(r.error())) return done(r ? core::Status{} : core::Status(r.error()));
                            spdlog::warn("cluster: ping batch dropped: {}", r.error().message);
                            done(core::Status{});
                          });
  };
  hooks.consumer.adopt = [this](const core::TenantId& tenant, const core::DriverId& driver) {
    auto latest = store_.latest_track_point(tenant, driver);
    if (!latest) spdlog::warn("cluster: cannot read the newest point of {}: {}", driver.str(), latest.error().message);
    ingest_.reset_driver(driver, latest ? *latest : std::nullopt);
  };
  hooks.consumer.release = [this](const core::DriverId& driver) { ingest_.reset_driver(driver, std::nullopt); };
  hooks.on_live = [this](const cluster::LiveFrame& f) { hub_.publish(api::live_update_message(from_frame(f))); };
  hooks.on_events_notice = [this] { tail_->wake(); };

  auto node = cluster::ClusterNode::start(std::move(options), std::move(hooks));
  if (!node) throw std::runtime_error("cannot join the cluster: " + node.error().message);
  node_ = std::move(*node);
  ingest_.set_forwarder([this](const pipeline::Device& d, std::vector<ingest::UnsafePing> pings, core::Timestamp at,
                               pipeline::IngestPipeline::SubmitDone done) {
    forward(d, std::move(pings), at, std::move(done));
  });

  metrics.add_collector([node = node_.get()](std::string& out) {
    const auto s = node->stats();
    auto counter = [&out](const char* name, const char* help, uint64_t v) {
      out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v);
    };
    auto gauge = [&out](const char* name, const char* help, uint64_t v) {
      out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, help, v);
    };
    out += fmt::format("# HELP lastmile_cluster_node This node's id in the cluster\n# TYPE lastmile_cluster_node gauge\n"
                       "lastmile_cluster_node{{node=\"{}\"}} 1\n", node->node_id());
    gauge("lastmile_cluster_nats_connected", "1 while connected to a NATS server", s.connected ? 1 : 0);
    gauge("lastmile_cluster_leader", "1 while this node sends the outbox", s.leader ? 1 : 0);
    gauge("lastmile_cluster_shards_held", "Ping-stream shards this node processes (leases held)", s.shards_held);
    gauge("lastmile_cluster_live_nodes", "Nodes seen alive (heartbeats)", s.live_nodes);
    counter("lastmile_cluster_pings_published_total", "Ping batches stored in the stream by this node", s.published);
    counter("lastmile_cluster_publish_failures_total", "Ping batches the stream did not store", s.publish_failed);
    counter("lastmile_cluster_fetched_total", "Ping batches fetched from held shards", s.fetched);
    counter("lastmile_cluster_acked_total", "Ping batches acked after the commit", s.acked);
    counter("lastmile_cluster_nacked_total", "Ping batches nak'ed for redelivery (write failed)", s.nacked);
    counter("lastmile_cluster_bad_messages_total", "Undecodable ping messages dropped", s.bad_messages);
    counter("lastmile_cluster_lease_acquired_total", "Shard leases acquired (start or takeover)", s.takeovers);
    counter("lastmile_cluster_live_sent_total", "Live updates relayed to other nodes", s.live_out);
    counter("lastmile_cluster_live_received_total", "Live updates received from other nodes", s.live_in);
    counter("lastmile_cluster_nats_reconnects_total", "Reconnections to NATS", s.reconnects);
  });
}

ClusterRuntime::~ClusterRuntime() {
  node_.reset();  // consumers finish their batches; leases handed over
  tail_.reset();
}

void ClusterRuntime::forward(const pipeline::Device& device, std::vector<ingest::UnsafePing> pings,
                             core::Timestamp received_at, pipeline::IngestPipeline::SubmitDone done) {
  // The stateless checks here, so the reply still names bad points; the shard owner filters the
  // rest with the driver's state (late, duplicate, impossible jump).
  pipeline::IngestOutcome outcome;
  outcome.received = pings.size();
  cluster::PingBatch batch{device.tenant, device.driver, received_at, {}};
  const tracking::FilterParams params;
  for (size_t i = 0; i < pings.size(); ++i) {
    tracking::DriverTrackState fresh;
    auto r = tracking::filter_ping(fresh, pings[i], device.driver, received_at, params);
    if (r.verdict == tracking::Verdict::kRejected) {
      outcome.rejected.push_back({i, *r.reason});
      continue;
    }
    batch.pings.push_back(std::move(pings[i]));
  }
  if (batch.pings.empty()) return done(std::move(outcome));
  outcome.accepted = static_cast<int>(batch.pings.size());
  node_->publish_batch(std::move(batch), [outcome = std::move(outcome), done = std::move(done)](core::Status st) mutable {
    if (!st) return done(st.error());
    done(std::move(outcome));
  });
}

void ClusterRuntime::publish_live(const pipeline::LiveUpdate& u) { node_->publish_live(to_frame(u)); }

void ClusterRuntime::on_local_commit() {
  tail_->wake();
  node_->notify_events();
}

bool ClusterRuntime::may_send() const { return node_->leader(); }
bool ClusterRuntime::connected() const { return node_->connected(); }

}  // namespace lastmile::app
