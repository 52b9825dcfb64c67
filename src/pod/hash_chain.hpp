#pragma once
// The per-shipment hash chain of events (docs/proof-of-delivery.md). Pure: no storage.
//
// hash(event) = SHA-256 hex of canonical_event(event) followed by prev_hash, where prev_hash is
// the hash of the shipment's previous event (by global_seq), or kGenesisHash for its first.
// The payload is covered byte for byte, so blob SHA-256s listed in a POD payload are covered too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lastmile::pod {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The stored fields of one event, as read back from its row.
struct ChainedEvent {
  std::string id;
  std::string tenant_id;
  std::string shipment_id;
  std::string type;
  std::optional<std::string> milestone;
  int64_t occurred_at_ms = 0;
  int64_t recorded_at_ms = 0;
  std::string actor;
  std::string source;
  std::optional<double> lat;
  std::optional<double> lon;
  std::string payload;
  std::string prev_hash;  // as stored
  std::string hash;       // as stored
};

// Unambiguous encoding: a version line, then one `name=len:value\n` line per field (`name=-\n` when
// absent); doubles in their shortest round-trip form.
std::string canonical_event(const ChainedEvent& e);

// The hash `e` must carry when its predecessor's hash is `prev_hash` (e.prev_hash/e.hash ignored).
std::string event_hash(const ChainedEvent& e, std::string_view prev_hash);

struct ChainProblem {
  std::string event_id;
  std::string reason;  // "hash_mismatch" (fields altered) | "broken_link" (prev_hash is not the predecessor's)
};

// Checks one shipment's events, oldest first.
std::vector<ChainProblem> verify_chain(const std::vector<ChainedEvent>& events);

}  // namespace lastmile::pod
