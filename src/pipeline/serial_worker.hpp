#pragma once
// A thread that runs posted tasks one at a time, in the order they were posted: a shard of the
// pipeline. State owned by a shard is touched only by tasks run here, so it needs no lock; the
// queue handoff is the only synchronisation.
//
// Threading: post() and drain() may be called from any thread (but drain() not from a task of
// this worker). The destructor runs every task already posted, then joins. A task must not throw;
// one that does is caught and counted (failures()), and the worker goes on.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace lastmile::pipeline {

class SerialWorker {
 public:
  using Task = std::function<void()>;
  SerialWorker();
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  void post(Task task);
  // Blocks until every task posted before the call has run.
  void drain();
  uint64_t failures() const;
  size_t queued() const;

 private:
  void run();

  mutable std::mutex mu_;
  std::condition_variable cv_;       // work arrived or stopping
  std::condition_variable idle_cv_;  // a task finished
  std::deque<Task> queue_;           // GUARDED_BY(mu_)
  uint64_t posted_ = 0;              // GUARDED_BY(mu_)
  uint64_t done_ = 0;                // GUARDED_BY(mu_)
  uint64_t failures_ = 0;            // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace lastmile::pipeline
