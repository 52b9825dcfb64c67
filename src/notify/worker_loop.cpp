#include "notify/worker_loop.hpp"

#include <algorithm>

namespace lastmile::notify {

void WorkerLoop::start(std::function<std::chrono::milliseconds()> pass) {
  thread_ = std::thread([this, pass = std::move(pass)] {
    for (;;) {
      const std::chrono::milliseconds wait = pass();
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
  });
}

void WorkerLoop::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void WorkerLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool WorkerLoop::stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

std::chrono::milliseconds sleep_until_due(std::optional<core::Timestamp> next, core::Timestamp now,
                                          std::chrono::milliseconds poll) {
  if (!next) return poll;
  return std::clamp(std::chrono::milliseconds(next->ms - now.ms), std::chrono::milliseconds(0), poll);
}

}  // namespace lastmile::notify
