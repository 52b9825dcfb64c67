#include "cluster/server_list.hpp"

#include <gtest/gtest.h>

namespace lastmile::cluster {
namespace {

TEST(ServerListTest, SplitsTheUrls) {
  auto r = parse_server_list("nats://10.0.0.1:4222,nats://nats-2.internal:4223,");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"nats://10.0.0.1:4222", "nats://nats-2.internal:4223"}));
}

TEST(ServerListTest, RejectsWhatIsNotNatsHostPort) {
  for (const char* bad : {"", ",", "http://h:1", "nats://h", "nats://h:", "nats://:4222", "nats://h:42x",
                          "nats://a:1,b:2"}) {
    auto r = parse_server_list(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidField) << bad;
    EXPECT_EQ(r.error().field, "cluster") << bad;
  }
}

}  // namespace
}  // namespace lastmile::cluster
