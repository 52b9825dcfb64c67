#include "push/live_session.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "push/socket_options.hpp"

namespace lastmile::push {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Plain operator new/delete, for the two operations an idle session keeps pending (the wait for
// readability and the timer wait): an exact-size block each. Asio's default — which it also uses
// for std::allocator — is a per-thread recycling cache that hands an operation any cached block
// big enough, typically one left by an HTTP read or an accept (about 250 bytes), and these live
// as long as the connection. Short-lived operations keep the faster default.
template <typename T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() = default;
  template <typename U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
  template <typename U>
  bool operator==(const ExactAllocator<U>&) const noexcept {
    return true;
  }
};

template <typename Handler>
auto long_lived(Handler handler) {
  return asio::bind_allocator(ExactAllocator<void>(), std::move(handler));
}

}  // namespace

LiveSession::LiveSession(Socket socket, const SessionOptions& options, std::string head)
    : socket_(std::move(socket)), options_(options), out_(std::move(head)), timer_(socket_.get_executor()) {
  set_tcp_user_timeout(socket_, options_.idle_timeout);
  error_code ignored;
  socket_.non_blocking(true, ignored);  // read_some() returns would_block instead of waiting
}

std::function<void()> LiveSession::waker() {
  // One pointer, so std::function keeps it inline. Safe: the hub never calls the function after
  // the subscription (owned by feed_, released at the latest by ~LiveSession) is reset.
  return [this] {
    auto self = weak_from_this().lock();
    if (!self) return;  // being destroyed
    auto executor = self->socket_.get_executor();
    asio::post(executor, [self = std::move(self)] { self->pump(); });
  };
}

void LiveSession::start(FeedSetup setup, Done done) {
  feed_.emplace(std::move(setup));
  done_ = std::move(done);
  write(Write::kHead);  // out_ holds the head since construction
}

void LiveSession::stop() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flags_.stop_requested = true;
    self->pump();
  });
}

void LiveSession::write(Write kind) {
  writing_ = true;
  write_kind_ = kind;
  write_started_ = SteadyClock::now();
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](const error_code& ec, size_t) { self->on_written(ec); });
  arm_timer();
}

void LiveSession::on_written(const error_code& ec) {
  writing_ = false;
  std::string().swap(out_);  // an idle session keeps no write buffer
  if (done_called_) return;
  const bool ok = !ec;
  if (!ok) {
    broken_ = true;
    flags_.client_gone = true;
  }
  switch (write_kind_) {
    case Write::kHead:
      opened_ = ok;
      if (ok) read_next();
      break;
    case Write::kFeed:
      feed_->sent(ok);
      if (ok && feed_->live() && next_heartbeat_ == SteadyClock::time_point::max())
        next_heartbeat_ = SteadyClock::now() + options_.heartbeat;  // `ready` is out: heartbeats from now
      break;
    case Write::kHeartbeat:
      break;
    case Write::kControl:
      control_written(ok);
      break;
  }
  pump();
}

void LiveSession::read_next() {
  if (reading_ || broken_ || done_called_) return;
  reading_ = true;
  socket_.async_wait(Socket::wait_read,
                     long_lived([self = shared_from_this()](const error_code& ec) { self->on_readable(ec); }));
}

void LiveSession::on_readable(const error_code& ec) {
  reading_ = false;
  if (done_called_ || broken_) return;
  if (ec) {
    fail();
    pump();
    return;
  }
  std::array<char, 4096> buffer;  // on the stack: nothing is kept between reads
  for (;;) {
    error_code rec;
    const size_t n = socket_.read_some(asio::buffer(buffer), rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) {  // end of stream included: the client is gone
      fail();
      pump();
      return;
    }
    received(std::string_view(buffer.data(), n));
    if (broken_ || done_called_) {
      pump();
      return;
    }
    if (n < buffer.size()) break;
  }
  read_next();
  pump();
}

void LiveSession::fail() {
  broken_ = true;
  flags_.client_gone = true;
  error_code ignored;
  socket_.cancel(ignored);  // the pending read and write complete with operation_aborted
}

void LiveSession::finish() {
  if (done_called_) return;
  auto self = shared_from_this();  // `done` may drop the owner's reference
  done_called_ = true;
  if (feed_) {
    feed_->report();
    feed_.reset();  // releases the subscription
  }
  error_code ignored;
  socket_.shutdown(Socket::shutdown_send, ignored);
  socket_.close(ignored);
  timer_.cancel();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(reason_);
}

void LiveSession::pump() {
  if (!feed_ && !done_called_) return;  // a wake before start(): start() writes the head, then pumps
  if (done_called_ || writing_ || page_pending_ || ended_) {
    arm_timer();
    return;
  }
  if (!opened_) {  // the head could not be written
    ended_ = true;
    reason_ = EndReason::kClientGone;
    end(reason_);
    return;
  }
  if (!broken_ && write_control()) return;
  if (heartbeat_due_) {
    heartbeat_due_ = false;
    if (feed_->live() && !flags_.client_gone && !flags_.stop_requested) {
      static const core::SystemClock system_clock;
      const core::Clock& wall = options_.clock ? *options_.clock : system_clock;
      encode_heartbeat(wall.now(), out_);
      feed_->report();
      write(Write::kHeartbeat);
      return;
    }
  }
  Feed::Action action = feed_->next(flags_);
  switch (action.kind) {
    case Feed::Action::Kind::kReadPage:
      read_page();
      arm_timer();
      return;
    case Feed::Action::Kind::kSend:
      encode(action.batch, out_);
      write(Write::kFeed);
      return;
    case Feed::Action::Kind::kWait:
      arm_timer();
      return;
    case Feed::Action::Kind::kEnd:
      ended_ = true;
      reason_ = action.reason;
      end(reason_);
      if (!done_called_) arm_timer();
      return;
  }
}

void LiveSession::read_page() {
  page_pending_ = true;
  asio::co_spawn(socket_.get_executor(), feed_->backlog().next_page(),
                 [self = shared_from_this()](std::exception_ptr e, Backlog::Page page) {
                   self->page_pending_ = false;
                   if (self->done_called_) return;
                   if (e) page = Backlog::Page{{}, Backlog::Page::State::kResync};  // as a read failure
                   self->feed_->page_read(std::move(page));
                   self->pump();
                 });
}

void LiveSession::arm_timer() {
  if (done_called_) return;
  auto at = deadline();
  if (writing_ && !broken_) at = std::min(at, write_started_ + write_timeout(write_kind_));
  if (!ended_ && feed_ && feed_->live()) at = std::min(at, next_heartbeat_);
  if (at == SteadyClock::time_point::max() || at >= timer_at_) return;  // an earlier wait is pending
  timer_at_ = at;
  timer_.expires_at(at);  // a pending wait completes with operation_aborted
  timer_.async_wait(long_lived([self = shared_from_this()](const error_code& ec) { self->on_timer(ec); }));
}

void LiveSession::on_timer(const error_code& ec) {
  if (ec == asio::error::operation_aborted) return;  // re-armed or closed
  timer_at_ = SteadyClock::time_point::max();
  if (done_called_) return;
  const auto now = SteadyClock::now();
  if (writing_ && !broken_ && now - write_started_ >= write_timeout(write_kind_)) fail();  // a stalled client
  if (now >= next_heartbeat_) {
    heartbeat_due_ = true;
    next_heartbeat_ += options_.heartbeat;
    if (next_heartbeat_ <= now) next_heartbeat_ = now + options_.heartbeat;
  }
  on_deadline(now);
  pump();
}

}  // namespace lastmile::push
