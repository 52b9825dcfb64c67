#pragma once
// The CSV order import's rows (docs/order-intake.md): a header row naming the columns, then one
// order per record, each turned into the same ShipmentDraft as POST /v1/shipments — a row is built
// into that route's JSON object and validated by parse_shipment_object, so both accept exactly the
// same orders. Errors name the CSV column, not the JSON path.
//
// Pure functions of the records; fuzzed with the reader by tests/fuzz/csv_reader_fuzz.cpp.

#include <array>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/csv_reader.hpp"
#include "api/shipment_parser.hpp"

namespace lastmile::api {

// One problem of a row: the CSV column ("" for the whole row), a stable code, a message.
// Codes: those of core::ErrorCode (missing_field, invalid_field, too_large, not_found…) and
// column_count, invalid_encoding, malformed_row.
struct RowError {
  std::string field;
  std::string code;
  std::string message;
};

enum class OrderColumn {
  kExternalOrderId, kCarrierId, kServiceLevel, kRecipientName, kRecipientEmail, kRecipientPhone,
  kRecipientTimeZone, kAddressLine1, kAddressLine2, kCity, kPostalCode, kCountry, kLat, kLon,
  kWindowStart, kWindowEnd, kParcels, kWeightKg, kNotes, kGateCode, kSafePlace, kCount
};

// The accepted column names, in OrderColumn order ("parcel_barcodes" and "note" are aliases).
const std::array<std::string_view, static_cast<size_t>(OrderColumn::kCount)>& order_column_names();

class OrderCsvColumns {
 public:
  // From the header record. Names are matched ignoring case and surrounding spaces.
  // kInvalidField (field "header") for an unknown or repeated column; kMissingField (field
  // "header") when recipient_name or address_line1 is not a column.
  static core::Result<OrderCsvColumns> from_header(const CsvRecord& header);

  size_t size() const { return index_.size(); }
  // A data record as a draft, or its first problem.
  std::variant<ShipmentDraft, RowError> to_draft(const CsvRecord& row) const;
  // The row's external_order_id ("" when none or the row is short), for the report.
  std::string external_order_id(const CsvRecord& row) const;

 private:
  std::vector<OrderColumn> index_;  // column position → meaning
  std::array<int, static_cast<size_t>(OrderColumn::kCount)> position_{};  // meaning → position, -1: absent
};

// The CSV column of a JSON path of the shipment object ("recipient.name" → "recipient_name").
std::string csv_column_of(std::string_view json_path);
// A draft-level error (parse_shipment_object's, or not_found on carrier_id) as a row error.
RowError row_error_of(const core::Error& e);

bool valid_utf8(std::string_view s);

}  // namespace lastmile::api
