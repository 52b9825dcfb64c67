#include "pod/image_sniffer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::pod {
namespace {

using core::ErrorCode;

std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string png_header(uint32_t w, uint32_t h) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) + std::string("\x08\x02\0\0\0", 5);
}

std::string jpeg_header(uint16_t w, uint16_t h, char sof = '\xC0') {
  std::string app0 = std::string("\xFF\xE0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 18);
  std::string frame = std::string("\xFF", 1) + sof + std::string("\x00\x11\x08", 3) + char(h >> 8) + char(h) +
                      char(w >> 8) + char(w) + std::string("\x03", 1);
  return std::string("\xFF\xD8", 2) + app0 + frame;
}

std::string webp_vp8x(uint32_t w, uint32_t h) {
  std::string out = "RIFF" + std::string(4, '\0') + "WEBPVP8X" + std::string("\x0a\0\0\0", 4) + std::string(4, '\0');
  for (uint32_t v : {w - 1, h - 1}) out += std::string{char(v), char(v >> 8), char(v >> 16)};
  return out;
}

TEST(ImageSniffer, ReadsPngDimensions) {
  auto info = sniff_image(png_header(640, 480));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ImageFormat::kPng);
  EXPECT_EQ(info->width, 640u);
  EXPECT_EQ(info->height, 480u);
  EXPECT_EQ(image_content_type(info->format), "image/png");
}

TEST(ImageSniffer, ReadsBaselineAndProgressiveJpegDimensions) {
  for (char sof : {'\xC0', '\xC1', '\xC2'}) {
    auto info = sniff_image(jpeg_header(1024, 768, sof));
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, ImageFormat::kJpeg);
    EXPECT_EQ(info->width, 1024u);
    EXPECT_EQ(info->height, 768u);
  }
}

TEST(ImageSniffer, ReadsWebpExtendedDimensions) {
  auto info = sniff_image(webp_vp8x(300, 200));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, ImageFormat::kWebp);
  EXPECT_EQ(info->width, 300u);
  EXPECT_EQ(info->height, 200u);
}

TEST(ImageSniffer, ReadsWebpLosslessDimensions) {
  const uint32_t bits = (99u) | (49u << 14);
  std::string b = "RIFF" + std::string(4, '\0') + "WEBPVP8L" + std::string(4, '\0') + "\x2f" +
                  std::string{char(bits), char(bits >> 8), char(bits >> 16), char(bits >> 24)} + std::string(8, '\0');
  auto info = sniff_image(b);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 100u);
  EXPECT_EQ(info->height, 50u);
}

TEST(ImageSniffer, TextNamedJpgIsNotAnImage) {
  EXPECT_EQ(sniff_image("hello, I am not a photo").error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(sniff_image("").error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ImageSniffer, TruncatedHeadersAreNotImages) {
  EXPECT_EQ(sniff_image(png_header(10, 10).substr(0, 20)).error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(sniff_image(jpeg_header(10, 10).substr(0, 24)).error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(sniff_image(webp_vp8x(10, 10).substr(0, 26)).error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ImageSniffer, JpegWithScanBeforeFrameIsRejected) {
  EXPECT_EQ(sniff_image(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6) + std::string(10, '\0')).error().code,
            ErrorCode::kUnsupportedMediaType);
}

TEST(ImageSniffer, AbsurdDimensionsAreInvalid) {
  EXPECT_EQ(sniff_image(png_header(0, 10)).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(sniff_image(png_header(100000, 10)).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(sniff_image(jpeg_header(10, 0)).error().code, ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace lastmile::pod
