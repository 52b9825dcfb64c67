#pragma once
// The PostgreSQL driver of the database-neutral layer (storage/sql/sql_db.hpp), over libpq.
//
// - Statements: the store's `?` placeholders are numbered (pg_sql.hpp); a cached statement is
//   prepared on the server once per connection (PQprepare) and run with PQexecPrepared; parameters
//   go as text with their types left to the server (like untyped literals), BLOBs in binary; results
//   come as text (BYTEA decoded from hex, booleans read as 0/1).
// - Errors as sql_db.hpp promises, mapped from SQLSTATE by postgres_error (pg_sql.hpp). Text with a
//   NUL character (U+0000, valid in JSON) cannot be stored in PostgreSQL's text: the statement fails
//   with kInvalidField instead of storing it cut short (SQLite stores it as it is).
// - Failure inside a transaction: PostgreSQL aborts the whole transaction on any failed statement,
//   where SQLite fails only that statement and lets the caller go on (the store relies on it, e.g.
//   an insert that conflicts and is then handled). So inside a transaction every INSERT, UPDATE,
//   DELETE (and WITH) runs in its own savepoint, rolled back when it fails: SQLite's meaning.
// - Writes: begin_sql(true) takes a transaction-scoped advisory lock keyed by the schema, so write
//   transactions of every node of a cluster serialize, as SQLite's BEGIN IMMEDIATE does on one node
//   (events.global_seq stays the commit order; a read-then-write cannot be overtaken). Reads are
//   REPEATABLE READ, READ ONLY snapshots.
// - A lost connection is reset on the next use outside a transaction (statements are prepared
//   again). A BEGIN, or a read outside a transaction, that finds it lost is retried once on the fresh
//   connection (it had no effect); a write or anything inside a transaction gets kUnavailable.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/sql_db.hpp"

struct pg_conn;

namespace lastmile::storage::postgres {

using core::Error;
using core::Result;
using core::Status;

class PgStatement;

class PgConnection final : public sql::Connection {
 public:
  // Connects with `conninfo` (a libpq URL or key=value string). With a non-empty `schema` (a plain
  // lowercase identifier, checked by parse_postgres_url), creates it when missing and makes it the
  // search path. kUnavailable when the server cannot be reached (libpq's message, for start-up).
  static Result<std::unique_ptr<PgConnection>> open(const std::string& conninfo, const std::string& schema);
  ~PgConnection() override;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  Result<sql::Statement> prepare(std::string_view sql) override;
  Status exec(const std::string& sql) override;
  int64_t changes() const override { return changes_; }
  bool in_transaction() const override;
  std::string last_error_message() const override { return last_error_; }
  std::string begin_sql(bool write) const override;

 private:
  friend class PgStatement;
  PgConnection(pg_conn* conn, std::string schema);
  Status apply_session_settings();
  Status exec_once(const std::string& sql);
  bool broken() const;  // libpq found the connection closed
  // Resets a broken connection (outside a transaction); statements are prepared again after it.
  void revive();

  pg_conn* conn_;
  const std::string schema_;
  int64_t changes_ = 0;
  std::string last_error_;
  uint64_t generation_ = 1;  // bumped on every reset: server-side prepared statements are gone
  int next_name_ = 0;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> cache_;
};

}  // namespace lastmile::storage::postgres
