// SQLite group commit (commit_queue.hpp): writes queued behind a running group share the next
// transaction and its one COMMIT, and a failing write in a group is rolled back alone.
// SQLite-specific: it reads SqliteStore::write_stats() and holds the database's write lock from a
// second connection, so that the queue fills up deterministically.
#include <barrier>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>

#include "storage/sqlite/sqlite_db.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::ErrorCode;
using testing::fails_with;
using testing::TempDir;

// Polls `pred` for up to 4 s (less than the writer's 5 s busy timeout).
template <typename Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

class SqliteGroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.on_timing = [this](std::string_view op, double) {
      std::lock_guard lock(mu_);
      if (op == "create_shipment") ++timed_creates_;
    };
    auto store = SqliteStore::open(path(), options);
    ASSERT_OK(store);
    store_ = std::move(*store);
    tenant_ = testing::make_tenant("Grouped");
    ASSERT_OK(store_->create_tenant(tenant_, testing::make_credential(tenant_.id, domain::Role::kTenantAdmin)));
  }

  std::string path() const { return (dir_.path() / "group.db").string(); }

  // Runs `writes` on threads of their own while a second connection holds the write lock, releasing
  // it once all but one (the leader, blocked in BEGIN IMMEDIATE) are queued: the queued ones then
  // form one group. Returns false when the queue did not fill up in time.
  bool run_queued(std::vector<std::function<void()>> writes) {
    auto blocker = Connection::open(path(), {.create = false});
    EXPECT_OK(blocker);
    EXPECT_OK((*blocker)->exec("BEGIN IMMEDIATE"));
    std::vector<std::thread> threads;
    for (auto& w : writes) threads.emplace_back(w);
    const bool filled = eventually([&] { return store_->write_stats().queued == writes.size() - 1; });
    EXPECT_OK((*blocker)->exec("COMMIT"));
    for (auto& th : threads) th.join();
    return filled;
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  domain::Tenant tenant_;
  std::mutex mu_;
  int timed_creates_ = 0;  // GUARDED_BY(mu_)
};

TEST_F(SqliteGroupCommitTest, QueuedWritesShareOneCommit) {
  constexpr int kWrites = 9;
  const auto before = store_->write_stats();
  std::atomic<int> ok{0};
  std::vector<std::function<void()>> writes;
  for (int i = 0; i < kWrites; ++i) {
    writes.emplace_back([&] {
      auto s = testing::make_shipment(tenant_.id);
      if (store_->create_shipment(s, testing::created_event(s), nullptr)) ++ok;
    });
  }
  ASSERT_TRUE(run_queued(std::move(writes)));
  EXPECT_EQ(ok.load(), kWrites);
  const auto after = store_->write_stats();
  EXPECT_EQ(after.bodies - before.bodies, kWrites);
  EXPECT_EQ(after.commits - before.commits, 2);  // the leader's lone write, then the 8 queued behind it
  EXPECT_EQ(after.queued, 0u);
  std::lock_guard lock(mu_);
  EXPECT_EQ(timed_creates_, kWrites);  // each write still reports its own timing
}

TEST_F(SqliteGroupCommitTest, FailingWriteInAGroupGetsItsOwnErrorAndTheOthersCommit) {
  auto taken = testing::make_shipment(tenant_.id);
  taken.external_order_id = "TAKEN";
  ASSERT_OK(store_->create_shipment(taken, testing::created_event(taken), nullptr));

  // 5 unique orders, 2 racing for the new order id "FRESH", 2 reusing "TAKEN"; each with its own
  // Idempotency-Key (stored first in the transaction, so a failed create must leave no record).
  struct Attempt {
    domain::Shipment shipment;
    IdempotencyRecord idem;
    Status result;
  };
  std::vector<Attempt> attempts;
  for (int i = 0; i < 9; ++i) {
    auto s = testing::make_shipment(tenant_.id);
    s.external_order_id = i < 5 ? "U-" + std::to_string(i) : i < 7 ? "FRESH" : "TAKEN";
    attempts.push_back({s, testing::make_idempotency("key-" + std::to_string(i), "POST /v1/shipments"), {}});
  }
  std::vector<std::function<void()>> writes;
  for (auto& a : attempts)
    writes.emplace_back([&] { a.result = store_->create_shipment(a.shipment, testing::created_event(a.shipment), &a.idem); });
  ASSERT_TRUE(run_queued(std::move(writes)));

  int fresh_ok = 0;
  for (size_t i = 0; i < attempts.size(); ++i) {
    const auto& a = attempts[i];
    auto idem = store_->find_idempotency(tenant_.id, "POST /v1/shipments", a.idem.key);
    ASSERT_OK(idem);
    if (i < 5 || (i < 7 && a.result.ok())) {
      EXPECT_OK(a.result) << "attempt " << i;
      EXPECT_OK(store_->get_shipment(tenant_.id, a.shipment.id));
      EXPECT_TRUE(idem->has_value());
      fresh_ok += i >= 5;
    } else {
      EXPECT_TRUE(fails_with(a.result, ErrorCode::kConflict, "external_order_id")) << "attempt " << i;
      EXPECT_TRUE(fails_with(store_->get_shipment(tenant_.id, a.shipment.id), ErrorCode::kNotFound));
      EXPECT_FALSE(idem->has_value()) << "the failed create left its idempotency record";
    }
  }
  EXPECT_EQ(fresh_ok, 1);
  auto events = store_->events_after(0, 100);
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), 1u + 6u);  // "TAKEN" and the 6 successful creates
}

TEST_F(SqliteGroupCommitTest, ConcurrentWritersNeedNoMoreCommitsThanWrites) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 100;
  const auto before = store_->write_stats();
  std::barrier start(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kWritesPerThread; ++i) {
        auto s = testing::make_shipment(tenant_.id);
        if (!store_->create_shipment(s, testing::created_event(s), nullptr)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const auto after = store_->write_stats();
  const int64_t writes = after.bodies - before.bodies;
  const int64_t commits = after.commits - before.commits;
  EXPECT_EQ(writes, kThreads * kWritesPerThread);
  EXPECT_LE(commits, writes);  // how much fewer depends on scheduling: printed, not asserted
  std::printf("[ group commit ] %lld writes in %lld commits (%.1f writes per commit)\n",
              static_cast<long long>(writes), static_cast<long long>(commits),
              commits > 0 ? static_cast<double>(writes) / static_cast<double>(commits) : 0.0);
}

}  // namespace
}  // namespace lastmile::storage::sqlite
