#pragma once
// Lease decisions for the ping-stream shards and the outbox leader (docs/cluster.md). Pure: the
// leases this node holds, the number of live nodes and the time in; what to do out. The lease
// keeper (lease_keeper.hpp) carries the plan out against a NATS KV bucket whose TTL makes a dead
// node's leases expire.
//
// Rules:
//  - a lease not renewed for ttl - safety is given up at once (expire): another node may take it
//    over `safety` later, when the bucket's TTL drops the key, so the two never process together as
//    long as the clocks' rates agree and a renewal round trip is shorter than `safety`;
//  - a lease renewed renew_every ago or more is renewed;
//  - each node aims at its fair share, ceil(shards / live nodes): above it, the highest shards are
//    released (so a new node gets work); below it, free shards are tried, starting at the node's
//    own offset so that nodes starting together rarely race for the same shard.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lastmile::cluster {

struct LeaseParams {
  int64_t ttl_ms = 6'000;         // the KV bucket's TTL
  int64_t renew_every_ms = 1'000;
  int64_t safety_ms = 2'000;      // REQUIRES: renew_every_ms < ttl_ms - safety_ms
};

struct HeldLease {
  uint32_t shard = 0;
  uint64_t revision = 0;      // of the KV entry this node wrote last
  int64_t renewed_at_ms = 0;  // when that write was acknowledged
};

struct LeasePlan {
  std::vector<uint32_t> expire;       // stop processing now; the key is left to expire
  std::vector<uint32_t> renew;        // update with the held revision
  std::vector<uint32_t> release;      // above the fair share: stop processing, then delete the key
  std::vector<uint32_t> try_acquire;  // free candidates in preference order ...
  size_t want = 0;                    // ... of which this many more are wanted
};

// ceil(shards / max(1, live_nodes))
uint32_t fair_share(uint32_t shards, size_t live_nodes);
// Whether a held lease may still be used at `now_ms`.
bool lease_usable(const HeldLease& lease, int64_t now_ms, const LeaseParams& params);
bool renewal_due(const HeldLease& lease, int64_t now_ms, const LeaseParams& params);

LeasePlan plan_leases(const std::vector<HeldLease>& held, uint32_t shards, size_t live_nodes, uint32_t start_offset,
                      int64_t now_ms, const LeaseParams& params);

}  // namespace lastmile::cluster
