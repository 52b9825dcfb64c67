// POST /v1/scans bodies: every error path names its field and code.
#include "api/scan_parser.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;

std::string body(std::string extra = "", std::string kind = "loaded") {
  return R"({"id":"scan-1","barcode":"PKG-1","kind":")" + kind + R"(","at":"2026-11-30T08:00:00Z")" + extra + "}";
}

void expect_error(std::string_view text, ErrorCode code, std::string_view field) {
  auto d = parse_scan_create(text);
  ASSERT_FALSE(d.ok()) << text;
  EXPECT_EQ(d.error().code, code) << text << ": " << d.error().message;
  EXPECT_EQ(d.error().field, field) << text;
}

TEST(ScanParser, ReadsAFullScan) {
  auto d = parse_scan_create(body(R"(,"lat":43.7,"lon":7.4,"accuracy":8.5,"route_id":"rte_1")"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id, "scan-1");
  EXPECT_EQ(d->barcode, "PKG-1");
  EXPECT_EQ(d->kind, domain::ScanKind::kLoaded);
  ASSERT_TRUE(d->location);
  EXPECT_DOUBLE_EQ(d->location->lat(), 43.7);
  EXPECT_EQ(d->accuracy_m, 8.5);
  EXPECT_EQ(d->route_id, "rte_1");
}

TEST(ScanParser, HandoffNeedsTheReceivingCarrier) {
  expect_error(body("", "handoff"), ErrorCode::kMissingField, "to_carrier_id");
  EXPECT_TRUE(parse_scan_create(body(R"(,"to_carrier_id":"car_1")", "handoff")).ok());
  expect_error(body(R"(,"to_carrier_id":"car_1")"), ErrorCode::kInvalidField, "to_carrier_id");
}

TEST(ScanParser, BadKind) { expect_error(body("", "lost"), ErrorCode::kInvalidField, "kind"); }

TEST(ScanParser, MissingFields) {
  expect_error(R"({"id":"s","kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kMissingField, "barcode");
  expect_error(R"({"barcode":"B","kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kMissingField, "id");
  expect_error(R"({"id":"s","barcode":"B","at":"2026-11-30T08:00:00Z"})", ErrorCode::kMissingField, "kind");
  expect_error(R"({"id":"s","barcode":"B","kind":"loaded"})", ErrorCode::kMissingField, "at");
  expect_error(R"({"id":"s","barcode":"","kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kInvalidField,
               "barcode");
}

TEST(ScanParser, BadCoordinates) {
  expect_error(body(R"(,"lat":91,"lon":7)"), ErrorCode::kInvalidField, "lat");
  expect_error(body(R"(,"lat":43,"lon":-181)"), ErrorCode::kInvalidField, "lon");
  expect_error(body(R"(,"lat":43)"), ErrorCode::kMissingField, "lon");
  expect_error(body(R"(,"accuracy":-1)"), ErrorCode::kInvalidField, "accuracy");
}

TEST(ScanParser, TooLongStrings) {
  expect_error(R"({"id":")" + std::string(65, 'a') + R"(","barcode":"B","kind":"loaded","at":"2026-11-30T08:00:00Z"})",
               ErrorCode::kInvalidField, "id");
  expect_error(R"({"id":"s","barcode":")" + std::string(129, 'b') + R"(","kind":"loaded","at":"2026-11-30T08:00:00Z"})",
               ErrorCode::kInvalidField, "barcode");
  expect_error(body(R"(,"route_id":")" + std::string(65, 'r') + "\""), ErrorCode::kInvalidField, "route_id");
}

TEST(ScanParser, WrongTypes) {
  expect_error(R"({"id":5,"barcode":"B","kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kWrongType, "id");
  expect_error(R"({"id":"s","barcode":["B"],"kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kWrongType,
               "barcode");
  expect_error(body(R"(,"lat":"43","lon":"7")"), ErrorCode::kWrongType, "lat");
  expect_error("[]", ErrorCode::kInvalidJson, "");
  expect_error("{", ErrorCode::kInvalidJson, "");
}

TEST(ScanParser, BadIdAndBarcodeCharacters) {
  expect_error(R"({"id":"a b","barcode":"B","kind":"loaded","at":"2026-11-30T08:00:00Z"})", ErrorCode::kInvalidField,
               "id");
  expect_error(R"({"id":"s","barcode":"B\n1","kind":"loaded","at":"2026-11-30T08:00:00Z"})",
               ErrorCode::kInvalidField, "barcode");
  expect_error(R"({"id":"s","barcode":"B","kind":"loaded","at":"yesterday"})", ErrorCode::kInvalidField, "at");
}

TEST(ScanParser, CanonicalTextIgnoresFieldOrderAndSpelling) {
  auto a = parse_scan_create(R"({"id":"s","barcode":"B","kind":"loaded","at":"2026-11-30T08:00:00Z","lat":43.5,"lon":7})");
  auto b = parse_scan_create(R"({"lon":7.0,"lat":43.50,"at":"2026-11-30T08:00:00.000Z","kind":"loaded","barcode":"B","id":"s"})");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(canonical_scan(*a), canonical_scan(*b));
  auto c = parse_scan_create(R"({"id":"s","barcode":"B","kind":"delivered","at":"2026-11-30T08:00:00Z"})");
  ASSERT_TRUE(c.ok());
  EXPECT_NE(canonical_scan(*a), canonical_scan(*c));
}

}  // namespace
}  // namespace lastmile::api
