#include "push/feed.hpp"

#include <cassert>

namespace lastmile::push {

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

Feed::Feed(FeedSetup setup)
    : subscription_(std::move(setup.subscription)),
      backlog_(std::move(setup.backlog)),
      on_sent_(std::move(setup.on_sent)),
      cursor_(setup.cursor),
      audience_(subscription_->audience()) {}

Feed::Action Feed::next(const FeedFlags& flags) {
  for (;;) {
    switch (phase_) {
      case Phase::kOver:
        return Action{Action::Kind::kEnd, {}, reason_};
      case Phase::kEnding:  // the final message went out (or could not)
        return end(reason_);
      case Phase::kBacklog: {
        if (resync_due_) return send_last(resync_json(cursor_), EndReason::kResync);
        if (!backlog_) {
          phase_ = Phase::kLive;
          std::vector<Outgoing> ready;
          ready.push_back(Outgoing{std::make_shared<const std::string>(ready_json(cursor_)), cursor_});
          return send(std::move(ready));
        }
        if (!page_) return Action{Action::Kind::kReadPage, {}, reason_};
        Backlog::Page page = std::move(*page_);
        page_.reset();
        if (flags.client_gone) return end(EndReason::kClientGone);
        if (flags.stop_requested) return end(EndReason::kShutdown);
        auto batch = visible(page.messages);
        if (page.state == Backlog::Page::State::kResync) {
          resync_due_ = true;
          backlog_.reset();
        } else if (page.state == Backlog::Page::State::kDone) {
          backlog_.reset();
        }
        if (!batch.empty()) return send(std::move(batch));
        continue;
      }
      case Phase::kLive: {
        if (flags.client_gone) return end(EndReason::kClientGone);
        if (flags.stop_requested) return send_last(closed_json("shutdown"), EndReason::kShutdown);
        std::vector<LiveMessagePtr> pending;  // empty: take() swaps the outbox's storage out whole
        if (!subscription_->take(pending)) return send_last(closed_json("lagging"), EndReason::kLagging);
        if (pending.empty()) return Action{Action::Kind::kWait, {}, reason_};
        auto batch = visible(pending);
        if (!batch.empty()) return send(std::move(batch));
        continue;  // only events already sent: look again (take() arms the wake when empty)
      }
    }
  }
}

void Feed::page_read(Backlog::Page page) {
  assert(phase_ == Phase::kBacklog && !page_);
  page_ = std::make_unique<Backlog::Page>(std::move(page));
}

void Feed::sent(bool ok) {
  if (ok) unreported_ += in_flight_;
  in_flight_ = 0;
  if (!ok && phase_ != Phase::kEnding && phase_ != Phase::kOver) {
    phase_ = Phase::kEnding;
    reason_ = EndReason::kClientGone;
    subscription_.reset();
  }
}

void Feed::report() {
  if (unreported_ && on_sent_) on_sent_(unreported_);
  unreported_ = 0;
}

Feed::Action Feed::send(std::vector<Outgoing> batch) {
  in_flight_ = static_cast<uint32_t>(batch.size());
  return Action{Action::Kind::kSend, std::move(batch), reason_};
}

Feed::Action Feed::send_last(std::string text, EndReason reason) {
  phase_ = Phase::kEnding;
  reason_ = reason;
  subscription_.reset();  // no more deliveries to a feed that is ending
  std::vector<Outgoing> last;
  last.push_back(Outgoing{std::make_shared<const std::string>(std::move(text)), 0});
  return send(std::move(last));
}

Feed::Action Feed::end(EndReason reason) {
  phase_ = Phase::kOver;
  reason_ = reason;
  subscription_.reset();
  backlog_.reset();
  page_.reset();
  report();
  return Action{Action::Kind::kEnd, {}, reason};
}

std::vector<Outgoing> Feed::visible(const std::vector<LiveMessagePtr>& messages) {
  std::vector<Outgoing> batch;
  for (const auto& m : messages) {
    int64_t id = 0;
    if (m->kind == LiveMessage::Kind::kEvent) {
      if (m->event_seq <= cursor_) continue;
      cursor_ = id = m->event_seq;
    }
    if (const auto& text = m->json_for(audience_)) batch.push_back(Outgoing{text, id});
  }
  return batch;
}

}  // namespace lastmile::push
