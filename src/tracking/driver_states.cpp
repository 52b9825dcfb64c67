#include "tracking/driver_states.hpp"

namespace lastmile::tracking {

std::shared_ptr<DriverStates::Entry> DriverStates::entry(const core::DriverId& driver) {
  std::lock_guard lock(mu_);
  auto& e = entries_[driver];
  if (!e) e = std::make_shared<Entry>();
  return e;
}

}  // namespace lastmile::tracking
