// Many concurrent writers (the load group commit is for): every write is acknowledged only once it
// is committed and published, every event is published exactly once and in commit order, and
// everything survives a reopen.
#include <barrier>
#include <mutex>
#include <set>
#include <thread>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

constexpr int kThreads = 8;
constexpr int kWritesPerThread = 100;

// Collects what on_commit saw.
struct Published {
  std::mutex mu;
  std::vector<int64_t> seqs;        // GUARDED_BY(mu), in publication order
  std::set<std::string> event_ids;  // GUARDED_BY(mu)
  int duplicates = 0;               // GUARDED_BY(mu)

  StoreOptions options() {
    StoreOptions o;
    o.on_commit = [this](const std::vector<domain::Event>& events) {
      std::lock_guard lock(mu);
      for (const auto& e : events) {
        seqs.push_back(e.global_seq);
        if (!event_ids.insert(e.id.str()).second) ++duplicates;
      }
    };
    return o;
  }
  bool saw(const domain::Event& e) {
    std::lock_guard lock(mu);
    return event_ids.count(e.id.str()) == 1;
  }
};

// Memory database (one shared connection: reads wait for the writer mutex) and file database.
class GroupCommitTest : public ::testing::TestWithParam<bool> {
 protected:
  std::string url() const {
    return GetParam() ? "sqlite:" + (dir_.path() / "group.db").string() : fresh_store_url();
  }
  TempDir dir_;
};

// Runs kThreads × kWritesPerThread create_shipment calls at once (a barrier lines the threads up),
// each thread also reading its own shipment back; returns the shipments created.
std::vector<domain::Shipment> create_concurrently(Store& store, const core::TenantId& tenant, Published& published,
                                                  std::atomic<int>& failures) {
  std::vector<std::vector<domain::Shipment>> per_thread(kThreads);
  for (auto& list : per_thread)
    for (int i = 0; i < kWritesPerThread; ++i) list.push_back(make_shipment(tenant, at(i)));
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (const auto& s : per_thread[t]) {
        const auto created = created_event(s);
        if (!store.create_shipment(s, created, nullptr)) ++failures;
        if (!published.saw(created)) ++failures;            // published before the writer returned
        if (!store.get_shipment(tenant, s.id)) ++failures;  // readers alongside the writers
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<domain::Shipment> all;
  for (auto& list : per_thread) all.insert(all.end(), list.begin(), list.end());
  return all;
}

TEST_P(GroupCommitTest, ConcurrentWritersAllCommitAndEachEventIsPublishedOnceInCommitOrder) {
  Published published;
  auto store = open_store(url(), published.options());
  auto tenant = make_tenant("Crowd");
  ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));

  std::atomic<int> failures{0};
  auto shipments = create_concurrently(*store, tenant.id, published, failures);
  EXPECT_EQ(failures.load(), 0);

  for (const auto& s : shipments) EXPECT_OK(store->get_shipment(tenant.id, s.id));
  std::vector<int64_t> seqs;
  {
    std::lock_guard lock(published.mu);  // released before calling the store (on_commit takes it)
    seqs = published.seqs;
    EXPECT_EQ(published.duplicates, 0);
  }
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kThreads * kWritesPerThread));
  for (size_t i = 1; i < seqs.size(); ++i) ASSERT_LT(seqs[i - 1], seqs[i]) << "at " << i;
  auto stored = store->events_after(0, 10'000);
  ASSERT_OK(stored);
  ASSERT_EQ(stored->size(), seqs.size());
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ((*stored)[i].global_seq, seqs[i]);
}

TEST_P(GroupCommitTest, ConcurrentDuplicatesConflictWhileTheirNeighboursCommit) {
  auto store = open_store(url(), {});
  auto tenant = make_tenant("Dups");
  ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
  // Each round, every thread creates a shipment with the round's shared external order id and one
  // with an id of its own: exactly one shared create per round wins.
  constexpr int kRounds = 30;
  std::atomic<int> unique_ok{0}, shared_ok{0}, conflicts{0}, other{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int r = 0; r < kRounds; ++r) {
        auto shared = make_shipment(tenant.id);
        shared.external_order_id = "SHARED-" + std::to_string(r);
        auto own = make_shipment(tenant.id);
        own.external_order_id = "OWN-" + std::to_string(t) + "-" + std::to_string(r);
        auto st = store->create_shipment(shared, created_event(shared), nullptr);
        if (st)
          ++shared_ok;
        else if (st.error().code == ErrorCode::kConflict && st.error().field == "external_order_id")
          ++conflicts;
        else
          ++other;
        if (store->create_shipment(own, created_event(own), nullptr))
          ++unique_ok;
        else
          ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(shared_ok.load(), kRounds);
  EXPECT_EQ(conflicts.load(), kRounds * (kThreads - 1));
  EXPECT_EQ(unique_ok.load(), kRounds * kThreads);
  auto events = store->events_after(0, 10'000);
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), static_cast<size_t>(kRounds + kRounds * kThreads));  // no trace of the losers
  for (int r = 0; r < kRounds; ++r)
    EXPECT_OK(store->find_shipment_by_external_id(tenant.id, "SHARED-" + std::to_string(r)));
}

INSTANTIATE_TEST_SUITE_P(Databases, GroupCommitTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? std::string("File") : std::string("Memory"); });

TEST(GroupCommitPersistenceTest, EverythingWrittenByConcurrentWritersSurvivesReopenWithoutFlush) {
  TempDir dir;
  const std::string url = "sqlite:" + (dir.path() / "reopen.db").string();
  auto tenant = make_tenant("Reopened");
  std::vector<domain::Shipment> shipments;
  int64_t last_seq = 0;
  {
    Published published;
    auto store = open_store(url, published.options());
    ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
    std::atomic<int> failures{0};
    shipments = create_concurrently(*store, tenant.id, published, failures);
    ASSERT_EQ(failures.load(), 0);
    std::lock_guard lock(published.mu);
    last_seq = published.seqs.back();
  }  // closed without flush(): what was acknowledged is in the WAL
  auto store = open_store(url, {});
  for (const auto& s : shipments) {
    auto got = store->get_shipment(tenant.id, s.id);
    ASSERT_OK(got);
    EXPECT_EQ(got->tracking_number, s.tracking_number);
  }
  auto events = store->events_after(0, 10'000);
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), shipments.size());
  auto more = store->append_event(make_event(shipments.front(), std::nullopt, at(1)), domain::Milestone::kCreated);
  ASSERT_OK(more);
  EXPECT_GT(more->global_seq, last_seq);
}

}  // namespace
}  // namespace lastmile::storage::testing
