// Which logo URLs a shipper may set for the tracking page (domain/branding.hpp).
#include "domain/branding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::domain {
namespace {

TEST(Branding, NoLogoASameOriginPathAnHttpsUrlOrAnInlineImageAreAccepted) {
  EXPECT_TRUE(is_acceptable_logo_url(""));
  EXPECT_TRUE(is_acceptable_logo_url("/brand/riviera.svg"));
  EXPECT_TRUE(is_acceptable_logo_url("https://cdn.riviera.example/logo.png"));
  EXPECT_TRUE(is_acceptable_logo_url("data:image/png;base64,iVBORw0KGgo="));
  EXPECT_TRUE(is_acceptable_logo_url("data:image/svg+xml;base64,PHN2Zy8+"));
}

TEST(Branding, ScriptsOtherSchemesAndMalformedUrlsAreRefused) {
  EXPECT_FALSE(is_acceptable_logo_url("javascript:alert(1)"));
  EXPECT_FALSE(is_acceptable_logo_url("http://riviera.example/logo.png"));  // not https
  EXPECT_FALSE(is_acceptable_logo_url("//evil.example/logo.png"));          // another origin, no scheme
  EXPECT_FALSE(is_acceptable_logo_url("https:///logo.png"));
  EXPECT_FALSE(is_acceptable_logo_url("logo.png"));                         // relative to the page: no
  EXPECT_FALSE(is_acceptable_logo_url("/"));
  EXPECT_FALSE(is_acceptable_logo_url("data:text/html;base64,PHNjcmlwdD4="));
  EXPECT_FALSE(is_acceptable_logo_url("data:image/png,rawbytes"));          // base64 only
  EXPECT_FALSE(is_acceptable_logo_url("data:image/png;base64,not base64"));
  EXPECT_FALSE(is_acceptable_logo_url("/logo.png\" onerror=\"x"));
  EXPECT_FALSE(is_acceptable_logo_url("/logo\\.png"));
  EXPECT_FALSE(is_acceptable_logo_url("/logo\n.png"));
  EXPECT_FALSE(is_acceptable_logo_url("/" + std::string(kLogoUrlMaxLen, 'a')));
}

}  // namespace
}  // namespace lastmile::domain
