// CSV order rows → shipment drafts: the header's columns, and every row error with its column and code.
#include "api/order_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lastmile::api {
namespace {

CsvRecord record(const std::vector<std::string_view>& fields, int64_t line = 2) {
  return CsvRecord{line, fields, {}};
}

const char* kHeader[] = {"external_order_id", "Recipient_Name ", "address_line1", "city",    "country", "lat",
                         "lon",               "window_start",    "window_end",    "parcels", "weight_kg"};

OrderCsvColumns columns() {
  std::vector<std::string_view> h(std::begin(kHeader), std::end(kHeader));
  auto c = OrderCsvColumns::from_header(record(h, 1));
  EXPECT_TRUE(c.ok());
  return *c;
}

RowError error_of(const std::vector<std::string_view>& row) {
  auto d = columns().to_draft(record(row));
  EXPECT_TRUE(std::holds_alternative<RowError>(d));
  return std::holds_alternative<RowError>(d) ? std::get<RowError>(d) : RowError{};
}

TEST(OrderCsv, AGoodRowBecomesTheSameDraftAsTheJsonRoute) {
  auto d = columns().to_draft(record({"SO-1", "Marie Dupont", "12 Avenue de la Costa", "Monaco", "MC", "43.7384",
                                      "7.4246", "2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z", "P-1|P-2", "3"}));
  ASSERT_TRUE(std::holds_alternative<ShipmentDraft>(d));
  const auto& s = std::get<ShipmentDraft>(d).shipment;
  EXPECT_EQ(s.external_order_id, "SO-1");
  EXPECT_EQ(s.recipient.name, "Marie Dupont");
  EXPECT_EQ(s.address.country, "MC");
  ASSERT_TRUE(s.address.location);
  ASSERT_EQ(s.parcels.size(), 2u);
  EXPECT_DOUBLE_EQ(s.parcels[1].weight_kg, 1.5);
  ASSERT_TRUE(s.promised);
  EXPECT_EQ(s.service_level, "standard");
}

TEST(OrderCsv, RowErrorsNameTheColumn) {
  auto e = error_of({"SO-1", "", "1 Rue", "", "", "", "", "", "", "", ""});
  EXPECT_EQ(e.field, "recipient_name");
  EXPECT_EQ(e.code, "missing_field");
  EXPECT_EQ(e.message, "field 'recipient_name' is required");

  e = error_of({"SO-1", "Marie", "1 Rue", "", "MCO", "", "", "", "", "", ""});
  EXPECT_EQ(e.field, "country");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "north", "7", "", "", "", ""});
  EXPECT_EQ(e.field, "lat");
  EXPECT_EQ(e.message, "lat must be a number");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "43.7", "", "", "", "", ""});
  EXPECT_EQ(e.field, "lon");
  EXPECT_EQ(e.message, "fields 'lat' and 'lon' go together");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "", "", "2026-11-23T12:00:00Z", "2026-11-23T09:00:00Z", "", ""});
  EXPECT_EQ(e.field, "window_end");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "", "", "yesterday", "", "", ""});
  EXPECT_EQ(e.field, "window_start");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "", "", "", "", "", "2"});
  EXPECT_EQ(e.field, "weight_kg");
  EXPECT_EQ(e.message, "weight_kg needs at least one parcel barcode");
  e = error_of({"SO-1", "Marie", "1 Rue", "", "", "", "", "", "", "P-1", "-1"});
  EXPECT_EQ(e.field, "weight_kg");
}

TEST(OrderCsv, WrongColumnCountBadEncodingAndMalformedRows) {
  auto e = error_of({"SO-1", "Marie"});
  EXPECT_EQ(e.code, "column_count");
  EXPECT_EQ(e.message, "the row has 2 fields, the header 11");
  e = error_of({"SO-1", "Marie \xC3\x28", "1 Rue", "", "", "", "", "", "", "", ""});
  EXPECT_EQ(e.field, "recipient_name");
  EXPECT_EQ(e.code, "invalid_encoding");
  auto d = columns().to_draft(CsvRecord{5, {"a"}, "a quote inside an unquoted field"});
  ASSERT_TRUE(std::holds_alternative<RowError>(d));
  EXPECT_EQ(std::get<RowError>(d).code, "malformed_row");
}

TEST(OrderCsv, HeaderErrors) {
  auto unknown = OrderCsvColumns::from_header(record({"recipient_name", "address_line1", "colour"}, 1));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "header");
  EXPECT_NE(unknown.error().message.find("unknown column 'colour'"), std::string::npos);
  auto twice = OrderCsvColumns::from_header(record({"recipient_name", "address_line1", "parcels", "parcel_barcodes"}, 1));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "column 'parcels' appears twice");
  auto missing = OrderCsvColumns::from_header(record({"recipient_name", "city"}, 1));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kMissingField);
  EXPECT_EQ(missing.error().message, "the header has no column 'address_line1'");
}

TEST(OrderCsv, ValidUtf8) {
  EXPECT_TRUE(valid_utf8("Zoë – 東京 😀"));
  EXPECT_FALSE(valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(valid_utf8("\xFF"));
}

}  // namespace
}  // namespace lastmile::api
