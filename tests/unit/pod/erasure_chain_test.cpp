// Erasure of personal data keeps a chain verifiable (docs/privacy.md): an erased event is sealed by
// a later personal_data_erased event; any edit after the erasure, or a forged seal, is reported.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "pod/hash_chain.hpp"

namespace lastmile::pod {
namespace {

ChainedEvent event(std::string id, std::string type, std::string payload) {
  ChainedEvent e;
  e.id = std::move(id);
  e.tenant_id = "t1";
  e.shipment_id = "shp_1";
  e.type = std::move(type);
  e.occurred_at_ms = 1700000000000;
  e.recorded_at_ms = 1700000000123;
  e.actor = "driver:drv_1";
  e.source = "driver_app";
  e.payload = std::move(payload);
  return e;
}

void append(std::vector<ChainedEvent>& chain, ChainedEvent e) {
  e.prev_hash = chain.empty() ? std::string(kGenesisHash) : chain.back().hash;
  e.hash = event_hash(e, e.prev_hash);
  chain.push_back(std::move(e));
}

// created, delivered (with a name), scan; then the delivered event is redacted and sealed.
std::vector<ChainedEvent> erased_chain() {
  std::vector<ChainedEvent> chain;
  append(chain, event("e1", "created", "{}"));
  append(chain, event("e2", "delivered", R"({"proof":{"recipient_name":"Marie Curie","photos":["ab"]}})"));
  append(chain, event("e3", "scan", "{}"));
  chain[1].payload = R"({"proof":{"recipient_name":"[erased]","photos":["ab"]}})";
  chain[1].erased_by = "e4";
  const std::string sealed = core::sha256_hex(canonical_event(chain[1]));
  append(chain, event("e4", std::string(kErasureEventType), erasure_payload({{"e2", sealed}})));
  return chain;
}

TEST(ErasureChain, ErasedAndSealedChainVerifies) {
  EXPECT_TRUE(verify_chain(erased_chain()).empty());
}

TEST(ErasurePayload, ListsEventsWithTheirRedactedDigests) {
  EXPECT_EQ(erasure_payload({{"e2", "aa"}, {"e5", "bb"}}),
            R"({"erased_events":[{"event_id":"e2","redacted_sha256":"aa"},{"event_id":"e5","redacted_sha256":"bb"}]})");
  EXPECT_EQ(erasure_payload({}), R"({"erased_events":[]})");
}

TEST(ErasureChain, EditAfterErasureIsAnErasureMismatch) {
  auto chain = erased_chain();
  chain[1].payload = R"({"proof":{"recipient_name":"[erased]","photos":["cd"]}})";
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e2");
  EXPECT_EQ(problems[0].reason, "erasure_mismatch");
}

TEST(ErasureChain, MarkingAnEventErasedWithoutASealIsReported) {
  auto chain = erased_chain();
  chain[2].payload = R"({"forged":true})";
  chain[2].erased_by = "e4";  // e4 does not list e3
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].reason, "erasure_mismatch");
  EXPECT_EQ(problems[1].reason, "erasure_mismatch");
}

TEST(ErasureChain, ErasureNamingAMissingEventIsReported) {
  auto chain = erased_chain();
  chain[1].erased_by = "e9";
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e2");
  EXPECT_EQ(problems[0].reason, "erasure_mismatch");
}

TEST(ErasureChain, ClearingTheErasedMarkIsAHashMismatch) {
  auto chain = erased_chain();
  chain[1].erased_by.clear();
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e2");
  EXPECT_EQ(problems[0].reason, "hash_mismatch");
}

TEST(ErasureChain, ForgedErasureEventBreaksItsOwnHash) {
  auto chain = erased_chain();
  chain[3].payload = erasure_payload({});
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 2u);  // e4 no longer hashes; e2 is no longer sealed by it
  EXPECT_EQ(problems[0].event_id, "e4");
  EXPECT_EQ(problems[0].reason, "hash_mismatch");
  EXPECT_EQ(problems[1].reason, "erasure_mismatch");
}

TEST(ErasureChain, SealBeforeTheErasedEventIsReported) {
  std::vector<ChainedEvent> chain;
  append(chain, event("e1", "created", "{}"));
  ChainedEvent later = event("e3", "delivered", R"({"proof":{"recipient_name":"[erased]"}})");
  later.erased_by = "e2";
  const std::string sealed = core::sha256_hex(canonical_event(later));
  append(chain, event("e2", std::string(kErasureEventType), erasure_payload({{"e3", sealed}})));
  append(chain, later);
  chain[2].erased_by = "e2";
  auto problems = verify_chain(chain);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].event_id, "e3");
  EXPECT_EQ(problems[0].reason, "erasure_mismatch");
}

}  // namespace
}  // namespace lastmile::pod
