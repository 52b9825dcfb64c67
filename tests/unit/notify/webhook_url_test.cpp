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

TEST(WebhookUrl, TheErrorNamesTheField) {
  auto st = check_webhook_url("ftp://x", {});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "url");
}

}  // namespace
}  // namespace lastmile::notify
