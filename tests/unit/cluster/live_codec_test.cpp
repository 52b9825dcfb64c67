#include "cluster/live_codec.hpp"

#include <gtest/gtest.h>

namespace lastmile::cluster {
namespace {

TEST(LiveCodecTest, RoundTrip) {
  LiveFrame f;
  f.kind = LiveFrame::Kind::kStop;
  f.tenant = "ten_a";
  f.driver = "drv_b";
  f.route = "rte_c";
  f.public_audience = {"shp_1", "shp_2"};
  f.staff_json = R"({"type":"stop"})";
  f.public_json = R"({"type":"stop","public":true})";
  auto out = decode_live_frame(encode_live_frame(f));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->kind, LiveFrame::Kind::kStop);
  EXPECT_EQ(out->tenant, "ten_a");
  EXPECT_EQ(out->driver, "drv_b");
  EXPECT_EQ(out->route, "rte_c");
  EXPECT_EQ(out->public_audience, f.public_audience);
  EXPECT_EQ(out->staff_json, f.staff_json);
  EXPECT_EQ(out->public_json, f.public_json);
}

TEST(LiveCodecTest, StaffOnlyPositionWithoutRoute) {
  LiveFrame f;
  f.tenant = "ten_a";
  f.driver = "drv_b";
  f.staff_json = "{}";
  auto out = decode_live_frame(encode_live_frame(f));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->kind, LiveFrame::Kind::kPosition);
  EXPECT_FALSE(out->route);
  EXPECT_TRUE(out->public_json.empty());
  EXPECT_EQ(live_subject("ten_a"), "lastmile.live.ten_a");
}

TEST(LiveCodecTest, RejectsBadFrames) {
  EXPECT_EQ(decode_live_frame("{").error().code, core::ErrorCode::kInvalidJson);
  EXPECT_EQ(decode_live_frame("{}").error().code, core::ErrorCode::kMissingField);
  EXPECT_EQ(decode_live_frame(R"({"v":2})").error().code, core::ErrorCode::kInvalidField);
  EXPECT_EQ(decode_live_frame(R"({"v":1,"kind":"x","tenant":"t","driver":"d","staff":""})").error().code,
            core::ErrorCode::kInvalidField);
  EXPECT_EQ(decode_live_frame(R"({"v":1,"kind":"eta","tenant":1,"driver":"d","staff":""})").error().code,
            core::ErrorCode::kWrongType);
  EXPECT_EQ(decode_live_frame(R"({"v":1,"kind":"eta","tenant":"t","driver":"d","staff":"","audience":[1]})").error().code,
            core::ErrorCode::kWrongType);
}

}  // namespace
}  // namespace lastmile::cluster
