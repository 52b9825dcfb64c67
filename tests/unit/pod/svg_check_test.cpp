#include "pod/svg_check.hpp"

#include <gtest/gtest.h>

namespace lastmile::pod {
namespace {

using core::ErrorCode;

constexpr std::string_view kSignature =
    "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\">"
    "<path d=\"M10 80 C 40 10, 65 10, 95 80\" stroke=\"black\" fill=\"none\"/></svg>\n";

TEST(SvgCheck, AcceptsADrawnSignature) { EXPECT_TRUE(check_svg_signature(kSignature).ok()); }

TEST(SvgCheck, AcceptsInternalReferences) {
  EXPECT_TRUE(check_svg_signature("<svg><defs><path id=\"p\"/></defs><use href=\"#p\"/></svg>").ok());
}

TEST(SvgCheck, OtherRootIsUnsupported) {
  EXPECT_EQ(check_svg_signature("<html><svg></svg></html>").error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(check_svg_signature("<svgx></svgx>").error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(check_svg_signature("").error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(SvgCheck, RefusesScript) {
  EXPECT_EQ(check_svg_signature("<svg><SCRIPT>alert(1)</SCRIPT></svg>").error().code, ErrorCode::kInvalidField);
}

TEST(SvgCheck, RefusesEventHandlers) {
  EXPECT_EQ(check_svg_signature("<svg onload=\"alert(1)\"></svg>").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg><path\tonclick='x'/></svg>").error().code, ErrorCode::kInvalidField);
}

TEST(SvgCheck, RefusesExternalReferences) {
  EXPECT_EQ(check_svg_signature("<svg><image href=\"https://evil.example/x.png\"/></svg>").error().code,
            ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg><use xlink:href='http://x/y#a'/></svg>").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg><a href=\"javascript:x\"/></svg>").error().code, ErrorCode::kInvalidField);
}

TEST(SvgCheck, RefusesDoctypeAndForeignObject) {
  EXPECT_EQ(check_svg_signature("<svg><!DOCTYPE x [<!ENTITY a \"b\">]></svg>").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg><foreignObject/></svg>").error().code, ErrorCode::kInvalidField);
}

TEST(SvgCheck, RefusesUnbalancedMarkup) {
  EXPECT_EQ(check_svg_signature("<svg><g></svg>").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg><path").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(check_svg_signature("<svg></svg><svg></svg>").error().code, ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace lastmile::pod
