// The milestone state machine of docs/api.md ("Legal transitions") and DESIGN.md R2.
#include "domain/milestone.hpp"

#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace lastmile::domain {
namespace {

using M = Milestone;

// ---------------------------------------------------------------------------------------------
// The full 11×11 matrix, written from docs/api.md, not from milestone.cpp. Rows are `from`,
// columns are `to`, in this order:
//
//   C created  P processed  S shipped  O out_for_delivery  A arriving  D delivered
//   F attempt_failed  E exception  R returned  X cancelled  K available_for_pickup
//
// Cells marked in the comment with * are not spelt out in docs/api.md; they are the product's
// reading (a parcel in transit may be returned to sender or sent to a pickup point; an exception
// may be cleared back into the main chain).
constexpr std::array<M, 11> kOrder = {M::kCreated,        M::kProcessed, M::kShipped,  M::kOutForDelivery,
                                      M::kArriving,       M::kDelivered, M::kAttemptFailed, M::kException,
                                      M::kReturned,       M::kCancelled, M::kAvailableForPickup};

constexpr std::array<std::string_view, 11> kExpected = {
    //  to: CPSOADFERXK
    /* C */ ".xxx...x.x.",  // chain may skip forward; exception; cancel before shipped
    /* P */ "..xx...x.x.",
    /* S */ "...x...xx.x",  // R*, K*; no cancel once shipped
    /* O */ "....xxxxx.x",  // arriving, delivered, attempt_failed, exception; R*, K*
    /* A */ ".....xxxx..",  // delivered, attempt_failed, exception; R*
    /* D */ "...........",  // final
    /* F */ "...x...xx.x",  // out_for_delivery again, exception, returned, available_for_pickup
    /* E */ ".xxx....xxx",  // P* S* O* R* K* (cleared exception); cancelled
    /* R */ "...........",  // final
    /* X */ "...........",  // final
    /* K */ ".....x.xx..",  // delivered (picked up), exception, R*
};

TEST(MilestoneMatrix, EveryCellMatchesTheIndependentTable) {
  ASSERT_EQ(all_milestones().size(), kOrder.size());
  int legal = 0;
  for (size_t i = 0; i < kOrder.size(); ++i) {
    ASSERT_EQ(kExpected[i].size(), kOrder.size()) << "row " << i;
    for (size_t j = 0; j < kOrder.size(); ++j) {
      bool expected = kExpected[i][j] == 'x';
      EXPECT_EQ(transition_allowed(kOrder[i], kOrder[j]), expected)
          << milestone_name(kOrder[i]) << " -> " << milestone_name(kOrder[j]);
      legal += expected;
    }
  }
  EXPECT_EQ(legal, 36);
}

// ---------------------------------------------------------------------------------------------
// The sentences of docs/api.md, one test each.

TEST(MilestoneTransitions, MainChainMaySkipForward) {
  const std::vector<std::pair<M, M>> forward = {
      {M::kCreated, M::kProcessed},   {M::kCreated, M::kShipped},       {M::kCreated, M::kOutForDelivery},
      {M::kProcessed, M::kShipped},   {M::kProcessed, M::kOutForDelivery}, {M::kShipped, M::kOutForDelivery}};
  for (auto [from, to] : forward)
    EXPECT_TRUE(transition_allowed(from, to)) << milestone_name(from) << " -> " << milestone_name(to);
}

TEST(MilestoneTransitions, MainChainNeverGoesBack) {
  const std::array chain = {M::kCreated, M::kProcessed, M::kShipped, M::kOutForDelivery};
  for (size_t i = 0; i < chain.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      EXPECT_FALSE(transition_allowed(chain[i], chain[j]))
          << milestone_name(chain[i]) << " -> " << milestone_name(chain[j]);
  for (M m : all_milestones()) EXPECT_FALSE(transition_allowed(m, M::kCreated)) << milestone_name(m);
}

TEST(MilestoneTransitions, ArrivingNeedsOutForDelivery) {
  for (M from : all_milestones())
    EXPECT_EQ(transition_allowed(from, M::kArriving), from == M::kOutForDelivery) << milestone_name(from);
}

TEST(MilestoneTransitions, DeliveredNeedsOutForDeliveryArrivingOrPickup) {
  const std::set<M> allowed = {M::kOutForDelivery, M::kArriving, M::kAvailableForPickup};
  for (M from : all_milestones())
    EXPECT_EQ(transition_allowed(from, M::kDelivered), allowed.count(from) == 1) << milestone_name(from);
}

TEST(MilestoneTransitions, AttemptFailedNeedsOutForDeliveryOrArriving) {
  const std::set<M> allowed = {M::kOutForDelivery, M::kArriving};
  for (M from : all_milestones())
    EXPECT_EQ(transition_allowed(from, M::kAttemptFailed), allowed.count(from) == 1) << milestone_name(from);
}

TEST(MilestoneTransitions, AfterAFailedAttemptOnlyRetryPickupReturnOrException) {
  const std::set<M> allowed = {M::kOutForDelivery, M::kAvailableForPickup, M::kReturned, M::kException};
  for (M to : all_milestones())
    EXPECT_EQ(transition_allowed(M::kAttemptFailed, to), allowed.count(to) == 1) << milestone_name(to);
}

TEST(MilestoneTransitions, ExceptionFromAnyNonFinalState) {
  for (M from : all_milestones()) {
    bool expected = !is_terminal(from) && from != M::kException;
    EXPECT_EQ(transition_allowed(from, M::kException), expected) << milestone_name(from);
  }
}

TEST(MilestoneTransitions, CancelledOnlyBeforeShippedOrFromException) {
  const std::set<M> allowed = {M::kCreated, M::kProcessed, M::kException};
  for (M from : all_milestones())
    EXPECT_EQ(transition_allowed(from, M::kCancelled), allowed.count(from) == 1) << milestone_name(from);
}

TEST(MilestoneTransitions, ARepeatIsNeverAChange) {
  for (M m : all_milestones()) EXPECT_FALSE(transition_allowed(m, m)) << milestone_name(m);
}

TEST(MilestoneTransitions, NothingFollowsAFinalState) {
  for (M from : {M::kDelivered, M::kReturned, M::kCancelled})
    for (M to : all_milestones())
      EXPECT_FALSE(transition_allowed(from, to)) << milestone_name(from) << " -> " << milestone_name(to);
}

TEST(MilestoneTransitions, ATypicalDeliveryDayIsLegal) {
  const std::vector<M> day = {M::kCreated,  M::kProcessed,     M::kShipped,        M::kOutForDelivery,
                              M::kArriving, M::kAttemptFailed, M::kOutForDelivery, M::kArriving,
                              M::kDelivered};
  for (size_t i = 1; i < day.size(); ++i)
    EXPECT_TRUE(transition_allowed(day[i - 1], day[i]))
        << milestone_name(day[i - 1]) << " -> " << milestone_name(day[i]);
}

// Graph properties: every milestone can be reached from created, and no non-final state is a dead end.
std::set<M> reachable_from(M start) {
  std::set<M> seen{start};
  std::deque<M> todo{start};
  while (!todo.empty()) {
    M m = todo.front();
    todo.pop_front();
    for (M to : all_milestones())
      if (transition_allowed(m, to) && seen.insert(to).second) todo.push_back(to);
  }
  return seen;
}

TEST(MilestoneTransitions, EveryMilestoneIsReachableFromCreated) {
  EXPECT_EQ(reachable_from(M::kCreated).size(), all_milestones().size());
}

TEST(MilestoneTransitions, EveryNonFinalStateCanStillEnd) {
  for (M m : all_milestones()) {
    if (is_terminal(m)) continue;
    auto reach = reachable_from(m);
    EXPECT_TRUE(reach.count(M::kDelivered) || reach.count(M::kReturned) || reach.count(M::kCancelled))
        << milestone_name(m);
  }
}

// ---------------------------------------------------------------------------------------------
// Names and tags.

TEST(Milestone, TerminalStatesAreDeliveredReturnedCancelled) {
  std::set<std::string_view> terminal;
  for (M m : all_milestones())
    if (is_terminal(m)) terminal.insert(milestone_name(m));
  EXPECT_EQ(terminal, (std::set<std::string_view>{"delivered", "returned", "cancelled"}));
}

TEST(Milestone, StableApiNames) {
  const std::vector<std::pair<M, std::string_view>> names = {
      {M::kCreated, "created"},
      {M::kProcessed, "processed"},
      {M::kShipped, "shipped"},
      {M::kOutForDelivery, "out_for_delivery"},
      {M::kArriving, "arriving"},
      {M::kDelivered, "delivered"},
      {M::kAttemptFailed, "attempt_failed"},
      {M::kException, "exception"},
      {M::kReturned, "returned"},
      {M::kCancelled, "cancelled"},
      {M::kAvailableForPickup, "available_for_pickup"},
  };
  for (auto [m, name] : names) EXPECT_EQ(milestone_name(m), name);
}

TEST(Milestone, AllMilestonesListsEachOnceInDeclarationOrder) {
  auto all = all_milestones();
  ASSERT_EQ(all.size(), 11u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(static_cast<size_t>(all[i]), i);
}

TEST(Milestone, NamesRoundTripThroughParse) {
  std::set<std::string_view> distinct;
  for (M m : all_milestones()) {
    auto name = milestone_name(m);
    distinct.insert(name);
    auto back = parse_milestone(name);
    ASSERT_TRUE(back) << name;
    EXPECT_EQ(*back, m) << name;
  }
  EXPECT_EQ(distinct.size(), 11u);
}

TEST(Milestone, ParseIsExact) {
  for (const char* bad : {"", "Delivered", "DELIVERED", "out-for-delivery", "outForDelivery", " delivered",
                          "delivered ", "deliver", "canceled", "InTransit", "OutForDelivery"})
    EXPECT_FALSE(parse_milestone(bad)) << '"' << bad << '"';
}

TEST(Milestone, AfterShipTags) {
  EXPECT_EQ(aftership_tag(M::kCreated), "InfoReceived");
  EXPECT_EQ(aftership_tag(M::kProcessed), "InTransit");
  EXPECT_EQ(aftership_tag(M::kShipped), "InTransit");
  EXPECT_EQ(aftership_tag(M::kOutForDelivery), "OutForDelivery");
  EXPECT_EQ(aftership_tag(M::kArriving), "OutForDelivery");
  EXPECT_EQ(aftership_tag(M::kDelivered), "Delivered");
  EXPECT_EQ(aftership_tag(M::kAttemptFailed), "AttemptFail");
  EXPECT_EQ(aftership_tag(M::kAvailableForPickup), "AvailableForPickup");
  EXPECT_EQ(aftership_tag(M::kException), "Exception");
  EXPECT_EQ(aftership_tag(M::kReturned), "Exception");   // AfterShip: Exception / returned to sender
  EXPECT_EQ(aftership_tag(M::kCancelled), "Exception");  // AfterShip: Exception / cancelled
}

TEST(Milestone, TagsAreExactlyTheSevenOfR2) {
  std::set<std::string_view> tags;
  for (M m : all_milestones()) tags.insert(aftership_tag(m));
  EXPECT_EQ(tags, (std::set<std::string_view>{"InfoReceived", "InTransit", "OutForDelivery", "AttemptFail",
                                              "Delivered", "AvailableForPickup", "Exception"}));
}

}  // namespace
}  // namespace lastmile::domain
