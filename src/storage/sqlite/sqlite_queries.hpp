#pragma once
// Statement-level helpers shared by the SqliteStore files: fetching rows into entities and pages,
// and the inserts that more than one store method performs. Every function runs on the connection
// it is given, inside the caller's transaction.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"

namespace lastmile::storage::sqlite {

// Joins SQL fragments: sql({"SELECT ", kColumns, " FROM t"}).
std::string sql(std::initializer_list<std::string_view> parts);

// " ON CONFLICT (key) DO UPDATE SET c = excluded.c, …" for the comma-separated `columns`: the
// portable spelling (SQLite and PostgreSQL) of "insert, or replace the row with this key".
std::string upsert_tail(std::string_view key, std::string_view columns);

// The LIMIT to ask for: the page size (clamped to 1..500) plus one row that tells whether more follow.
int64_t page_fetch_limit(const PageRequest& page);
// The keyset bound: rows with seq below it (everything when the request has no cursor).
inline int64_t page_before(const PageRequest& page) {
  return page.before_seq.value_or(std::numeric_limits<int64_t>::max());
}

// Reads every row of `stmt` with `from_row` (Statement → Result<T>).
template <typename T, typename FromRow>
Result<std::vector<T>> fetch_all(Statement& stmt, FromRow from_row) {
  std::vector<T> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto item = from_row(stmt);
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
}

// Reads the first row of `stmt`; nullopt when there is none.
template <typename T, typename FromRow>
Result<std::optional<T>> fetch_optional(Statement& stmt, FromRow from_row) {
  auto row = stmt.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>{};
  auto item = from_row(stmt);
  if (!item) return item.error();
  return std::optional<T>{std::move(*item)};
}

// Reads the first row of `stmt`; kNotFound ("<what> not found") when there is none.
template <typename T, typename FromRow>
Result<T> fetch_one(Statement& stmt, FromRow from_row, std::string_view what) {
  auto found = fetch_optional<T>(stmt, from_row);
  if (!found) return found.error();
  if (!*found) return Error::not_found(what);
  return std::move(**found);
}

// Turns the rows of a keyset query (ORDER BY seq DESC LIMIT page_fetch_limit(page)) into a page:
// the extra row, when present, is dropped and sets next_before to the last kept row's seq.
template <typename T, typename FromRow>
Result<Page<T>> fetch_page(Statement& stmt, const PageRequest& page, FromRow from_row) {
  auto rows = fetch_all<T>(stmt, from_row);
  if (!rows) return rows.error();
  Page<T> out;
  out.items = std::move(*rows);
  if (static_cast<int64_t>(out.items.size()) >= page_fetch_limit(page)) {
    out.items.pop_back();
    out.next_before = out.items.back().seq;
  }
  return out;
}

// True when the query `stmt` returns at least one row.
Result<bool> exists(Statement& stmt);

// Inserts a credential. kConflict (field "prefix") when the prefix is taken.
Status insert_credential(Connection& db, const domain::Credential& c);

// Stores the reply for an Idempotency-Key (nothing when `idem` is null). kIdempotencyConflict
// (field "Idempotency-Key") when the key was already used in this tenant and scope.
Status insert_idempotency(Connection& db, const core::TenantId& tenant, const IdempotencyRecord* idem,
                          core::Timestamp at);

// Inserts `event` as it is (no status check or change), and applies what it means for the
// exception queue (apply_exception_signals, same transaction). kNotFound when its shipment is not
// in its tenant. Returns the stored event (global_seq set; payload "{}" when it was empty).
Result<domain::Event> insert_event_row(Connection& db, domain::Event event);

// Inserts a new shipment (row, parcels) and its "created" event, appended to `committed`. Errors
// as Store::create_shipment (kConflict with field "external_order_id" or "tracking_number").
Status insert_new_shipment(Connection& db, const domain::Shipment& shipment, const domain::Event& created,
                           std::vector<domain::Event>& committed);

// Appends `event` to its shipment of `tenant` (the stored tenant_id is `tenant`). When
// event.milestone is set, compare-and-set: kConflict unless the shipment's status is `expected`,
// then the status becomes *event.milestone and updated_at event.recorded_at. kNotFound when the
// shipment is not the tenant's. Returns the stored event (global_seq set; payload "{}" when empty).
Result<domain::Event> insert_event(Connection& db, const core::TenantId& tenant, domain::Event event,
                                   domain::Milestone expected);
// insert_event for each (event, expected status) in order, appending the stored events to `committed`;
// the first failure stops and is returned (the caller's transaction rolls back).
Status insert_events(Connection& db, const core::TenantId& tenant,
                     const std::vector<std::pair<domain::Event, domain::Milestone>>& events,
                     std::vector<domain::Event>& committed);

}  // namespace lastmile::storage::sqlite
