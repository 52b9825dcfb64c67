#pragma once
// Wiring of cluster mode for `serve --cluster` (docs/cluster.md): the cluster node (src/cluster/)
// joined to this process's pipeline, store, live hub and metrics.
//
//  - ingest: the pipeline's forwarder publishes every batch to the ping stream (after the stateless
//    checks, so a bad point is still rejected in the reply) and answers once JetStream stored it; the
//    shard consumers this node holds feed the pipeline's local path;
//  - live: the pipeline's updates go to the local hub and, through publish_live(), to the other
//    nodes; theirs come back into the local hub;
//  - events: the event log is tailed in global order into the hub, the exception feed, the
//    pipeline's route views and the outbox wake-ups (the bus does not feed those in cluster mode);
//  - the outbox senders run only on the leader (may_send()).

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "api/metrics.hpp"
#include "app/serve_command.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "push/hub.hpp"
#include "storage/store.hpp"

namespace lastmile::cluster {
class ClusterNode;
class EventTail;
}  // namespace lastmile::cluster

namespace lastmile::app {

// hostname:port
std::string default_node_id(uint16_t http_port);

class ClusterRuntime {
 public:
  // Called for each event of the log (in global order) besides the hub feed: the app's other
  // consumers (exception queue, pipeline, outbox wake-ups). Runs on the tail's thread.
  using EventSink = std::function<void(const domain::Event&)>;
  // Joins the cluster. Throws std::runtime_error when the servers cannot be reached (start-up error).
  ClusterRuntime(const ServeOptions& o, uint16_t http_port, storage::Store& store,
                 pipeline::IngestPipeline& ingest, push::Hub& hub, api::Metrics& metrics, EventSink on_event);
  // Hands the leases over (consumers finish their batches in flight) and leaves.
  ~ClusterRuntime();
  ClusterRuntime(const ClusterRuntime&) = delete;
  ClusterRuntime& operator=(const ClusterRuntime&) = delete;

  void publish_live(const pipeline::LiveUpdate& u);  // to the other nodes (any thread)
  void on_local_commit();                            // events were committed on this node
  bool may_send() const;                             // this node is the outbox leader
  bool connected() const;

 private:
  void forward(const pipeline::Device& device, std::vector<ingest::UnsafePing> pings, core::Timestamp received_at,
               pipeline::IngestPipeline::SubmitDone done);

  storage::Store& store_;
  pipeline::IngestPipeline& ingest_;
  push::Hub& hub_;
  std::unique_ptr<cluster::EventTail> tail_;
  std::unique_ptr<cluster::ClusterNode> node_;
};

}  // namespace lastmile::app
