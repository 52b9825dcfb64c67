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
  // Set when personal data in this event was erased (docs/privacy.md): the id of the later
  // `personal_data_erased` event of the same chain that seals the redacted form. Not hashed.
  std::string erased_by;
};

// The event type that records an erasure, and the payload it must carry: the ids of the events it
// redacted with the SHA-256 of each one's redacted canonical form, in chain order. Deterministic, so
// verification recomputes it from the redacted events and compares byte for byte.
inline constexpr std::string_view kErasureEventType = "personal_data_erased";
struct ErasedEntry {
  std::string event_id;
  std::string redacted_sha256;  // sha256_hex(canonical_event(redacted event))
};
std::string erasure_payload(const std::vector<ErasedEntry>& entries);

// Unambiguous encoding: a version line, then one `name=len:value\n` line per field (`name=-\n` when
// absent); doubles in their shortest round-trip form.
std::string canonical_event(const ChainedEvent& e);

// The hash `e` must carry when its predecessor's hash is `prev_hash` (e.prev_hash/e.hash ignored).
std::string event_hash(const ChainedEvent& e, std::string_view prev_hash);

struct ChainProblem {
  std::string event_id;
  // "hash_mismatch" (fields altered) | "broken_link" (prev_hash is not the predecessor's) |
  // "erasure_mismatch" (an erased event's redacted form is not the one its erasure event sealed)
  std::string reason;
};

// Checks one shipment's events, oldest first. Every event's prev_hash must be its predecessor's
// hash. An event that is not erased must hash to its stored hash. An erased event (erased_by set)
// cannot (its personal fields are gone): instead the erasure event it names must follow it in this
// chain, verify itself, and carry erasure_payload() of the redacted events it names.
std::vector<ChainProblem> verify_chain(const std::vector<ChainedEvent>& events);

}  // namespace lastmile::pod
