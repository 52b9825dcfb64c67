#pragma once
// A background job: one thread that runs `pass` once at start and then every `interval` until the
// job is destroyed. The destructor asks the thread to stop and waits for the pass in progress; a
// long pass polls the flag it is given and returns early when it is set.
//
// Threading: `pass` runs on the job's own thread only, never concurrently with itself.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace lastmile::pipeline {

class PeriodicJob {
 public:
  using Pass = std::function<void(const std::atomic<bool>& stopping)>;

  PeriodicJob(std::chrono::milliseconds interval, Pass pass)
      : interval_(interval), pass_(std::move(pass)), thread_([this] { run(); }) {}
  ~PeriodicJob() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

 private:
  void run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      pass_(stopping_);
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stopping_.load(); });
    }
  }

  const std::chrono::milliseconds interval_;
  const Pass pass_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};  // written under mu_ (so the wait cannot miss it), read anywhere
  std::thread thread_;                 // last: starts after every other member is ready
};

}  // namespace lastmile::pipeline
