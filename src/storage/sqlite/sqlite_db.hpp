#pragma once
// The SQLite driver of the database-neutral layer (storage/sql/sql_db.hpp): a thin RAII layer over
// the sqlite3 C API. Connections are opened with SQLITE_OPEN_NOMUTEX (one thread at a time).
//
// Error mapping (sqlite_error below), as sql_db.hpp promises for every driver:
//   UNIQUE / PRIMARY KEY constraint → kConflict, `field` = the constrained column (the last one
//                                      that is not tenant_id), message "<field> is already taken";
//   FOREIGN KEY constraint           → kNotFound (a referenced row does not exist in the tenant);
//   SQLITE_BUSY / SQLITE_LOCKED      → kUnavailable;
//   anything else                    → kInternal with a log-safe message (sqlite's generic text
//                                      for the code and the operation; never SQL text or values).
//
// Portability helpers: every connection has the SQL functions GREATEST(a, b, …), LEAST(a, b, …)
// (NULL arguments ignored) and STRPOS(text, part) with PostgreSQL's meaning, so the store's SQL can
// use them on both.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/sql_db.hpp"

struct sqlite3;

namespace lastmile::storage::sqlite {

using core::Error;
using core::Result;
using core::Status;
using sql::Connection;
using sql::Statement;
using sql::Transaction;

// Maps the last error of `db` (extended code `rc`) to an Error; `what` names the operation.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

class SqliteStatement;

// One SQLite database connection.
class SqliteConnection final : public Connection {
 public:
  struct Options {
    bool create = true;       // create the file when missing
    bool query_only = false;  // refuse writes (reader connections)
  };

  // Opens `filename` (a path, ":memory:" or a "file:" URI) and applies the connection settings:
  // foreign_keys=ON, busy_timeout=5000, synchronous=FULL, query_only as asked.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& filename, Options options);
  ~SqliteConnection() override;

  // Switches the database to WAL journaling (persistent in the file). A no-op for memory databases.
  Status enable_wal();

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  Result<Statement> prepare(std::string_view sql) override;
  Status exec(const std::string& sql) override;
  int64_t changes() const override;
  bool in_transaction() const override;
  std::string last_error_message() const override;
  // BEGIN IMMEDIATE (the database's one write lock) or a deferred BEGIN.
  std::string begin_sql(bool write) const override { return write ? "BEGIN IMMEDIATE" : "BEGIN"; }

  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db);

  sqlite3* db_;
  // node-stable; a cached statement is handed out while not in use
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

}  // namespace lastmile::storage::sqlite
