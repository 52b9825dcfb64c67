#include "pod/hash_chain.hpp"

#include <gtest/gtest.h>

namespace lastmile::pod {
namespace {

ChainedEvent event(std::string id, std::string payload) {
  ChainedEvent e;
  e.id = std::move(id);
  e.tenant_id = "t1";
  e.shipment_id = "shp_1";
  e.type = "delivered";
  e.milestone = "delivered";
  e.occurred_at_ms = 1700000000000;
  e.recorded_at_ms = 1700000000123;
  e.actor = "driver:drv_1";
  e.source = "driver_app";
  e.lat = 52.52;
  e.lon = 13.405;
  e.payload = std::move(payload);
  return e;
}

std::vector<ChainedEvent> chain_of_three() {
  std::vector<ChainedEvent> events = {event("e1", "{}"), event("e2", "{\"note\":\"x\"}"),
                                      event("e3", "{\"photos\":[\"ab12\"]}")};
  std::string prev(kGenesisHash);
  for (auto& e : events) {
    e.prev_hash = prev;
    e.hash = event_hash(e, prev);
    prev = e.hash;
  }
  return events;
}

TEST(HashChain, CanonicalEncodingDistinguishesAbsentFromEmpty) {
  ChainedEvent a = event("e1", "{}");
  ChainedEvent b = a;
  a.milestone.reset();
  b.milestone = "";
  EXPECT_NE(canonical_event(a), canonical_event(b));
  b = a;
  b.lat.reset();
  EXPECT_NE(canonical_event(a), canonical_event(b));
}

TEST(HashChain, FieldBoundariesCannotBeShifted) {
  ChainedEvent a = event("e1", "{}");
  ChainedEvent b = a;
  a.actor = "ab";
  a.source = "c";
  b.actor = "a";
  b.source = "bc";
  EXPECT_NE(event_hash(a, kGenesisHash), event_hash(b, kGenesisHash));
}

TEST(HashChain, HashIsSha256HexAndDependsOnPrevHash) {
  const ChainedEvent e = event("e1", "{}");
  EXPECT_EQ(event_hash(e, kGenesisHash).size(), 64u);
  EXPECT_NE(event_hash(e, kGenesisHash), event_hash(e, "ff"));
}

TEST(HashChain, IntactChainVerifies) { EXPECT_TRUE(verify_chain(chain_of_three()).empty()); }

TEST(HashChain, AlteredPayloadIsReportedOnThatEvent) {
  auto events = chain_of_three();
  events[1].payload = "{\"note\":\"y\"}";
  auto problems = verify_chain(events);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e2");
  EXPECT_EQ(problems[0].reason, "hash_mismatch");
}

TEST(HashChain, RemovedEventBreaksTheLink) {
  auto events = chain_of_three();
  events.erase(events.begin() + 1);
  auto problems = verify_chain(events);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e3");
  EXPECT_EQ(problems[0].reason, "broken_link");
}

TEST(HashChain, RecomputedHashStillBreaksTheNextLink) {
  auto events = chain_of_three();
  events[0].payload = "{\"forged\":true}";
  events[0].hash = event_hash(events[0], events[0].prev_hash);
  auto problems = verify_chain(events);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e2");
  EXPECT_EQ(problems[0].reason, "broken_link");
}

}  // namespace
}  // namespace lastmile::pod
