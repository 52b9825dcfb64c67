// `lastmile serve --mqtt URL`: the broker address, credentials and client id, and every malformed
// form refused with kInvalidField on "mqtt".
#include "mqtt/mqtt_url.hpp"

#include <gtest/gtest.h>

namespace lastmile::mqtt {
namespace {

TEST(MqttUrl, HostAndPort) {
  auto u = parse_mqtt_url("mqtt://127.0.0.1:18830");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 18830);
  EXPECT_EQ(u->username, "");
  EXPECT_EQ(u->client_id, "lastmile");
}

TEST(MqttUrl, DefaultPortIs1883) {
  auto u = parse_mqtt_url("mqtt://broker.example");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "broker.example");
  EXPECT_EQ(u->port, 1883);
}

TEST(MqttUrl, PercentEncodedCredentials) {
  auto u = parse_mqtt_url("mqtt://lastmile:p%40ss%3Aword@broker:1883/");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->username, "lastmile");
  EXPECT_EQ(u->password, "p@ss:word");
  EXPECT_EQ(display_url(*u), "mqtt://lastmile@broker:1883");  // never the password
}

TEST(MqttUrl, UserWithoutPassword) {
  auto u = parse_mqtt_url("mqtt://reader@broker");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->username, "reader");
  EXPECT_EQ(u->password, "");
}

TEST(MqttUrl, ClientIdFromTheQuery) {
  auto u = parse_mqtt_url("mqtt://broker:1883?client_id=lastmile-node-2");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->client_id, "lastmile-node-2");
}

TEST(MqttUrl, Ipv6Host) {
  auto u = parse_mqtt_url("mqtt://[::1]:1884");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(display_url(*u), "mqtt://[::1]:1884");
}

TEST(MqttUrl, MalformedUrlsAreInvalid) {
  for (const char* bad : {"", "broker:1883", "mqtts://broker:8883", "http://broker", "mqtt://",
                          "mqtt://:1883", "mqtt://broker:0", "mqtt://broker:65536", "mqtt://broker:12ab",
                          "mqtt://broker/topic", "mqtt://broker?qos=2", "mqtt://broker?client_id=",
                          "mqtt://:secret@broker", "mqtt://broker#x", "mqtt://bro ker"}) {
    auto u = parse_mqtt_url(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.error().code, core::ErrorCode::kInvalidField) << bad;
    EXPECT_EQ(u.error().field, "mqtt") << bad;
  }
}

}  // namespace
}  // namespace lastmile::mqtt
