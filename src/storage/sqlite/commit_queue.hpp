#pragma once
// Group commit: concurrent writes share one BEGIN IMMEDIATE … COMMIT (hence one fsync under
// synchronous=FULL) on the pool's writer connection, without weakening what each write is promised.
//
// Contract of submit(body):
//   - `body(Connection&, Events& committed)` runs exactly once, on the writer connection, inside a
//     write transaction and inside its own savepoint. It sees the effects of the bodies that ran
//     before it in the same group and succeeded (same transaction, as in serial order) and never the
//     effects of one that failed (its savepoint was rolled back).
//   - When the body fails, its rows vanish (ROLLBACK TO its savepoint), submit returns the body's own
//     error, its `committed` events are dropped, and the other bodies of the group are unaffected.
//   - When the body succeeds, submit returns success only after the COMMIT containing it returned;
//     if that COMMIT (or the BEGIN) fails, submit returns that error. If SQLite aborts the whole
//     transaction while a later body runs (I/O error, full disk), the bodies that had succeeded in
//     it get that error too (their rows were lost) and the rest run in a new transaction.
//   - After a successful COMMIT, still holding the writer lease and before any submitter is woken,
//     on_commit is called once per body of the group that produced events, in the order the bodies
//     ran: events reach on_commit in commit order (global_seq increasing).
//
// submit_async(body, done) queues the body under the same contract and returns at once; `done`
// gets the body's Status on the thread that led its group (usually the queue's committer thread),
// after the COMMIT (or the failure) and after on_commit — the
// place to acknowledge asynchronously. `done` must be quick, must not throw and must not call the
// store (hand the result on, e.g. by posting to an executor).
//
// Threading: submit may be called from any thread; it blocks until its body is committed or has
// failed. At most one thread at a time (the leader) holds the writer lease and runs a group of at
// most `max_group` queued bodies, in arrival order; the other submitters wait on a condition
// variable. When a group is done the leader wakes everyone and gives up leadership; a submitter
// whose body is still queued, or the committer thread (which leads for asynchronous bodies, so that
// no caller's thread blocks for them), then becomes the next leader. The destructor runs every
// queued body before it returns. The queue mutex is never held while the
// writer lease is taken or a body runs, so a reader waiting for the writer mutex (single-connection
// memory databases) cannot deadlock with a leader. REQUIRES: a body must not call submit nor take a
// reader lease; on_commit must not throw and must not call the store.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "domain/entities.hpp"
#include "storage/sqlite/connection_pool.hpp"

namespace lastmile::storage::sqlite {

class CommitQueue {
 public:
  using Events = std::vector<domain::Event>;
  using Body = std::function<Status(Connection&, Events&)>;
  using OnCommit = std::function<void(const Events&)>;
  using Done = std::function<void(Status)>;

  static constexpr size_t kDefaultMaxGroup = 64;

  // Counters for tests and metrics (monotonic, except `queued`).
  struct Stats {
    int64_t bodies = 0;   // bodies run
    int64_t commits = 0;  // transactions committed
    size_t queued = 0;    // bodies waiting for a leader right now
  };

  // `pool` must outlive the queue. `on_commit` may be empty.
  CommitQueue(ConnectionPool& pool, OnCommit on_commit, size_t max_group = kDefaultMaxGroup);
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Runs `body` in a group commit (contract above) and returns its Status.
  Status submit(const Body& body);
  // Queues `body` for a group commit and returns; `done(status)` follows (contract above).
  void submit_async(Body body, Done done);

  Stats stats() const;

 private:
  // One submitted body; lives on its submitter's stack until submit returns, or (asynchronous) on
  // the heap, owned by the queue, until its `on_done` was called.
  struct Entry {
    const Body* body;
    Status status;
    Events events;
    bool done = false;  // GUARDED_BY(mu_)
    Body owned = {};    // asynchronous: the body itself (`body` points here)
    Done on_done = {};  // asynchronous only
  };

  // Takes the oldest group off the queue, runs it without mu_ and wakes everyone (leader only:
  // REQUIRES lock held on mu_ and !leader_active_; returns with the lock held again). Asynchronous
  // entries of the group are completed (on_done, delete) with the lock released.
  void lead(std::unique_lock<std::mutex>& lock);
  // Runs `group` (leader only, without mu_): sets each entry's status and calls on_commit.
  void run_group(std::span<Entry*> group) noexcept;
  // The committer thread: leads whenever asynchronous bodies wait and nobody leads.
  void committer_loop();
  // Runs bodies from group[first] on in one transaction until the end or until SQLite aborts the
  // transaction; returns the index of the first body not run.
  size_t run_transaction(Connection& db, std::span<Entry*> group, size_t first);

  ConnectionPool& pool_;
  const OnCommit on_commit_;
  const size_t max_group_;

  mutable std::mutex mu_;
  std::condition_variable changed_;  // signalled when a group is done (leadership is free)
  std::deque<Entry*> queue_;         // GUARDED_BY(mu_), arrival order
  bool leader_active_ = false;       // GUARDED_BY(mu_)
  size_t async_queued_ = 0;          // GUARDED_BY(mu_): asynchronous entries in queue_
  bool stopping_ = false;            // GUARDED_BY(mu_)

  std::atomic<int64_t> bodies_{0};
  std::atomic<int64_t> commits_{0};
  std::thread committer_;  // started in the constructor: the last member
};

}  // namespace lastmile::storage::sqlite
