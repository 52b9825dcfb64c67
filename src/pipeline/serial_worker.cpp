#include "pipeline/serial_worker.hpp"

namespace lastmile::pipeline {

SerialWorker::SerialWorker() : thread_([this] { run(); }) {}

SerialWorker::~SerialWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SerialWorker::post(Task task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
    ++posted_;
  }
  cv_.notify_one();
}

void SerialWorker::drain() {
  std::unique_lock lock(mu_);
  const uint64_t target = posted_;
  idle_cv_.wait(lock, [&] { return done_ >= target; });
}

uint64_t SerialWorker::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

size_t SerialWorker::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void SerialWorker::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything posted has run
    Task task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    bool failed = false;
    try {
      task();
    } catch (...) {
      failed = true;
    }
    lock.lock();
    ++done_;
    if (failed) ++failures_;
    idle_cv_.notify_all();
  }
}

}  // namespace lastmile::pipeline
