#pragma once
// Versioned schema migrations. The database records the versions it has applied in
// `schema_version`; opening a store applies the pending ones, in order, in one transaction, so a
// failed migration leaves the database as it was.
//
// The SQL is kept portable so the PostgreSQL backend can reuse it: TEXT, BIGINT and DOUBLE
// PRECISION column types (SQLite maps them to TEXT/INTEGER/REAL affinity), standard UNIQUE and
// FOREIGN KEY constraints, partial indexes. SQLite-specific spellings — the row key
// `seq INTEGER PRIMARY KEY` (an alias of the rowid, assigned increasing), INTEGER, BLOB and
// WITHOUT ROWID — are translated for PostgreSQL by postgres_ddl (storage/postgres/pg_sql.hpp).
//
// Rules for adding a migration: append to the list with the next version; never edit or reorder an
// applied one.

#include <span>
#include <string_view>

#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

struct Migration {
  int version;            // 1, 2, 3, … without gaps
  std::string_view name;  // what it does, for humans
  std::string_view sql;   // one or more ';'-separated statements
  Status (*after)(Connection&) = nullptr;  // a data step run after the SQL, in the same transaction
  // PostgreSQL's spelling when postgres_ddl(sql) (storage/postgres/pg_sql.hpp) does not give it,
  // e.g. a data step that calls a SQLite function (a PostgreSQL database starts empty).
  std::string_view postgres_sql = {};
};

// Every migration, oldest first.
std::span<const Migration> migrations();

// The highest applied version; 0 for a new database.
Result<int> schema_version(Connection& db);

// Creates `schema_version` when missing, then applies every migration newer than the recorded
// version inside one write transaction (on PostgreSQL, the DDL as postgres_ddl spells it; the
// write transaction's lock keeps two nodes starting at once from migrating twice). Running it again applies nothing.
// kInternal when the database was written by a newer lastmile (its version is unknown here) or a
// migration fails; the message carries sqlite's detail (start-up diagnostics only).
// REQUIRES: no transaction is open on `db`.
Status run_migrations(Connection& db);

}  // namespace lastmile::storage::sqlite
