// A pipeline shard: tasks run one at a time, in the order they were handed over, on the worker's
// thread or — dispatch() on an idle worker — on the caller's.
#include "pipeline/serial_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace lastmile::pipeline {
namespace {

TEST(SerialWorkerTest, DispatchOnAnIdleWorkerRunsOnTheCallersThread) {
  SerialWorker w;
  w.drain();
  std::thread::id ran_on;
  w.dispatch([&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(SerialWorkerTest, DispatchBehindARunningTaskWaitsItsTurnOnTheWorker) {
  SerialWorker w;
  std::promise<void> started, release;
  auto release_f = release.get_future().share();
  w.post([&] {
    started.set_value();
    release_f.wait();
  });
  started.get_future().wait();
  std::vector<int> order;
  std::thread::id ran_on;
  w.dispatch([&] {
    order.push_back(2);
    ran_on = std::this_thread::get_id();
  });
  order.push_back(1);  // dispatch returned without running the task: it is queued
  release.set_value();
  w.drain();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(SerialWorkerTest, TasksFromManyThreadsNeverOverlapAndKeepEachSendersOrder) {
  SerialWorker w;
  constexpr int kThreads = 4, kTasks = 2000;
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::vector<int>> seen(kThreads);  // touched only inside tasks
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kTasks; ++i) {
        auto task = [&, t, i] {
          if (running.fetch_add(1) != 0) overlapped = true;
          seen[t].push_back(i);
          running.fetch_sub(1);
        };
        if (i % 2) w.dispatch(task); else w.post(task);
      }
    });
  }
  for (auto& s : senders) s.join();
  w.drain();
  EXPECT_FALSE(overlapped.load());
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(seen[t].size(), static_cast<size_t>(kTasks));
    for (int i = 0; i < kTasks; ++i) ASSERT_EQ(seen[t][i], i) << "sender " << t;
  }
}

TEST(SerialWorkerTest, AThrowingTaskIsCountedAndTheWorkerGoesOn) {
  SerialWorker w;
  w.dispatch([] { throw std::runtime_error("inline"); });
  w.post([] { throw std::runtime_error("queued"); });
  bool ran = false;
  w.post([&] { ran = true; });
  w.drain();
  EXPECT_TRUE(ran);
  EXPECT_EQ(w.failures(), 2u);
}

TEST(SerialWorkerTest, TheDestructorRunsEveryQueuedTask) {
  std::atomic<int> ran{0};
  {
    SerialWorker w;
    for (int i = 0; i < 100; ++i) w.post([&] { ran.fetch_add(1); });
  }
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace lastmile::pipeline
