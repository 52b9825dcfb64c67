// Fuzzes the order intake parsers: the push CSV reader with the order rows (fed in chunks of a size
// taken from the first byte, so records straddle chunk boundaries), and the Shopify order mapper.
// Arbitrary bytes give records, row errors or a failure — never a crash, a hang or undefined
// behaviour — and the reader never holds more than one record.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "api/csv_reader.hpp"
#include "api/order_csv.hpp"
#include "api/shopify_order.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::api;
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 17;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  constexpr size_t kMaxRecord = 4096;
  CsvReader reader(kMaxRecord);
  std::optional<OrderCsvColumns> cols;
  bool header_failed = false;
  auto on_record = [&](const CsvRecord& r) {
    if (!cols && !header_failed) {
      auto c = OrderCsvColumns::from_header(r);
      if (c) cols = std::move(*c);
      else header_failed = true;
      return true;
    }
    if (cols) {
      auto d = cols->to_draft(r);
      if (auto* e = std::get_if<RowError>(&d); e && e->code.empty()) __builtin_trap();
      (void)cols->external_order_id(r);
    }
    return true;
  };
  for (size_t at = 0; at < text.size(); at += chunk)
    if (reader.feed(text.substr(at, chunk), on_record)) break;
  (void)reader.finish(on_record);
  if (reader.peak_buffered_bytes() > kMaxRecord) __builtin_trap();

  auto order = map_shopify_order(text);
  if (order && order->shipment.external_order_id.rfind("shopify:", 0) != 0) __builtin_trap();
  return 0;
}
