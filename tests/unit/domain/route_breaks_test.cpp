// Which of a route's breaks are still ahead, and before which of the stops left.
#include "domain/route_breaks.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

RouteBreak brk(std::string id, int after_stops) { return RouteBreak{std::move(id), after_stops, 1800, std::nullopt}; }

const std::vector<RouteBreak> kLunchAndCoffee{brk("coffee", 0), brk("lunch", 2)};

TEST(RouteBreaksTest, BeforeAnyStopIsDoneBothAreAheadInTheirPlaces) {
  const auto left = breaks_pending(kLunchAndCoffee, 0, false);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].index, 0u);
  EXPECT_EQ(left[0].before, 0u);
  EXPECT_EQ(left[1].index, 1u);
  EXPECT_EQ(left[1].before, 2u);
}

TEST(RouteBreaksTest, ABreakBeforeTheFirstStopIsBehindOnceTheDriverLeftTheStart) {
  const auto left = breaks_pending(kLunchAndCoffee, 0, true);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].index, 1u);
  EXPECT_EQ(left[0].before, 2u);
}

TEST(RouteBreaksTest, ABreakCountsFromTheStopsDone) {
  const auto one_done = breaks_pending(kLunchAndCoffee, 1, false);
  ASSERT_EQ(one_done.size(), 1u);  // a stop done: the coffee break is behind even without a departure
  EXPECT_EQ(one_done[0].before, 1u);
  EXPECT_TRUE(breaks_pending(kLunchAndCoffee, 2, true).empty());
  EXPECT_TRUE(breaks_pending(kLunchAndCoffee, 5, true).empty());
}

}  // namespace
}  // namespace lastmile::domain
