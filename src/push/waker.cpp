#include "push/waker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lastmile::push {

namespace asio = boost::asio;

Waker::Waker(asio::any_io_executor strand) : state_(std::make_shared<State>(std::move(strand))) {}

Waker::~Waker() {
  // A remote wake posted earlier may still run: it holds its own reference to the state.
  state_->timer.cancel();
}

asio::awaitable<bool> Waker::wait_until(std::chrono::steady_clock::time_point deadline) {
  auto st = state_;
  if (!st->woken) {
    st->timer.expires_at(deadline);
    co_await st->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  const bool woken = st->woken;
  st->woken = false;
  co_return woken;
}

void Waker::fire() {
  state_->woken = true;
  state_->timer.cancel();
}

std::function<void()> Waker::remote() const {
  return [weak = std::weak_ptr<State>(state_)] {
    auto st = weak.lock();
    if (!st) return;
    auto ex = st->timer.get_executor();
    asio::post(ex, [st = std::move(st)] {
      st->woken = true;
      st->timer.cancel();
    });
  };
}

}  // namespace lastmile::push
