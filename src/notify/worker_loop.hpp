#pragma once
// The thread both outbox workers (webhooks, notifications) run on: one pass, then sleep until the
// time the pass asked for or until wake(); stop() (or the destructor) ends it after the pass in
// progress.
//
// Declare it as the LAST member of its owner, so it is destroyed (and its thread joined) before the
// members the pass uses.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/time.hpp"

namespace lastmile::notify {

class WorkerLoop {
 public:
  WorkerLoop() = default;
  ~WorkerLoop() { stop(); }
  WorkerLoop(const WorkerLoop&) = delete;
  WorkerLoop& operator=(const WorkerLoop&) = delete;

  // Starts the thread. `pass` returns how long to sleep before the next pass.
  void start(std::function<std::chrono::milliseconds()> pass);
  // Makes the thread run a pass now. Any thread.
  void wake();
  // Ends the thread after the pass in progress and joins it. Idempotent.
  void stop();
  // True once stop() was called: a long pass checks it between batches.
  bool stopping();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;     // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

// How long to sleep when the next message is due at `next` (none known: `poll`), never more than `poll`.
std::chrono::milliseconds sleep_until_due(std::optional<core::Timestamp> next, core::Timestamp now,
                                          std::chrono::milliseconds poll);

}  // namespace lastmile::notify
