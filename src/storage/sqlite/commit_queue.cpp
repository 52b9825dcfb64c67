#include "storage/sqlite/commit_queue.hpp"

#include <algorithm>
#include <utility>

namespace lastmile::storage::sqlite {
namespace {

// Runs one statement without results through the connection's statement cache (SAVEPOINT and
// friends run once per body: not worth re-parsing each time).
Status run_cached(Connection& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->run();
}

// Runs `body` inside its own savepoint. On failure its changes are rolled back to the savepoint
// (or, if SQLite already aborted the whole transaction, nothing is left to roll back).
Status run_in_savepoint(Connection& db, const CommitQueue::Body& body, CommitQueue::Events& events) {
  if (Status st = run_cached(db, "SAVEPOINT op"); !st) return st;
  Status st;
  try {
    st = body(db, events);
  } catch (...) {  // bodies return errors; an exception here is a bug, but must not stall the group
    st = Error{core::ErrorCode::kInternal, "storage error in write: unexpected exception", ""};
  }
  if (st) st = run_cached(db, "RELEASE op");
  if (!st && db.in_transaction()) {
    if (!run_cached(db, "ROLLBACK TO op") || !run_cached(db, "RELEASE op")) {
      (void)db.exec("ROLLBACK");  // cannot isolate the failure: give up the whole transaction
    }
  }
  return st;
}

// The error given to bodies that had succeeded in a transaction SQLite then aborted.
Error lost_error(const Error& cause) {
  const auto code = cause.code == core::ErrorCode::kUnavailable ? cause.code : core::ErrorCode::kInternal;
  return Error{code, "storage error in commit: the transaction was aborted", ""};
}

}  // namespace

CommitQueue::CommitQueue(ConnectionPool& pool, OnCommit on_commit, size_t max_group)
    : pool_(pool), on_commit_(std::move(on_commit)), max_group_(max_group == 0 ? 1 : max_group) {
  committer_ = std::thread([this] { committer_loop(); });
}

CommitQueue::~CommitQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  committer_.join();  // it leaves once no asynchronous body is queued
}

Status CommitQueue::submit(const Body& body) {
  Entry self{&body, {}, {}, false};
  std::unique_lock lock(mu_);
  queue_.push_back(&self);
  for (;;) {
    changed_.wait(lock, [&] { return self.done || !leader_active_; });
    if (self.done) return std::move(self.status);
    // Leadership is free and our body is still queued: run the oldest group (ours may be a later one;
    // then we loop and lead again).
    lead(lock);
  }
}

void CommitQueue::submit_async(Body body, Done done) {
  auto* e = new Entry{nullptr, {}, {}, false, std::move(body), std::move(done)};
  e->body = &e->owned;
  bool wake;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(e);
    ++async_queued_;
    wake = !leader_active_;  // else the leader's end wakes the committer
  }
  if (wake) changed_.notify_all();
}

void CommitQueue::committer_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return (async_queued_ > 0 && !leader_active_) || (stopping_ && async_queued_ == 0); });
    if (async_queued_ == 0) return;  // stopping, and nothing of ours is left
    lead(lock);
  }
}

void CommitQueue::lead(std::unique_lock<std::mutex>& lock) {
  const size_t n = std::min(queue_.size(), max_group_);
  std::vector<Entry*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  leader_active_ = true;
  lock.unlock();
  run_group(group);
  lock.lock();
  std::vector<Entry*> finished;  // asynchronous ones: completed here, not by a waiting submitter
  for (Entry* e : group) {
    if (e->on_done) {
      finished.push_back(e);
      --async_queued_;
    } else {
      e->done = true;
    }
  }
  leader_active_ = false;
  changed_.notify_all();
  if (finished.empty()) return;
  lock.unlock();  // the next group may start on another thread meanwhile
  for (Entry* e : finished) {
    try {
      e->on_done(std::move(e->status));
    } catch (...) {  // on_done must not throw; if one does, the others are still told
    }
    delete e;
  }
  lock.lock();
}

CommitQueue::Stats CommitQueue::stats() const {
  std::lock_guard lock(mu_);
  return Stats{bodies_.load(), commits_.load(), queue_.size()};
}

// noexcept: an exception escaping here would leave leadership taken forever (every writer stalls);
// bodies' exceptions are caught in run_in_savepoint and on_commit must not throw.
void CommitQueue::run_group(std::span<Entry*> group) noexcept {
  auto db = pool_.writer();
  size_t next = 0;
  while (next < group.size()) next = run_transaction(*db, group, next);
}

size_t CommitQueue::run_transaction(Connection& db, std::span<Entry*> group, size_t first) {
  auto tx = Transaction::begin(db, Transaction::Kind::kWrite);
  if (!tx) {
    for (size_t i = first; i < group.size(); ++i) group[i]->status = tx.error();
    return group.size();
  }
  std::vector<Entry*> succeeded;  // in the order they ran
  succeeded.reserve(group.size() - first);
  for (size_t i = first; i < group.size(); ++i) {
    Entry& e = *group[i];
    e.status = run_in_savepoint(db, *e.body, e.events);
    bodies_.fetch_add(1, std::memory_order_relaxed);
    if (e.status) {
      succeeded.push_back(&e);
      continue;
    }
    e.events.clear();
    if (!db.in_transaction()) {  // SQLite rolled back everything: the earlier successes are lost
      for (Entry* s : succeeded) {
        s->status = lost_error(e.status.error());
        s->events.clear();
      }
      return i + 1;  // the bodies after this one run in a new transaction
    }
  }
  if (Status st = tx->commit(); !st) {
    for (Entry* s : succeeded) s->status = st;
    return group.size();
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  // Durable now; nobody is told yet. Publish in the order the bodies ran, still under the writer lease.
  if (on_commit_) {
    for (Entry* s : succeeded)
      if (!s->events.empty()) on_commit_(s->events);
  }
  return group.size();
}

}  // namespace lastmile::storage::sqlite
