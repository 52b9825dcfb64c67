#include "pod/hash_chain.hpp"

#include <charconv>
#include <map>

#include "core/crypto.hpp"

namespace lastmile::pod {
namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

void optional_field(std::string& out, std::string_view name, const std::optional<std::string>& value) {
  if (value) return field(out, name, *value);
  out += name;
  out += "=-\n";
}

std::string number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("nan");
}

std::optional<std::string> number(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  return number(*v);
}

}  // namespace

std::string canonical_event(const ChainedEvent& e) {
  std::string out = "lastmile-event-v1\n";
  field(out, "id", e.id);
  field(out, "tenant", e.tenant_id);
  field(out, "shipment", e.shipment_id);
  field(out, "type", e.type);
  optional_field(out, "milestone", e.milestone);
  field(out, "occurred_at", std::to_string(e.occurred_at_ms));
  field(out, "recorded_at", std::to_string(e.recorded_at_ms));
  field(out, "actor", e.actor);
  field(out, "source", e.source);
  optional_field(out, "lat", number(e.lat));
  optional_field(out, "lon", number(e.lon));
  field(out, "payload", e.payload);
  return out;
}

std::string event_hash(const ChainedEvent& e, std::string_view prev_hash) {
  std::string data = canonical_event(e);
  data += prev_hash;
  return core::sha256_hex(data);
}

std::string erasure_payload(const std::vector<ErasedEntry>& entries) {
  // Ids are "evt_…" and digests hex, so no JSON escaping is needed; anything else is rejected by
  // the comparison in verify_chain (the stored payload would not match).
  std::string out = "{\"erased_events\":[";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ',';
    out += "{\"event_id\":\"" + entries[i].event_id + "\",\"redacted_sha256\":\"" + entries[i].redacted_sha256 + "\"}";
  }
  out += "]}";
  return out;
}

std::vector<ChainProblem> verify_chain(const std::vector<ChainedEvent>& events) {
  std::vector<ChainProblem> problems;
  std::string expected_prev(kGenesisHash);
  std::map<std::string, std::vector<ErasedEntry>> sealed_by;  // erasure event id → the events it names
  std::map<std::string, size_t> erasure_at;                    // erasure event id → its index
  for (size_t i = 0; i < events.size(); ++i) {
    const ChainedEvent& e = events[i];
    if (e.prev_hash != expected_prev) problems.push_back({e.id, "broken_link"});
    if (!e.erased_by.empty()) {
      sealed_by[e.erased_by].push_back({e.id, core::sha256_hex(canonical_event(e))});
    } else if (event_hash(e, e.prev_hash) != e.hash) {
      problems.push_back({e.id, "hash_mismatch"});
    }
    if (e.type == kErasureEventType) erasure_at[e.id] = i;
    expected_prev = e.hash;
  }
  for (const auto& [erasure_id, entries] : sealed_by) {
    auto at = erasure_at.find(erasure_id);
    bool ok = at != erasure_at.end() && events[at->second].erased_by.empty() &&
              events[at->second].payload == erasure_payload(entries);
    // The erasure must come after every event it seals (chain order = the order of `entries`).
    if (ok) {
      for (size_t j = at->second; j < events.size(); ++j)
        if (events[j].erased_by == erasure_id) ok = false;
    }
    if (!ok)
      for (const auto& entry : entries) problems.push_back({entry.event_id, "erasure_mismatch"});
  }
  return problems;
}

}  // namespace lastmile::pod
