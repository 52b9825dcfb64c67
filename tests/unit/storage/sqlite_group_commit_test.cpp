// SQLite group commit (commit_queue.hpp): writes queued behind a running group share the next
// transaction and its one COMMIT, and a failing write in a group is rolled back alone.
// SQLite-specific: it reads SqliteStore::write_stats() and holds the database's write lock from a
// second connection, so that the queue fills up deterministically.
// Asynchronous writes (append_track_points_async, CommitQueue::submit_async) keep the same promises
// and answer through a callback once committed: nobody blocks while they wait.
#include <barrier>
#include <condition_variable>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>

#include "core/new_id.hpp"
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
    auto blocker = SqliteConnection::open(path(), {.create = false});
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

// Collects the results of asynchronous appends; wait() returns once `n` arrived (or after 10 s).
class Answers {
 public:
  Store::AppendDone callback(size_t slot) {
    return [this, slot](Result<int> r) {
      std::lock_guard lock(mu_);
      results_.emplace_back(slot, std::move(r));
      changed_.notify_all();
    };
  }
  bool wait(size_t n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return results_.size() >= n; });
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return results_.size();
  }
  // The result of the append given `slot`.
  Result<int> of(size_t slot) {
    std::lock_guard lock(mu_);
    for (auto& [s, r] : results_)
      if (s == slot) return r;
    return core::Error::internal();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::pair<size_t, Result<int>>> results_;  // in completion order
};

std::vector<ingest::Ping> fixes(const core::DriverId& driver, int64_t first_second, int n) {
  std::vector<ingest::Ping> out;
  for (int i = 0; i < n; ++i) {
    ingest::Ping p;
    p.driver_id = driver;
    p.t = testing::at(first_second + i);
    p.position = testing::latlon(43.7384 + 1e-4 * i, 7.4246);
    p.received_at = p.t;
    out.push_back(p);
  }
  return out;
}

class SqliteAsyncAppendTest : public SqliteGroupCommitTest {
 protected:
  void SetUp() override {
    SqliteGroupCommitTest::SetUp();
    driver_ = testing::make_driver(tenant_.id);
    ASSERT_OK(store_->create_driver(driver_, testing::device_token_for(driver_), nullptr));
  }
  // Submits `first` and waits until the committer thread took it (it then waits in BEGIN IMMEDIATE
  // while a second connection holds the write lock), so that later appends queue behind it.
  void lead_with(std::vector<ingest::Ping> first, Store::AppendDone done) {
    store_->append_track_points_async(tenant_.id, driver_.id, std::move(first), std::move(done));
    ASSERT_TRUE(eventually([&] { return store_->write_stats().queued == 0; }));
  }
  domain::Driver driver_;
};

