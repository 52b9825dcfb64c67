// What a simulated phone sends, per protocol (sim/device_messages.hpp), byte for byte.
#include "sim/device_messages.hpp"

#include <gtest/gtest.h>

#include "sim/device_protocol.hpp"

namespace lastmile::sim {
namespace {

constexpr int64_t kT = 1'795'000'000'123;  // 2026-11-18T…, with milliseconds

SimPing ping(int64_t t_ms = kT, double speed = 10.0, double heading = 45.25) {
  const core::LatLon p = *core::LatLon::from_unsafe({43.7347123, 7.4215456});
  return SimPing{core::Timestamp{t_ms}, p, speed, heading, 8, p};
}

TEST(DeviceMessagesTest, TheDriverAppBatchHasEveryFixWithMillisecondTimes) {
  EXPECT_EQ(json_batch_body({ping(), ping(kT + 2500, 0, 0)}, 88),
            R"([{"t":1795000000123,"lat":43.7347123,"lon":7.4215456,"speed":10.00,"heading":45.2,"accuracy":8,"battery":88},)"
            R"({"t":1795000002623,"lat":43.7347123,"lon":7.4215456,"speed":0.00,"heading":0.0,"accuracy":8,"battery":88}])");
  EXPECT_EQ(json_batch_body({}, 88), "[]");
}

TEST(DeviceMessagesTest, OsmandIsTraccarClientsQueryStringWithSpeedInKnotsAndTheDeviceToken) {
  EXPECT_EQ(osmand_target("4711", "lmd_ab-c_d", ping(), 90),
            "/?id=4711&timestamp=1795000000&lat=43.7347123&lon=7.4215456&speed=19.4&bearing=45.2"
            "&altitude=0.0&accuracy=8.0&batt=90&token=lmd_ab-c_d");
}

TEST(DeviceMessagesTest, OsmandPercentEncodesIdsAndTokens) {
  const std::string t = osmand_target("fleet:7/a b", "x+y=z&", ping(), 90);
  EXPECT_EQ(t.substr(0, 25), "/?id=fleet%3A7%2Fa%20b&ti");
  EXPECT_EQ(t.substr(t.find("&token=")), "&token=x%2By%3Dz%26");
}

TEST(DeviceMessagesTest, OsmandSecondsKeepFixesOneSecondApartDistinct) {
  EXPECT_NE(osmand_target("1", "t", ping(kT + 900), 90), osmand_target("1", "t", ping(kT + 1900), 90));
  EXPECT_NE(osmand_target("1", "t", ping(-1500), 90).find("timestamp=-2&"), std::string::npos);  // floor
}

TEST(DeviceMessagesTest, OwnTracksLocationHasTheAppsUnitsAndIntegers) {
  EXPECT_EQ(owntracks_location(ping(), "MD", 77),
            R"({"_type":"location","tid":"MD","tst":1795000000,"lat":43.7347123,"lon":7.4215456,)"
            R"("acc":8,"vel":36,"cog":45,"batt":77,"bs":1,"conn":"m"})");
  EXPECT_NE(owntracks_location(ping(), "a\"b", 77).find(R"("tid":"a\"b")"), std::string::npos);
}

TEST(DeviceMessagesTest, TheOwnTracksTopicIsUserAndDevice) {
  EXPECT_EQ(owntracks_topic("marie/phone"), "owntracks/marie/phone");
}

TEST(DeviceMessagesTest, TheBatteryDrainsFivePercentAnHourDownToTwenty) {
  const core::Timestamp start{kT};
  EXPECT_EQ(phone_battery_pct(start, core::Timestamp{kT - 60'000}), 95);
  EXPECT_EQ(phone_battery_pct(start, core::Timestamp{kT + 3'600'000}), 90);
  EXPECT_EQ(phone_battery_pct(start, core::Timestamp{kT + 100 * 3'600'000LL}), 20);
}

TEST(DeviceProtocolTest, NamesRoundTripAndMixedIsNotAProtocol) {
  for (DeviceProtocol p : {DeviceProtocol::kJson, DeviceProtocol::kOsmand, DeviceProtocol::kOwntracksHttp,
                           DeviceProtocol::kOwntracksMqtt}) {
    EXPECT_EQ(parse_device_protocol(device_protocol_name(p)), p);
  }
  EXPECT_EQ(std::string(device_protocol_name(DeviceProtocol::kOwntracksMqtt)), "owntracks-mqtt");
  EXPECT_FALSE(parse_device_protocol("mixed").has_value());
  EXPECT_FALSE(parse_device_protocol("JSON").has_value());
}

TEST(DeviceProtocolTest, MixedAssignsThePoolRoundRobinFromTheSeed) {
  const std::vector<DeviceProtocol> pool{DeviceProtocol::kJson, DeviceProtocol::kOsmand,
                                         DeviceProtocol::kOwntracksHttp};
  EXPECT_EQ(assign_protocols(pool, 4, 0),
            (std::vector<DeviceProtocol>{DeviceProtocol::kJson, DeviceProtocol::kOsmand,
                                         DeviceProtocol::kOwntracksHttp, DeviceProtocol::kJson}));
  EXPECT_EQ(assign_protocols(pool, 2, 5),
            (std::vector<DeviceProtocol>{DeviceProtocol::kOwntracksHttp, DeviceProtocol::kJson}));
  EXPECT_EQ(assign_protocols({DeviceProtocol::kOsmand}, 3, 9),
            std::vector<DeviceProtocol>(3, DeviceProtocol::kOsmand));
  EXPECT_TRUE(sends_one_fix_per_request(DeviceProtocol::kOsmand));
  EXPECT_FALSE(sends_one_fix_per_request(DeviceProtocol::kJson));
}

}  // namespace
}  // namespace lastmile::sim
