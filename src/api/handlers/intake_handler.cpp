// Order intake (docs/order-intake.md): JSON bulk create and the streamed CSV import. Both create
// through api/shipment_creation.hpp, one transaction per batch.
#include <boost/json.hpp>

#include <fstream>

#include "api/handlers/common.hpp"
#include "api/csv_reader.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "core/json_reader.hpp"
#include "api/order_csv.hpp"
#include "api/shipment_creation.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr size_t kMaxBulkItems = 1000;    // POST /v1/shipments/bulk
constexpr size_t kImportBatch = 1000;     // rows per transaction of the CSV import
constexpr size_t kMaxReportedIssues = 100;  // rows listed in the import report
constexpr size_t kChunkBytes = 64 << 10;  // bytes read from the body per feed
constexpr size_t kMaxRecordBytes = 64 << 10;

json::object row_error_json(const RowError& e) {
  return json::object{{"field", e.field}, {"code", e.code}, {"message", e.message}};
}

// Feeds the request body (the spooled file, or the in-memory body) to `reader` in chunks.
std::optional<CsvFailure> read_body(const RequestContext& ctx, CsvReader& reader, const CsvReader::OnRecord& cb,
                                    bool& io_failed) {
  if (ctx.body_file) {
    std::ifstream in(*ctx.body_file, std::ios::binary);
    if (!in) {
      io_failed = true;
      return std::nullopt;
    }
    std::string chunk(kChunkBytes, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const auto got = static_cast<size_t>(in.gcount());
      if (got == 0) break;
      if (auto f = reader.feed(std::string_view(chunk.data(), got), cb)) return f;
    }
    if (in.bad()) io_failed = true;
  } else {
    std::string_view body = ctx.req.body();
    for (size_t at = 0; at < body.size(); at += kChunkBytes)
      if (auto f = reader.feed(body.substr(at, kChunkBytes), cb)) return f;
  }
  return reader.finish(cb);
}

// The import's counters and its first kMaxReportedIssues non-created rows.
struct ImportReport {
  int64_t rows = 0, created = 0, duplicates = 0, invalid = 0;
  json::array issues;
  bool truncated = false;

  void issue(int64_t line, const std::string& external_id, std::string_view status, const RowError* e) {
    if (issues.size() >= kMaxReportedIssues) {
      truncated = true;
      return;
    }
    json::object o{{"line", line}, {"status", status}};
    if (!external_id.empty()) o["external_order_id"] = external_id;
    json::array errors;
    if (e) errors.push_back(row_error_json(*e));
    o["errors"] = std::move(errors);
    issues.push_back(std::move(o));
  }
  std::string json_text() {
    return to_json(json::object{{"rows", rows},
                                {"created", created},
                                {"duplicates", duplicates},
                                {"invalid", invalid},
                                {"issues", std::move(issues)},
                                {"issues_truncated", truncated}});
  }
};

// A row of the current batch: a draft to create, or already decided invalid. Kept in file order so
// the report lists rows by line.
struct PendingRow {
  int64_t line;
  std::string external_id;
  std::optional<RowError> error;  // invalid by itself; no draft
};

// Pass 1: the file's structure and header, nothing written. The error for a broken file.
core::Status check_import(const RequestContext& ctx) {
  CsvReader reader(kMaxRecordBytes);
  std::optional<core::Error> header_error;
  int64_t records = 0;
  bool io_failed = false;
  auto failure = read_body(ctx, reader, [&](const CsvRecord& r) {
    if (records++ == 0) {
      if (auto cols = OrderCsvColumns::from_header(r); !cols) {
        header_error = cols.error();
        return false;
      }
    }
    return true;
  }, io_failed);
  if (io_failed) return Error{ErrorCode::kUnavailable, "the import body could not be read back", ""};
  if (header_error) return *header_error;
  if (failure) return Error::invalid_field("body", failure->code + ": " + failure->message);
  if (records == 0) return Error::invalid_field("body", "the file is empty: send a header row and order rows");
  if (records == 1) return Error::invalid_field("body", "the file has a header row but no order rows");
  return {};
}

}  // namespace

