#include "pipeline/tracker_ingest.hpp"

#include <string>
#include <utility>
#include <vector>

namespace lastmile::pipeline {
namespace {

constexpr std::string_view kPingsHelp =
    "Positions received, by protocol and by what the pipeline did with them.";

std::string series(std::string_view family, std::string_view protocol, std::string_view result = {}) {
  std::string s(family);
  s += "{protocol=\"";
  s += protocol;
  s += '"';
  if (!result.empty()) {
    s += ",result=\"";
    s += result;
    s += '"';
  }
  s += '}';
  return s;
}

}  // namespace

void count_outcome(const CountFn& count, std::string_view protocol, const IngestOutcome& outcome) {
  if (!count) return;
  const std::pair<std::string_view, uint64_t> results[] = {
      {"accepted", static_cast<uint64_t>(outcome.accepted)},
      {"late", static_cast<uint64_t>(outcome.late)},
      {"duplicate", static_cast<uint64_t>(outcome.duplicates)},
      {"rejected", static_cast<uint64_t>(outcome.rejected.size())},
  };
  for (const auto& [result, n] : results)
    count(series("lastmile_pings_total", protocol, result), kPingsHelp, n);
}

TrackerIngest::TrackerIngest(IngestPipeline& pipeline, DeviceDirectory& devices, CountFn count,
                             std::string_view protocol)
    : pipeline_(pipeline), devices_(devices), count_(std::move(count)), protocol_(protocol) {}

core::Result<IngestOutcome> TrackerIngest::submit(const ingest::UnsafePing& ping, std::string_view secret,
                                                  core::Timestamp received_at) {
  return submit_resolved(devices_.resolve(ping.device_id, secret), ping, received_at);
}

core::Result<IngestOutcome> TrackerIngest::submit_trusted(const ingest::UnsafePing& ping,
                                                          core::Timestamp received_at) {
  return submit_resolved(devices_.resolve_trusted(ping.device_id), ping, received_at);
}

void TrackerIngest::count_invalid() const {
  if (count_)
    count_(series("lastmile_ingest_invalid_total", protocol_), "Tracker messages that could not be decoded.",
           1);
}

bool TrackerIngest::admit(const core::Result<Device>& device) const {
  if (device) return true;
  if (count_ && device.error().code == core::ErrorCode::kNotFound)
    count_(series("lastmile_ingest_unknown_devices_total", protocol_),
           "Tracker messages from device ids that no driver has (not stored).", 1);
  if (count_ && device.error().code == core::ErrorCode::kUnauthenticated)
    count_(series("lastmile_ingest_unauthenticated_total", protocol_),
           "Tracker messages refused for a missing or wrong device secret (not stored).", 1);
  return false;
}

core::Result<IngestOutcome> TrackerIngest::submit_resolved(const core::Result<Device>& device,
                                                           const ingest::UnsafePing& ping,
                                                           core::Timestamp received_at) {
  if (!admit(device)) return device.error();
  auto outcome = pipeline_.submit(*device, std::vector<ingest::UnsafePing>{ping}, received_at);
  if (outcome) count_outcome(count_, protocol_, *outcome);
  return outcome;
}

void TrackerIngest::submit_async(const ingest::UnsafePing& ping, std::string_view secret,
                                 core::Timestamp received_at, IngestPipeline::SubmitDone done) {
  const auto device = devices_.resolve(ping.device_id, secret);
  if (!admit(device)) return done(device.error());
  pipeline_.submit_async(*device, std::vector<ingest::UnsafePing>{ping}, received_at,
                         [count = count_, protocol = protocol_, done = std::move(done)](core::Result<IngestOutcome> r) {
                           if (r) count_outcome(count, protocol, *r);
                           done(std::move(r));
                         });
}

}  // namespace lastmile::pipeline
