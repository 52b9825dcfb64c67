#pragma once
// A thread that runs posted tasks one at a time, in the order they were posted: a shard of the
// pipeline. State owned by a shard is touched only by tasks run here, so it needs no lock; the
// queue handoff is the only synchronisation (the worker runs like an executor's strand).
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
  // Like post(), but when the worker is idle (nothing queued, no task running) the task runs at once
  // on the calling thread, still one at a time with every other task of this worker: a hand-off to
  // the worker's thread, and the thread switch it costs, only when there is a queue. Not from a
  // task of this worker (it would be queued behind itself, which is still correct but not inline).
  void dispatch(Task task);
  // Blocks until every task posted before the call has run.
  void drain();
  uint64_t failures() const;
  size_t queued() const;

 private:
  void run();
  // Runs `task` (running_ is set); counts it done and lets the worker go on.
  void finish_task(std::unique_lock<std::mutex>& lock, Task& task);

  mutable std::mutex mu_;
  std::condition_variable cv_;       // work arrived or stopping
  std::condition_variable idle_cv_;  // a task finished
  std::deque<Task> queue_;           // GUARDED_BY(mu_)
  uint64_t posted_ = 0;              // GUARDED_BY(mu_)
  uint64_t done_ = 0;                // GUARDED_BY(mu_)
  uint64_t failures_ = 0;            // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  bool running_ = false;             // GUARDED_BY(mu_): a task runs (on the worker or inline)
  std::thread thread_;
};

}  // namespace lastmile::pipeline
