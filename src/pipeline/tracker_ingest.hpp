#pragma once
// The common tail of the tracker protocol adapters — the OsmAnd / Traccar Client listener, OwnTracks
// over HTTP and over MQTT: resolve the device (device_directory.hpp), submit its ping to the
// pipeline, count what happened. Each adapter only decodes its wire format and shapes its reply.
//
// Counters (Prometheus names; `protocol` is the adapter's label, e.g. "osmand"):
//   lastmile_pings_total{protocol,result}            result: accepted | late | duplicate | rejected
//   lastmile_ingest_unknown_devices_total{protocol}  messages from device ids no driver has (not stored)
//   lastmile_ingest_unauthenticated_total{protocol}  missing or wrong device secret (not stored)
//   lastmile_ingest_invalid_total{protocol}          messages the decoder refused (count_invalid)
//
// Threading: TrackerIngest is a small value made per request or per connection; its methods may be
// called from any thread (the pipeline and directory are thread-safe). submit() blocks until the
// accepted points are durable (IngestPipeline::submit); submit_async() returns at once and calls
// back then (IngestPipeline::submit_async), for handlers that must not hold a thread meanwhile.

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "ingest/ping.hpp"
#include "pipeline/device_directory.hpp"
#include "pipeline/ingest_pipeline.hpp"

namespace lastmile::pipeline {

// Adds `n` to the counter `name` (a full Prometheus series name with labels); `help` describes its
// family. The server passes api::Metrics::count.
using CountFn = std::function<void(std::string_view name, std::string_view help, uint64_t n)>;

// Counts an outcome in lastmile_pings_total{protocol,result} (one series per result).
void count_outcome(const CountFn& count, std::string_view protocol, const IngestOutcome& outcome);

class TrackerIngest {
 public:
  // `protocol` must outlive this object (a string literal). The references are not owned.
  TrackerIngest(IngestPipeline& pipeline, DeviceDirectory& devices, CountFn count, std::string_view protocol);

  // A device that may have to prove itself: `secret` is what it presented (empty: nothing), checked
  // when its tenant requires device secrets. Submits `ping` (received at `received_at`) for the
  // driver of ping.device_id.
  // Errors: kNotFound "unknown device" and kUnauthenticated (counted; nothing stored); the
  // pipeline's errors (kUnavailable, kInternal): nothing acknowledged, the sender should retry.
  core::Result<IngestOutcome> submit(const ingest::UnsafePing& ping, std::string_view secret,
                                     core::Timestamp received_at);
  // The same without blocking: `done` gets the result (at once for an unknown or unauthenticated
  // device, else once the points are durable). `done` must be quick and must not throw.
  void submit_async(const ingest::UnsafePing& ping, std::string_view secret, core::Timestamp received_at,
                    IngestPipeline::SubmitDone done);
  // The same for a device its transport authenticated (MQTT); never kUnauthenticated.
  core::Result<IngestOutcome> submit_trusted(const ingest::UnsafePing& ping, core::Timestamp received_at);

  // Counts one message the decoder refused.
  void count_invalid() const;

 private:
  core::Result<IngestOutcome> submit_resolved(const core::Result<Device>& device,
                                              const ingest::UnsafePing& ping, core::Timestamp received_at);
  // Counts an unknown or unauthenticated device; returns false for those (nothing to submit).
  bool admit(const core::Result<Device>& device) const;

  IngestPipeline& pipeline_;
  DeviceDirectory& devices_;
  CountFn count_;
  std::string_view protocol_;
};

}  // namespace lastmile::pipeline
