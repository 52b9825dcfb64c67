#pragma once
// Wakes one coroutine waiting on a strand, from any thread. A wake that arrives while nobody waits
// is remembered, so a wake can never be lost between a check and the wait.
//
// Threading: wait_until() and fire() run on the strand given at construction; the function
// returned by remote() may be called from any thread, also after the Waker is gone (then it does
// nothing).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace lastmile::push {

class Waker {
 public:
  explicit Waker(boost::asio::any_io_executor strand);
  ~Waker();
  Waker(const Waker&) = delete;
  Waker& operator=(const Waker&) = delete;

  // Suspends until fire() or `deadline`. Returns true when woken (the wake is consumed), false when
  // the deadline passed.
  boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline);
  // On the strand: wakes the waiter now, or the next wait_until() at once.
  void fire();
  // A thread-safe trigger that posts fire() to the strand (e.g. a Hub wake function).
  std::function<void()> remote() const;

 private:
  struct State {
    explicit State(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    boost::asio::steady_timer timer;
    bool woken = false;  // touched on the strand only
  };
  std::shared_ptr<State> state_;
};

}  // namespace lastmile::push
