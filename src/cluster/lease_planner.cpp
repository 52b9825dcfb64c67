#include "cluster/lease_planner.hpp"

#include <algorithm>

namespace lastmile::cluster {

uint32_t fair_share(uint32_t shards, size_t live_nodes) {
  const auto n = static_cast<uint32_t>(std::max<size_t>(1, live_nodes));
  return (shards + n - 1) / n;
}

bool lease_usable(const HeldLease& lease, int64_t now_ms, const LeaseParams& params) {
  return now_ms - lease.renewed_at_ms < params.ttl_ms - params.safety_ms;
}

bool renewal_due(const HeldLease& lease, int64_t now_ms, const LeaseParams& params) {
  return now_ms - lease.renewed_at_ms >= params.renew_every_ms;
}

LeasePlan plan_leases(const std::vector<HeldLease>& held, uint32_t shards, size_t live_nodes, uint32_t start_offset,
                      int64_t now_ms, const LeaseParams& params) {
  LeasePlan plan;
  std::vector<uint32_t> kept;
  std::vector<bool> mine(shards, false);
  for (const auto& l : held) {
    if (l.shard < shards) mine[l.shard] = true;
    if (!lease_usable(l, now_ms, params)) {
      plan.expire.push_back(l.shard);
      continue;
    }
    kept.push_back(l.shard);
    if (renewal_due(l, now_ms, params)) plan.renew.push_back(l.shard);
  }
  const uint32_t share = fair_share(shards, live_nodes);
  if (kept.size() > share) {
    std::sort(kept.begin(), kept.end());
    plan.release.assign(kept.begin() + share, kept.end());
    std::erase_if(plan.renew, [&](uint32_t s) {
      return std::find(plan.release.begin(), plan.release.end(), s) != plan.release.end();
    });
    return plan;
  }
  plan.want = share - kept.size();
  if (plan.want == 0) return plan;
  for (uint32_t i = 0; i < shards; ++i) {
    const uint32_t s = (start_offset + i) % shards;
    if (!mine[s]) plan.try_acquire.push_back(s);
  }
  return plan;
}

}  // namespace lastmile::cluster
