// Concurrent writers and readers: events are published in commit order, CAS lets one writer win.
#include <mutex>
#include <thread>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

// Runs each test against a memory database (one shared connection) and a file database (a writer
// plus a reader pool).
class ConcurrencyTest : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<Store> open(StoreOptions options) {
    if (!GetParam()) return open_test_store(std::move(options));
    return open_store("sqlite:" + (dir_.path() / "concurrent.db").string(), std::move(options));
  }

  TempDir dir_;
};

TEST_P(ConcurrencyTest, OnCommitSeesStrictlyIncreasingGlobalSeqFromConcurrentWriters) {
  constexpr int kThreads = 4;
  constexpr int kEventsPerThread = 50;
  std::mutex mu;
  std::vector<int64_t> seen;  // GUARDED_BY(mu)
  StoreOptions options;
  options.on_commit = [&](const std::vector<domain::Event>& events) {
    std::lock_guard lock(mu);
    for (const auto& e : events) seen.push_back(e.global_seq);
  };
  auto store = open(options);
  auto tenant = make_tenant("Busy");
  ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
  std::vector<domain::Shipment> shipments;
  for (int t = 0; t < kThreads; ++t) {
    shipments.push_back(make_shipment(tenant.id));
    ASSERT_OK(store->create_shipment(shipments.back(), created_event(shipments.back()), nullptr));
  }

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        auto e = make_event(shipments[t], std::nullopt, at(i));
        if (!store->append_event(e, Milestone::kCreated)) ++failures;
        if (!store->get_shipment(tenant.id, shipments[t].id)) ++failures;  // readers alongside writers
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  std::vector<int64_t> published;
  {
    std::lock_guard lock(mu);  // released before calling the store: on_commit takes `mu` under its writer lock
    published = seen;
  }
  ASSERT_EQ(published.size(), static_cast<size_t>(kThreads + kThreads * kEventsPerThread));
  for (size_t i = 1; i < published.size(); ++i) ASSERT_LT(published[i - 1], published[i]) << "at " << i;
  auto all = store->events_after(0, 1000);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), published.size());
  for (size_t i = 0; i < published.size(); ++i) EXPECT_EQ((*all)[i].global_seq, published[i]);
}

TEST_P(ConcurrencyTest, CompareAndSetLetsExactlyOneWriterWin) {
  constexpr int kThreads = 8;
  auto store = open({});
  auto tenant = make_tenant("Race");
  ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
  auto s = make_shipment(tenant.id);
  ASSERT_OK(store->create_shipment(s, created_event(s), nullptr));

  std::atomic<int> won{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto r = store->append_event(make_event(s, Milestone::kProcessed), Milestone::kCreated);
      if (r)
        ++won;
      else if (r.error().code == ErrorCode::kConflict)
        ++conflicts;
      else
        ++other;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  auto events = store->list_events(tenant.id, s.id);
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), 2u);
}

TEST_P(ConcurrencyTest, ConcurrentCreatesOfTheSameUniqueValueConflictOnce) {
  constexpr int kThreads = 6;
  auto store = open({});
  auto tenant = make_tenant("Dup");
  ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto st = store->create_carrier(make_carrier(tenant.id, "same"), nullptr);
      if (st)
        ++ok;
      else if (st.error().code == ErrorCode::kConflict && st.error().field == "code")
        ++conflicts;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
}

INSTANTIATE_TEST_SUITE_P(Databases, ConcurrencyTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? std::string("File") : std::string("Memory"); });

}  // namespace
}  // namespace lastmile::storage::testing
