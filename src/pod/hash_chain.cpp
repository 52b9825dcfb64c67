#include "pod/hash_chain.hpp"

#include <charconv>

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

std::vector<ChainProblem> verify_chain(const std::vector<ChainedEvent>& events) {
  std::vector<ChainProblem> problems;
  std::string expected_prev(kGenesisHash);
  for (const ChainedEvent& e : events) {
    if (e.prev_hash != expected_prev) problems.push_back({e.id, "broken_link"});
    if (event_hash(e, e.prev_hash) != e.hash) problems.push_back({e.id, "hash_mismatch"});
    expected_prev = e.hash;
  }
  return problems;
}

}  // namespace lastmile::pod
