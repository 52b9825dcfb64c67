// When the recipient may still change their delivery instructions on the tracking page.
#include "domain/instructions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::domain {
namespace {

bool editable(std::string_view milestone) { return recipient_may_edit_instructions(*parse_milestone(milestone)); }

TEST(Instructions, TheRecipientMayEditThemUntilTheParcelLeavesForDelivery) {
  EXPECT_TRUE(editable("created"));
  EXPECT_TRUE(editable("processed"));
  EXPECT_TRUE(editable("shipped"));
}

TEST(Instructions, OnceTheDriverIsOnTheWayTheyAreLocked) {
  for (std::string m : {"out_for_delivery", "arriving", "delivered", "attempt_failed", "exception", "returned",
                        "cancelled", "available_for_pickup"})
    EXPECT_FALSE(editable(m)) << m;
}

}  // namespace
}  // namespace lastmile::domain
