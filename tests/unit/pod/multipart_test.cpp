#include "pod/multipart.hpp"

#include <gtest/gtest.h>

namespace lastmile::pod {
namespace {

using core::ErrorCode;

constexpr std::string_view kBoundary = "XyZ";

std::string part(std::string_view disposition, std::string_view data, std::string_view type = "") {
  std::string out = "--XyZ\r\nContent-Disposition: form-data; " + std::string(disposition) + "\r\n";
  if (!type.empty()) out += "Content-Type: " + std::string(type) + "\r\n";
  return out + "\r\n" + std::string(data) + "\r\n";
}

TEST(MultipartBoundary, ReadsQuotedAndBareBoundaries) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
}

TEST(MultipartBoundary, OtherMediaTypeIsUnsupported) {
  EXPECT_EQ(multipart_boundary("application/json").error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(MultipartBoundary, MissingOrOverlongBoundaryIsInvalid) {
  EXPECT_EQ(multipart_boundary("multipart/form-data").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')).error().code,
            ErrorCode::kInvalidField);
}

TEST(Multipart, ParsesTextFieldsAndFiles) {
  const std::string body = part("name=\"recipient_name\"", "Ada Lovelace") +
                           part("name=\"photo\"; filename=\"door.jpg\"", std::string("\xff\xd8\r\n--Xy", 8),
                                "Image/JPEG") +
                           "--XyZ--\r\n";
  auto parts = parse_multipart(body, kBoundary);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "recipient_name");
  EXPECT_EQ((*parts)[0].data, "Ada Lovelace");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[1].name, "photo");
  EXPECT_EQ((*parts)[1].filename, "door.jpg");
  EXPECT_EQ((*parts)[1].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[1].data, std::string_view("\xff\xd8\r\n--Xy", 8));
}

TEST(Multipart, EmptyFormHasNoParts) {
  auto parts = parse_multipart("--XyZ--\r\n", kBoundary);
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST(Multipart, BodyWithoutBoundaryIsInvalid) {
  auto parts = parse_multipart("just some bytes", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
  EXPECT_NE(parts.error().message.find("boundary"), std::string::npos);
}

TEST(Multipart, MissingFinalDelimiterIsTruncated) {
  auto parts = parse_multipart(part("name=\"notes\"", "hello"), kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
  EXPECT_NE(parts.error().message.find("truncated"), std::string::npos);
}

TEST(Multipart, TruncatedInsidePartDataIsInvalid) {
  const std::string body = part("name=\"notes\"", "hello") + "--XyZ--";
  auto parts = parse_multipart(body.substr(0, body.size() - 14), kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, TruncatedInsidePartHeadersIsInvalid) {
  auto parts = parse_multipart("--XyZ\r\nContent-Disposition: form-da", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, MalformedBoundaryLineIsInvalid) {
  auto parts = parse_multipart("--XyZjunk\r\n", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, PartWithoutDispositionIsInvalid) {
  auto parts = parse_multipart("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, PartWithoutNameIsInvalid) {
  auto parts = parse_multipart("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, HeaderLineWithoutColonIsInvalid) {
  auto parts = parse_multipart("--XyZ\r\nnonsense\r\n\r\nx\r\n--XyZ--", kBoundary);
  EXPECT_EQ(parts.error().code, ErrorCode::kInvalidField);
}

TEST(Multipart, TooManyPartsIsTooLarge) {
  std::string body;
  for (int i = 0; i < 3; ++i) body += part("name=\"f\"", "x");
  body += "--XyZ--";
  auto parts = parse_multipart(body, kBoundary, {.max_parts = 2});
  EXPECT_EQ(parts.error().code, ErrorCode::kTooLarge);
}

TEST(Multipart, OversizedPartIsTooLarge) {
  const std::string body = part("name=\"photo\"", std::string(100, 'a')) + "--XyZ--";
  auto parts = parse_multipart(body, kBoundary, {.max_part_bytes = 99});
  EXPECT_EQ(parts.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(parts.error().field, "photo");
}

TEST(Multipart, OversizedPartHeadersAreTooLarge) {
  const std::string body = part("name=\"" + std::string(300, 'n') + "\"", "x") + "--XyZ--";
  auto parts = parse_multipart(body, kBoundary, {.max_part_header_bytes = 100});
  EXPECT_EQ(parts.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace lastmile::pod
