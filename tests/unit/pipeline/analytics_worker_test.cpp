// The analytics aggregator's worker (pipeline/analytics_worker.hpp): a pass folds batches until one is
// short, reports what it folded, and a failing batch is an error, against a scripted AnalyticsStore.
#include <gtest/gtest.h>

#include <deque>
#include <future>
#include <mutex>

#include "pipeline/analytics_worker.hpp"

namespace lastmile::pipeline {
namespace {

// Answers aggregate_events from a script (then 0, or always an error); thread-safe.
class ScriptedAnalytics final : public storage::AnalyticsStore {
 public:
  explicit ScriptedAnalytics(std::deque<int> script, bool failing = false) : script_(std::move(script)), failing_(failing) {}

  core::Result<int> aggregate_events(int limit) override {
    std::lock_guard lock(mu_);
    limits_.push_back(limit);
    if (failing_) return core::Error{core::ErrorCode::kUnavailable, "database is busy", ""};
    if (script_.empty()) return 0;
    const int n = script_.front();
    script_.pop_front();
    return n;
  }
  std::vector<int> limits() {
    std::lock_guard lock(mu_);
    return limits_;
  }

  core::Result<int64_t> analytics_cursor() override { return int64_t{0}; }
  core::Result<std::vector<storage::AnalyticsRow>> analytics_rows(const storage::AnalyticsQuery&) override {
    return std::vector<storage::AnalyticsRow>{};
  }
  core::Status add_analytics_rows(const core::TenantId&, storage::AnalyticsDim,
                                  const std::vector<storage::AnalyticsRow>&) override {
    return {};
  }
  core::Result<std::optional<analytics::RateCard>> get_rate_card(const core::TenantId&, const core::CarrierId&) override {
    return std::optional<analytics::RateCard>{};
  }
  core::Status put_rate_card(const core::TenantId&, const core::CarrierId&, const analytics::RateCard&,
                             core::Timestamp) override {
    return {};
  }
  core::Result<std::vector<std::pair<std::string, analytics::RateCard>>> list_rate_cards(const core::TenantId&) override {
    return std::vector<std::pair<std::string, analytics::RateCard>>{};
  }
  core::Result<analytics::Targets> get_targets(const core::TenantId&) override { return analytics::Targets{}; }
  core::Status put_targets(const core::TenantId&, const analytics::Targets&, core::Timestamp) override { return {}; }

 private:
  std::mutex mu_;
  std::deque<int> script_;  // GUARDED_BY(mu_)
  std::vector<int> limits_;  // GUARDED_BY(mu_)
  const bool failing_;
};

TEST(AnalyticsWorkerTest, APassFoldsFullBatchesUntilAShortOneAndReportsTheTotal) {
  ScriptedAnalytics store({500, 500, 7});
  std::promise<int64_t> reported;
  AnalyticsWorkerOptions options;
  options.interval = std::chrono::hours(1);  // only the pass at start
  options.on_folded = [&reported](int64_t n) { reported.set_value(n); };
  {
    AnalyticsWorker worker(&store, options);
    EXPECT_EQ(reported.get_future().get(), 1007);
  }
  EXPECT_EQ(store.limits(), (std::vector<int>{500, 500, 500}));  // stopped after the short batch
}

TEST(AnalyticsWorkerTest, AFailingBatchIsTheError) {
  ScriptedAnalytics store({}, /*failing=*/true);
  AnalyticsWorkerOptions options;
  options.interval = std::chrono::hours(1);
  options.on_folded = [](int64_t) { ADD_FAILURE() << "nothing was folded"; };
  AnalyticsWorker worker(&store, options);
  auto folded = worker.catch_up();
  ASSERT_FALSE(folded.ok());
  EXPECT_EQ(folded.error().code, core::ErrorCode::kUnavailable);
}

TEST(AnalyticsWorkerTest, WithoutAnAnalyticsStoreNothingRuns) {
  AnalyticsWorker worker(nullptr, {});
  auto folded = worker.catch_up();
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(*folded, 0);
}

}  // namespace
}  // namespace lastmile::pipeline
