#pragma once
// The learned ETA model of each tenant (eta/corrections.hpp), swapped in whole when a learning run
// finishes. Readers get a shared_ptr to an immutable model, so a swap never disturbs an estimate
// in progress. A tenant without a learned model gets the identity model.
// Thread safety: every method, any thread.

#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/ids.hpp"
#include "eta/corrections.hpp"

namespace lastmile::eta {

class ModelRegistry {
 public:
  ModelRegistry() : identity_(std::make_shared<const Corrections>()) {}

  std::shared_ptr<const Corrections> get(const core::TenantId& tenant) const {
    std::lock_guard lock(mu_);
    auto it = models_.find(tenant);
    return it == models_.end() ? identity_ : it->second;
  }
  void put(const core::TenantId& tenant, std::shared_ptr<const Corrections> model) {
    std::lock_guard lock(mu_);
    models_.insert_or_assign(tenant, std::move(model));
  }

 private:
  const std::shared_ptr<const Corrections> identity_;
  mutable std::mutex mu_;
  std::unordered_map<core::TenantId, std::shared_ptr<const Corrections>> models_;  // GUARDED_BY(mu_)
};

}  // namespace lastmile::eta
