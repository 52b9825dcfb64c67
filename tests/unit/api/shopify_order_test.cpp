// Shopify orders/create payloads → shipment drafts (mapping in docs/order-intake.md). The payload
// follows the REST Order resource as Shopify documents it (trimmed to the fields we read plus a few
// we ignore).
#include "api/shopify_order.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

constexpr const char* kOrder = R"({
  "id": 820982911946154508, "name": "#1001", "order_number": 1001, "email": "jon@example.com",
  "phone": "+33600000000", "note": "Leave at reception", "currency": "EUR", "total_weight": 1500,
  "customer": {"id": 115310627314723954, "first_name": "Jon", "last_name": "Snow"},
  "shipping_address": {"first_name": "Jon", "last_name": "Snow", "name": "Jon Snow",
    "address1": "12 Avenue de la Costa", "address2": "Apt 4", "city": "Monaco", "zip": "98000",
    "province": null, "country": "Monaco", "country_code": "MC", "phone": "+37799999999",
    "company": null, "latitude": 43.7384, "longitude": 7.4246},
  "line_items": [
    {"id": 866550311766439020, "title": "Boots", "quantity": 2, "grams": 500, "sku": "B-1", "requires_shipping": true},
    {"id": 141249953214522974, "title": "Gift card", "quantity": 1, "grams": 0, "requires_shipping": false},
    {"id": 141249953214522975, "title": "Socks", "quantity": 1, "grams": 500}],
  "shipping_lines": [{"id": 271878346596884015, "code": "Express", "title": "Express", "price": "10.00"}]
})";

TEST(ShopifyOrder, MapsTheDocumentedFields) {
  auto d = map_shopify_order(kOrder);
  ASSERT_TRUE(d.ok()) << d.error().message;
  const auto& s = d->shipment;
  EXPECT_EQ(s.external_order_id, "shopify:820982911946154508");
  EXPECT_EQ(s.recipient.name, "Jon Snow");
  EXPECT_EQ(s.recipient.email, "jon@example.com");
  EXPECT_EQ(s.recipient.phone, "+37799999999");
  EXPECT_EQ(s.address.line1, "12 Avenue de la Costa");
  EXPECT_EQ(s.address.line2, "Apt 4");
  EXPECT_EQ(s.address.postal_code, "98000");
  EXPECT_EQ(s.address.country, "MC");
  ASSERT_TRUE(s.address.location);
  EXPECT_EQ(s.service_level, "Express");
  EXPECT_EQ(s.instructions.note, "Shopify order #1001\nLeave at reception");
  ASSERT_EQ(s.parcels.size(), 2u) << "the gift card needs no shipping";
  EXPECT_EQ(s.parcels[0].barcode, "820982911946154508-1");
  EXPECT_DOUBLE_EQ(s.parcels[0].weight_kg, 1.0);
  EXPECT_EQ(s.parcels[0].description, "2 x Boots");
  EXPECT_EQ(s.parcels[1].barcode, "820982911946154508-2");
}

TEST(ShopifyOrder, NameFromFirstAndLastWithoutName) {
  auto d = map_shopify_order(R"({"id": 5, "shipping_address": {"first_name": "Ann", "last_name": "Lee",
                                 "address1": "1 Rue", "latitude": null, "longitude": null}})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->shipment.recipient.name, "Ann Lee");
  EXPECT_FALSE(d->shipment.address.location);
  EXPECT_EQ(d->shipment.service_level, "standard");
}

TEST(ShopifyOrder, ErrorsNameTheShopifyField) {
  auto expect = [](std::string_view body, core::ErrorCode code, std::string_view field) {
    auto d = map_shopify_order(body);
    ASSERT_FALSE(d.ok()) << body;
    EXPECT_EQ(core::code_name(d.error().code), core::code_name(code)) << body;
    EXPECT_EQ(d.error().field, field) << body;
  };
  expect("not json", core::ErrorCode::kInvalidJson, "");
  expect(R"({"shipping_address": {}})", core::ErrorCode::kMissingField, "id");
  expect(R"({"id": 1})", core::ErrorCode::kMissingField, "shipping_address");
  expect(R"({"id": 1, "shipping_address": {"address1": "x"}})", core::ErrorCode::kMissingField,
         "shipping_address.name");
  expect(R"({"id": 1, "shipping_address": {"name": "A"}})", core::ErrorCode::kMissingField,
         "shipping_address.address1");
  expect(R"({"id": 1, "shipping_address": {"name": 7, "address1": "x"}})", core::ErrorCode::kWrongType,
         "shipping_address.name");
  expect(R"({"id": 1, "shipping_address": {"name": "A", "address1": "x", "country_code": "MCO"}})",
         core::ErrorCode::kInvalidField, "address.country");
  expect(R"({"id": 1, "shipping_address": {"name": "A", "address1": "x"}, "line_items": [3]})",
         core::ErrorCode::kWrongType, "line_items[0]");
}

}  // namespace
}  // namespace lastmile::api
