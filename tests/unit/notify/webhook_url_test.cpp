// Which URLs a subscription may target.
#include "notify/webhook_url.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

using core::ErrorCode;

ErrorCode code_of(std::string_view url, bool allow_private = false) {
  auto st = check_webhook_url(url, UrlPolicy{allow_private});
  return st ? ErrorCode::kInternal : st.error().code;  // kInternal stands for "accepted" here
}

TEST(WebhookUrl, AcceptsPublicHttpAndHttps) {
  EXPECT_TRUE(check_webhook_url("https://hooks.example.com/lastmile?x=1", {}));
  EXPECT_TRUE(check_webhook_url("http://203.0.113.7:8080/in", {}));
}

TEST(WebhookUrl, RefusesOtherSchemesCredentialsAndFragments) {
  EXPECT_EQ(code_of("ftp://example.com/x"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of("file:///etc/passwd"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of("https://user:pw@example.com/"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of("https://example.com/#frag"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of("example.com/hook"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of("https:///nohost"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of(""), ErrorCode::kMissingField);
  EXPECT_EQ(code_of("https://example.com/" + std::string(2100, 'a')), ErrorCode::kInvalidField);
}

TEST(WebhookUrl, RefusesPrivateAddressesUnlessAllowed) {
  for (const char* url : {"http://127.0.0.1:9000/", "http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/",
                          "http://172.20.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]:80/",
                          "http://0.0.0.0/"}) {
    EXPECT_EQ(code_of(url), ErrorCode::kInvalidField) << url;
    EXPECT_TRUE(check_webhook_url(url, UrlPolicy{true})) << url;
  }
  EXPECT_TRUE(check_webhook_url("http://172.32.0.1/", {}));  // outside 172.16/12
}

TEST(WebhookUrl, ConnectedAddressesAreJudgedByTheirNumbers) {
  for (const char* ip : {"127.0.0.1", "127.1.2.3", "10.0.0.7", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                         "100.64.0.1", "0.0.0.0", "::1", "::", "fd12::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1", "not an address", ""})
    EXPECT_TRUE(is_private_address(ip)) << ip;
  for (const char* ip : {"93.184.216.34", "172.32.0.1", "100.128.0.1", "2001:db8::1", "2a00:1450::200e",
                         "::ffff:93.184.216.34"})
    EXPECT_FALSE(is_private_address(ip)) << ip;
}

TEST(WebhookUrl, TheErrorNamesTheField) {
  auto st = check_webhook_url("ftp://x", {});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "url");
}

}  // namespace
}  // namespace lastmile::notify
