#include <optional>

#include "push/session.hpp"

namespace lastmile::push {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

std::string closed_json(std::string_view reason) {
  return R"({"type":"closed","reason":")" + std::string(reason) + "\"}";
}

std::string ready_json(int64_t last_event_id) {
  return R"({"type":"ready","last_event_id":)" + std::to_string(last_event_id) + "}";
}

std::string resync_json(int64_t last_event_id) {
  return R"({"type":"resync","last_event_id":)" + std::to_string(last_event_id) + "}";
}

std::string heartbeat_json(core::Timestamp at) {
  return R"({"type":"heartbeat","at":")" + core::format_iso8601(at) + "\"}";
}

namespace {

std::vector<Outgoing> one(std::string text, int64_t id = 0) {
  return {Outgoing{std::make_shared<const std::string>(std::move(text)), id}};
}

// Keeps a vector's memory small between bursts: an idle session should hold next to nothing.
template <typename T>
void shrink(std::vector<T>& v) {
  v.clear();
  if (v.capacity() > 16) std::vector<T>().swap(v);
}

// Appends the messages this audience may see and advances the cursor over events; events at or
// below the cursor were already sent (backlog) and are skipped.
void append_visible(const std::vector<LiveMessagePtr>& messages, Audience audience, int64_t& cursor,
                    std::vector<Outgoing>& batch) {
  for (const auto& m : messages) {
    int64_t id = 0;
    if (m->kind == LiveMessage::Kind::kEvent) {
      if (m->event_seq <= cursor) continue;
      cursor = id = m->event_seq;
    }
    if (const auto& text = m->json_for(audience)) batch.push_back(Outgoing{text, id});
  }
}

}  // namespace

asio::awaitable<EndReason> run_feed(FeedTransport& transport, FeedSetup& setup, Waker& waker,
                                    const FeedFlags& flags, const SessionOptions& options) {
  const core::SystemClock system_clock;
  const core::Clock& wall = options.clock ? *options.clock : system_clock;
  Subscription& sub = *setup.subscription;
  int64_t cursor = setup.cursor;
  uint64_t unreported = 0;
  auto report = [&] {
    if (unreported && setup.on_sent) setup.on_sent(unreported);
    unreported = 0;
  };
  std::vector<Outgoing> batch;
  std::vector<LiveMessagePtr> pending;

  // 1. The backlog.
  while (setup.backlog) {
    auto page = co_await setup.backlog->next_page();
    if (flags.client_gone) co_return EndReason::kClientGone;
    if (flags.stop_requested) co_return EndReason::kShutdown;
    batch.clear();
    append_visible(page.messages, sub.audience(), cursor, batch);
    if (!batch.empty() && !co_await transport.send(batch)) co_return EndReason::kClientGone;
    unreported += batch.size();
    if (page.state == Backlog::Page::State::kResync) {
      if (co_await transport.send(one(resync_json(cursor)))) ++unreported;
      report();
      co_return EndReason::kResync;
    }
    if (page.state == Backlog::Page::State::kDone) setup.backlog.reset();
  }
  shrink(batch);

  // 2. Ready.
  if (!co_await transport.send(one(ready_json(cursor), cursor))) co_return EndReason::kClientGone;
  ++unreported;

  // 3. Live.
  auto next_heartbeat = SteadyClock::now() + options.heartbeat;
  for (;;) {
    if (flags.client_gone) break;
    if (flags.stop_requested) {
      if (co_await transport.send(one(closed_json("shutdown")))) ++unreported;
      report();
      co_return EndReason::kShutdown;
    }
    if (!sub.take(pending)) {
      if (co_await transport.send(one(closed_json("lagging")))) ++unreported;
      report();
      co_return EndReason::kLagging;
    }
    if (pending.empty()) {
      co_await waker.wait_until(next_heartbeat);
    } else {
      append_visible(pending, sub.audience(), cursor, batch);
      shrink(pending);  // the batch holds the texts; drop the messages now
      if (!batch.empty() && !co_await transport.send(batch)) break;
      unreported += batch.size();
      shrink(batch);
    }
    const auto now = SteadyClock::now();
    if (now >= next_heartbeat && !flags.client_gone && !flags.stop_requested) {
      if (!co_await transport.heartbeat(wall.now())) break;
      report();
      next_heartbeat += options.heartbeat;
      if (next_heartbeat <= now) next_heartbeat = now + options.heartbeat;
    }
  }
  report();
  co_return EndReason::kClientGone;
}

}  // namespace lastmile::push
