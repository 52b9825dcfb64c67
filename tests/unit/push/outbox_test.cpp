// The per-subscriber outbox: order, coalescing (also past the size where it keeps an index), bounds.
#include "push/outbox.hpp"

#include <gtest/gtest.h>

namespace lastmile::push {
namespace {

LiveMessagePtr position(int driver, int n) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kPosition;
  m.coalesce_key = "drv_" + std::to_string(driver);
  m.staff_json = std::make_shared<const std::string>(m.coalesce_key + "#" + std::to_string(n));
  return std::make_shared<const LiveMessage>(std::move(m));
}

LiveMessagePtr ordered(LiveMessage::Kind kind, int n) {
  LiveMessage m;
  m.kind = kind;
  m.event_seq = kind == LiveMessage::Kind::kEvent ? n : 0;
  m.staff_json = std::make_shared<const std::string>("m" + std::to_string(n));
  return std::make_shared<const LiveMessage>(std::move(m));
}

std::vector<std::string> texts(Outbox& box) {
  std::vector<LiveMessagePtr> out;
  box.take(out);
  std::vector<std::string> t;
  for (const auto& m : out) t.push_back(*m->staff_json);
  return t;
}

TEST(Outbox, KeepsStopsAndExceptionsInOrderWithEvents) {
  Outbox box;
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kEvent, 1)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kStop, 2)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kException, 3)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.ordered(), 3u);
  EXPECT_EQ(texts(box), (std::vector<std::string>{"m1", "m2", "m3"}));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.ordered(), 0u);
}

TEST(Outbox, CoalescesWithManyDriversQueued) {
  Outbox box;
  for (int d = 0; d < 100; ++d) EXPECT_EQ(box.push(position(d, 0)), Outbox::Offer::kQueued);
  for (int round = 1; round <= 3; ++round)
    for (int d = 0; d < 100; d += 7) EXPECT_EQ(box.push(position(d, round)), Outbox::Offer::kCoalesced);
  EXPECT_EQ(box.positions(), 100u);
  auto t = texts(box);
  ASSERT_EQ(t.size(), 100u);
  for (int d = 0; d < 100; ++d)
    EXPECT_EQ(t[d], "drv_" + std::to_string(d) + "#" + std::to_string(d % 7 == 0 ? 3 : 0));
  // After a take the index is gone: the same drivers queue again.
  for (int d = 0; d < 20; ++d) EXPECT_EQ(box.push(position(d, 9)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(position(19, 10)), Outbox::Offer::kCoalesced);
  EXPECT_EQ(texts(box).back(), "drv_19#10");
}

TEST(Outbox, RefusesBeyondItsBoundsWithoutChangingAnything) {
  Outbox box(OutboxLimits{.max_ordered = 2, .max_positions = 2});
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kEvent, 1)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kEvent, 2)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(ordered(LiveMessage::Kind::kEvent, 3)), Outbox::Offer::kOverflow);
  EXPECT_EQ(box.push(position(1, 0)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(position(2, 0)), Outbox::Offer::kQueued);
  EXPECT_EQ(box.push(position(2, 1)), Outbox::Offer::kCoalesced);  // a known driver still fits
  EXPECT_EQ(box.push(position(3, 0)), Outbox::Offer::kOverflow);
  EXPECT_EQ(texts(box), (std::vector<std::string>{"m1", "m2", "drv_1#0", "drv_2#1"}));
}

TEST(Outbox, ClearDropsEverything) {
  Outbox box;
  box.push(ordered(LiveMessage::Kind::kEvent, 1));
  box.push(position(1, 0));
  box.clear();
  EXPECT_TRUE(box.empty());
  EXPECT_TRUE(texts(box).empty());
}

}  // namespace
}  // namespace lastmile::push
