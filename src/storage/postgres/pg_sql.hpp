#pragma once
// Pure text functions of the PostgreSQL driver: how the store's portable SQL (storage/sql/sql_db.hpp)
// and the schema's migrations (storage/sqlite/migrations.cpp) are spelled for PostgreSQL, how its
// database URL is split, and how its errors map to lastmile's codes. No libpq here, so the
// functions are unit-tested and fuzzed on their own.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lastmile::storage::postgres {

// `?` placeholders numbered `$1, $2, …` in order, skipping string literals ('…'), quoted
// identifiers ("…") and comments (-- … and /* … */). `count` receives the number of placeholders.
std::string number_placeholders(std::string_view sql, int* count = nullptr);

// The schema's SQLite DDL spelled for PostgreSQL: `INTEGER PRIMARY KEY` (the rowid alias) becomes an
// identity column, other INTEGERs BIGINT (SQLite's are 64-bit), BLOB becomes BYTEA, and the
// `WITHOUT ROWID` table option is dropped. Words inside string literals and comments are kept.
std::string postgres_ddl(std::string_view sqlite_ddl);

// A `postgres://` / `postgresql://` database URL split into what libpq gets and lastmile's own
// `schema` query parameter (removed from the libpq URL).
struct PostgresUrl {
  std::string conninfo;  // the URL without `schema=…`
  std::string schema;    // "" when absent (PostgreSQL's default search path)
};
// kInvalidField (field "db") when `schema` is not a plain lowercase identifier (a–z, 0–9, _;
// starting with a letter or _; at most 63 characters) or the URL is not a postgres URL.
core::Result<PostgresUrl> parse_postgres_url(std::string_view url);

// A PostgreSQL error (its SQLSTATE, and the DETAIL text for unique violations) as a lastmile error:
// 23505 → kConflict with the field parsed from "Key (tenant_id, code)=(…)" (the last column that is
// not tenant_id); 23503 → kNotFound; 40001, 40P01, 55P03, 57P01–57P03, 08xxx → kUnavailable;
// anything else → kInternal naming `what` and the SQLSTATE only (never SQL text or values).
core::Error postgres_error(std::string_view sqlstate, std::string_view detail, std::string_view what);

}  // namespace lastmile::storage::postgres