// POST /v1/shipments/import — text/csv, a header row then one order per row (docs/order-intake.md).
Result<Reply> import_shipments(const Services& s, RequestContext& ctx) {
  if (media_type(ctx.header(http::field::content_type)) != "text/csv")
    return Error{ErrorCode::kUnsupportedMediaType, "send the orders as text/csv", ""};
  if (auto st = check_import(ctx); !st) return st.error();

  const CreationContext c{ctx.tenant(), ctx.actor(), "csv_import", ctx.now};
  CarrierCheckCache carriers;
  ImportReport report;
  std::optional<OrderCsvColumns> cols;
  std::vector<ShipmentDraft> drafts;
  std::vector<PendingRow> pending;
  std::optional<core::Error> failed;
  auto flush = [&]() -> bool {
    if (pending.empty()) return true;
    auto done = create_shipment_batch(s, c, std::move(drafts), carriers);
    drafts.clear();
    if (!done) {
      failed = done.error();
      return false;
    }
    size_t next = 0;  // the next outcome, for the rows that had a draft
    for (const auto& row : pending) {
      if (row.error) {
        ++report.invalid;
        report.issue(row.line, row.external_id, "invalid", &*row.error);
        continue;
      }
      const auto& o = (*done)[next++];
      if (o.status == ItemStatus::kCreated) {
        ++report.created;
      } else if (o.status == ItemStatus::kDuplicate) {
        ++report.duplicates;
        const RowError e{"external_order_id", "duplicate", "the tenant already has this external_order_id"};
        report.issue(row.line, row.external_id, "duplicate", &e);
      } else {
        ++report.invalid;
        const RowError e = row_error_of(o.error.value_or(Error::internal()));
        report.issue(row.line, row.external_id, "invalid", &e);
      }
    }
    pending.clear();
    return true;
  };
  CsvReader reader(kMaxRecordBytes);
  bool io_failed = false;
  auto failure = read_body(ctx, reader, [&](const CsvRecord& r) {
    if (!cols) {
      cols = std::move(*OrderCsvColumns::from_header(r));  // checked by check_import
      return true;
    }
    ++report.rows;
    auto d = cols->to_draft(r);
    if (auto* e = std::get_if<RowError>(&d)) {
      pending.push_back(PendingRow{r.line, cols->external_order_id(r), std::move(*e)});
    } else {
      drafts.push_back(std::move(std::get<ShipmentDraft>(d)));
      pending.push_back(PendingRow{r.line, cols->external_order_id(r), std::nullopt});
    }
    return pending.size() < kImportBatch || flush();
  }, io_failed);
  if (!failed && !failure && !io_failed) flush();
  if (failed) return *failed;  // the batches before are committed: a retry reports them as duplicates
  if (failure || io_failed) return Error{ErrorCode::kUnavailable, "the import body changed while read", ""};
  return json_reply(200, report.json_text());
}

// POST /v1/shipments/bulk — {"shipments":[…]}, each as POST /v1/shipments.
Result<Reply> bulk_create_shipments(const Services& s, RequestContext& ctx) {
  auto obj = core::parse_object(ctx.req.body());
  if (!obj) return obj.error();
  core::JsonReader r(*obj);
  const json::array* items = r.array("shipments", kMaxBulkItems, true);
  if (r.error()) return *r.error();  // too_large beyond kMaxBulkItems
  if (items->empty()) return Error::invalid_field("shipments", "shipments is empty");

  json::array results;
  std::vector<ShipmentDraft> drafts;
  std::vector<size_t> where;
  std::vector<json::object> rows(items->size());
  int64_t invalid = 0;
  for (size_t i = 0; i < items->size(); ++i) {
    rows[i]["index"] = i;
    const json::value& v = (*items)[i];
    auto d = v.is_object() ? parse_shipment_object(v.as_object())
                           : core::Result<ShipmentDraft>(Error::wrong_type("shipments[" + std::to_string(i) + "]",
                                                                           "an object"));
    if (!d) {
      ++invalid;
      rows[i]["status"] = "invalid";
      rows[i]["errors"] = json::array{json::object{
          {"field", d.error().field}, {"code", core::code_name(d.error().code)}, {"message", d.error().message}}};
      continue;
    }
    drafts.push_back(std::move(*d));
    where.push_back(i);
  }
  const CreationContext c{ctx.tenant(), ctx.actor(), "api", ctx.now};
  CarrierCheckCache carriers;
  auto done = create_shipment_batch(s, c, std::move(drafts), carriers);
  if (!done) return done.error();
  int64_t created = 0, duplicates = 0;
  for (size_t k = 0; k < done->size(); ++k) {
    auto& row = rows[where[k]];
    const auto& o = (*done)[k];
    json::array errors;
    if (o.status == ItemStatus::kCreated) {
      ++created;
      row["status"] = "created";
      row["id"] = o.id->str();
      row["tracking_number"] = o.tracking_number;
    } else if (o.status == ItemStatus::kDuplicate) {
      ++duplicates;
      row["status"] = "duplicate";
      errors.push_back(json::object{{"field", "external_order_id"},
                                    {"code", "duplicate"},
                                    {"message", "the tenant already has this external_order_id"}});
    } else {
      ++invalid;
      row["status"] = "invalid";
      const auto& e = o.error.value_or(Error::internal());
      errors.push_back(json::object{{"field", e.field}, {"code", core::code_name(e.code)}, {"message", e.message}});
    }
    row["errors"] = std::move(errors);
  }
  for (auto& row : rows) {
    if (!row.contains("errors")) row["errors"] = json::array{};
    results.push_back(std::move(row));
  }
  return json_reply(200, to_json(json::object{{"created", created},
                                              {"duplicates", duplicates},
                                              {"invalid", invalid},
                                              {"results", std::move(results)}}));
}

}  // namespace lastmile::api::handlers