TEST_F(SqliteAsyncAppendTest, AppendsQueuedBehindALockedDatabaseAnswerOnlyAfterTheirSharedCommit) {
  constexpr size_t kAppends = 6;
  const auto before = store_->write_stats();
  auto blocker = SqliteConnection::open(path(), {.create = false});
  ASSERT_OK(blocker);
  ASSERT_OK((*blocker)->exec("BEGIN IMMEDIATE"));
  Answers answers;
  // From one thread, without blocking it: the committer thread leads the first (stuck in BEGIN),
  // the other five queue behind it.
  lead_with(fixes(driver_.id, 0, 3), answers.callback(0));
  for (size_t i = 1; i < kAppends; ++i)
    store_->append_track_points_async(tenant_.id, driver_.id, fixes(driver_.id, 10 * static_cast<int64_t>(i), 3),
                                      answers.callback(i));
  ASSERT_TRUE(eventually([&] { return store_->write_stats().queued == kAppends - 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(answers.count(), 0u) << "an append answered before it was committed";
  ASSERT_OK((*blocker)->exec("COMMIT"));

  ASSERT_TRUE(answers.wait(kAppends));
  for (size_t i = 0; i < kAppends; ++i) {
    auto r = answers.of(i);
    ASSERT_OK(r);
    EXPECT_EQ(*r, 3) << "append " << i;
  }
  const auto after = store_->write_stats();
  EXPECT_EQ(after.bodies - before.bodies, static_cast<int64_t>(kAppends));
  EXPECT_EQ(after.commits - before.commits, 2);  // the leader's lone append, then the five queued behind it
  auto stored = store_->list_track_points(tenant_.id, driver_.id, testing::at(0), testing::at(1000), 1000);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->size(), kAppends * 3);
}

TEST_F(SqliteAsyncAppendTest, AFailingAppendGetsItsErrorAndTheRestOfItsGroupCommits) {
  auto blocker = SqliteConnection::open(path(), {.create = false});
  ASSERT_OK(blocker);
  ASSERT_OK((*blocker)->exec("BEGIN IMMEDIATE"));
  Answers answers;
  const auto stranger = core::new_id<core::DriverId>();  // no such driver in the tenant
  lead_with(fixes(driver_.id, 0, 2), answers.callback(0));
  store_->append_track_points_async(tenant_.id, stranger, fixes(stranger, 0, 2), answers.callback(1));
  store_->append_track_points_async(tenant_.id, driver_.id, fixes(driver_.id, 100, 2), answers.callback(2));
  ASSERT_TRUE(eventually([&] { return store_->write_stats().queued == 2; }));
  ASSERT_OK((*blocker)->exec("COMMIT"));
  ASSERT_TRUE(answers.wait(3));
  EXPECT_TRUE(fails_with(answers.of(1), ErrorCode::kNotFound));
  ASSERT_OK(answers.of(0));
  ASSERT_OK(answers.of(2));
  auto stored = store_->list_track_points(tenant_.id, driver_.id, testing::at(0), testing::at(1000), 1000);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->size(), 4u);
}

TEST_F(SqliteAsyncAppendTest, ClosingTheStoreCompletesEveryQueuedAppendDurably) {
  constexpr size_t kAppends = 20;
  Answers answers;
  {
    auto blocker = SqliteConnection::open(path(), {.create = false});
    ASSERT_OK(blocker);
    ASSERT_OK((*blocker)->exec("BEGIN IMMEDIATE"));
    lead_with(fixes(driver_.id, 0, 2), answers.callback(0));
    for (size_t i = 1; i < kAppends; ++i)
      store_->append_track_points_async(tenant_.id, driver_.id, fixes(driver_.id, 10 * static_cast<int64_t>(i), 2),
                                        answers.callback(i));
    ASSERT_TRUE(eventually([&] { return store_->write_stats().queued == kAppends - 1; }));
    ASSERT_OK((*blocker)->exec("COMMIT"));
    store_.reset();  // runs what is still queued, then returns
  }
  EXPECT_EQ(answers.count(), kAppends);
  auto reopened = SqliteStore::open(path(), {});
  ASSERT_OK(reopened);
  auto stored = (*reopened)->list_track_points(tenant_.id, driver_.id, testing::at(0), testing::at(1000), 1000);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->size(), kAppends * 2);
  for (size_t i = 0; i < kAppends; ++i) EXPECT_TRUE(answers.of(i).ok()) << "append " << i;
}

TEST_F(SqliteAsyncAppendTest, AKnownDriverIsStillNotFoundUnderAnotherTenant) {
  // The first append proves the driver exists (and later ones skip that query): only for its tenant.
  ASSERT_OK(store_->append_track_points(tenant_.id, driver_.id, fixes(driver_.id, 0, 2)));
  auto other = testing::make_tenant("Other");
  ASSERT_OK(store_->create_tenant(other, testing::make_credential(other.id, domain::Role::kTenantAdmin)));
  EXPECT_TRUE(fails_with(store_->append_track_points(other.id, driver_.id, fixes(driver_.id, 10, 2)),
                         ErrorCode::kNotFound));
  Answers answers;
  store_->append_track_points_async(other.id, driver_.id, fixes(driver_.id, 20, 2), answers.callback(0));
  ASSERT_TRUE(answers.wait(1));
  EXPECT_TRUE(fails_with(answers.of(0), ErrorCode::kNotFound));
  auto stored = store_->list_track_points(tenant_.id, driver_.id, testing::at(0), testing::at(1000), 1000);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->size(), 2u);
}

}  // namespace
}  // namespace lastmile::storage::sqlite
