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

void SerialWorker::dispatch(Task task) {
  std::unique_lock lock(mu_);
  ++posted_;
  if (running_ || !queue_.empty() || stopping_) {
    queue_.push_back(std::move(task));
    lock.unlock();
    cv_.notify_one();
    return;
  }
  finish_task(lock, task);
  const bool more = !queue_.empty();
  lock.unlock();
  if (more) cv_.notify_one();  // posted while the task ran here: the worker waits for running_
}

void SerialWorker::finish_task(std::unique_lock<std::mutex>& lock, Task& task) {
  running_ = true;
  lock.unlock();
  bool failed = false;
  try {
    task();
  } catch (...) {
    failed = true;
  }
  lock.lock();
  running_ = false;
  ++done_;
  if (failed) ++failures_;
  idle_cv_.notify_all();
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
    cv_.wait(lock, [&] { return (stopping_ && !running_) || (!queue_.empty() && !running_); });
    if (queue_.empty()) return;  // stopping, and everything posted has run
    Task task = std::move(queue_.front());
    queue_.pop_front();
    finish_task(lock, task);
  }
}

}  // namespace lastmile::pipeline
