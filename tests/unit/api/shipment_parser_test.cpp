// The shipment and event body parsers: a valid body becomes a draft; every malformed one gives
// the specific error code and field path.
#include "api/shipment_parser.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;

constexpr const char* kValid = R"({
  "external_order_id": "SO-1001", "service_level": "express",
  "recipient": {"name": "Marie Dupont", "phone": "+33612345678", "email": "marie@example.com"},
  "address": {"line1": "12 Avenue de la Costa", "city": "Monaco", "postal_code": "98000", "country": "MC",
              "lat": 43.7384, "lon": 7.4246},
  "instructions": {"gate_code": "1234", "safe_place": "reception"},
  "promised": {"start": "2026-11-23T09:00:00Z", "end": "2026-11-23T12:00:00Z"},
  "parcels": [{"barcode": "PKG-1", "weight_kg": 1.2, "description": "shoes"}]
})";

void expect_error(std::string_view body, ErrorCode code, std::string_view field) {
  auto r = parse_shipment_create(body);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_EQ(core::code_name(r.error().code), core::code_name(code)) << body << " → " << r.error().message;
  EXPECT_EQ(r.error().field, field) << body;
}

TEST(ShipmentParser, ReadsAFullShipment) {
  auto r = parse_shipment_create(kValid);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& s = r->shipment;
  EXPECT_EQ(s.external_order_id, "SO-1001");
  EXPECT_EQ(s.service_level, "express");
  EXPECT_EQ(s.recipient.name, "Marie Dupont");
  EXPECT_EQ(s.address.country, "MC");
  ASSERT_TRUE(s.address.location);
  EXPECT_DOUBLE_EQ(s.address.location->lat(), 43.7384);
  ASSERT_TRUE(s.promised);
  EXPECT_EQ(s.promised->end.ms - s.promised->start.ms, 3 * 3600 * 1000);
  ASSERT_EQ(s.parcels.size(), 1u);
  EXPECT_EQ(s.parcels[0].barcode, "PKG-1");
}

TEST(ShipmentParser, DefaultsServiceLevelToStandard) {
  auto r = parse_shipment_create(R"({"recipient":{"name":"A"},"address":{"line1":"1 Rue"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shipment.service_level, "standard");
  EXPECT_FALSE(r->shipment.address.location);
}

TEST(ShipmentParser, RefusesMalformedBodies) {
  expect_error("{", ErrorCode::kInvalidJson, "");
  expect_error("[1,2]", ErrorCode::kInvalidJson, "");
  expect_error("{}", ErrorCode::kMissingField, "recipient");
  expect_error(R"({"recipient":{}})", ErrorCode::kMissingField, "recipient.name");
  expect_error(R"({"recipient":{"name":"A"}})", ErrorCode::kMissingField, "address");
  expect_error(R"({"recipient":{"name":"A"},"address":{}})", ErrorCode::kMissingField, "address.line1");
  expect_error(R"({"recipient":{"name":""},"address":{"line1":"x"}})", ErrorCode::kInvalidField, "recipient.name");
  expect_error(R"({"recipient":"Marie","address":{"line1":"x"}})", ErrorCode::kWrongType, "recipient");
  expect_error(R"({"recipient":{"name":42},"address":{"line1":"x"}})", ErrorCode::kWrongType, "recipient.name");
  expect_error(R"({"recipient":{"name":"A","email":"nope"},"address":{"line1":"x"}})", ErrorCode::kInvalidField,
               "recipient.email");
}

TEST(ShipmentParser, RefusesBadCoordinatesAndWindows) {
  const std::string base = R"({"recipient":{"name":"A"},"address":{"line1":"x")";
  expect_error(base + R"(,"lat":91,"lon":7}})", ErrorCode::kInvalidField, "address.lat");
  expect_error(base + R"(,"lat":43,"lon":"7"}})", ErrorCode::kWrongType, "address.lon");
  expect_error(base + R"(,"lat":43}})", ErrorCode::kMissingField, "address.lon");
  expect_error(base + R"(,"country":"MCO"}})", ErrorCode::kInvalidField, "address.country");
  expect_error(base + R"(},"promised":{"start":"2026-11-23T12:00:00Z","end":"2026-11-23T09:00:00Z"}})",
               ErrorCode::kInvalidField, "promised.end");
  expect_error(base + R"(},"promised":{"start":"tomorrow","end":"2026-11-23T09:00:00Z"}})",
               ErrorCode::kInvalidField, "promised.start");
  expect_error(base + R"(},"promised":{"start":"2026-11-23T12:00:00Z"}})", ErrorCode::kMissingField,
               "promised.end");
}

TEST(ShipmentParser, RefusesBadParcels) {
  const std::string base = R"({"recipient":{"name":"A"},"address":{"line1":"x"},"parcels":)";
  expect_error(base + R"({}})", ErrorCode::kWrongType, "parcels");
  expect_error(base + R"([{"barcode":"a"},7]})", ErrorCode::kWrongType, "parcels[1]");
  expect_error(base + R"([{"weight_kg":1}]})", ErrorCode::kMissingField, "parcels[0].barcode");
  std::string many = base + "[";
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"({"barcode":"b"})";
  expect_error(many + "]}", ErrorCode::kTooLarge, "parcels");
}

TEST(ShipmentParser, RefusesOverlongStrings) {
  std::string name(201, 'x');
  expect_error(R"({"recipient":{"name":")" + name + R"("},"address":{"line1":"x"}})", ErrorCode::kInvalidField,
               "recipient.name");
}

TEST(ShipmentParser, RefusesDeepNesting) {
  std::string deep(100, '[');
  expect_error(R"({"a":)" + deep + std::string(100, ']') + "}", ErrorCode::kInvalidJson, "");
}

TEST(EventParser, ReadsAMilestoneEvent) {
  auto r = parse_event_create(R"({"type":"delivered","at":"2026-11-22T10:00:00+01:00","lat":43.7,"lon":7.4,
                                  "note":"front door"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->milestone, domain::Milestone::kDelivered);
  ASSERT_TRUE(r->at);
  EXPECT_EQ(core::format_iso8601(*r->at), "2026-11-22T09:00:00.000Z");
  EXPECT_EQ(r->note, "front door");
}

TEST(EventParser, RefusesUnknownOrCreatedType) {
  for (const char* body : {R"({"type":"teleported"})", R"({"type":"created"})", R"({"type":""})"}) {
    auto r = parse_event_create(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().field, "type");
  }
  auto missing = parse_event_create("{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kMissingField);
  auto wrong = parse_event_create(R"({"type":5})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kWrongType);
}

}  // namespace
}  // namespace lastmile::api
