#pragma once
// A small RAII layer over the sqlite3 C API: a connection with its prepared-statement cache, a
// statement with typed bind/column helpers, and a transaction guard. Knows nothing of lastmile's
// entities; failures come back as core::Status / core::Result values, never as exceptions.
//
// Error mapping (sqlite_error below):
//   UNIQUE / PRIMARY KEY constraint → kConflict, `field` = the constrained column (the last one
//                                      that is not tenant_id), message "<field> is already taken";
//   FOREIGN KEY constraint           → kNotFound (a referenced row does not exist in the tenant);
//   SQLITE_BUSY / SQLITE_LOCKED      → kUnavailable;
//   anything else                    → kInternal with a log-safe message (sqlite's generic text
//                                      for the code and the operation; never SQL text or values).
//
// Threading: a Connection and its Statements belong to one thread at a time (the pool hands them
// out); connections are opened with SQLITE_OPEN_NOMUTEX.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace lastmile::storage::sqlite {

using core::Error;
using core::Result;
using core::Status;

// Maps the last error of `db` (extended code `rc`) to an Error; `what` names the operation.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

// A prepared statement in use. Obtained from Connection::prepare; on destruction it is reset and
// its bindings cleared (a cached statement goes back to the cache, an uncached one is finalized).
// Binds are 1-based, columns 0-based. A failed bind is remembered and reported by the next step().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::nullopt_t) { return bind_null(index); }
  Statement& bind_null(int index);
  // Binds bytes as a BLOB without copying: `bytes` must stay valid until the statement is done.
  Statement& bind_blob(int index, std::string_view bytes);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  // Binds `values` to parameters 1..N in order.
  template <typename... Ts>
  Statement& bind_all(const Ts&... values) {
    int index = 1;
    (bind(index++, values), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done. Errors are mapped by sqlite_error.
  Result<bool> step();
  // Steps to completion, ignoring rows (INSERT/UPDATE/DDL).
  Status run();

  bool is_null(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::string_view blob(int column) const;  // empty for NULL; valid until the next step()
  int64_t int64(int column) const;     // 0 for NULL
  double real(int column) const;       // 0 for NULL
  std::optional<std::string> optional_text(int column) const;
  std::optional<int64_t> optional_int64(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);
  void note_bind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; nullptr when this statement is uncached and owned
  int bind_rc_ = 0;
};

// One database connection. Move-only; closes (finalizing cached statements) on destruction.
class Connection {
 public:
  struct Options {
    bool create = true;       // create the file when missing
    bool query_only = false;  // refuse writes (reader connections)
  };

  // Opens `filename` (a path, ":memory:" or a "file:" URI) and applies the connection settings:
  // foreign_keys=ON, busy_timeout=5000, synchronous=FULL, query_only as asked.
  static Result<std::unique_ptr<Connection>> open(const std::string& filename, Options options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Switches the database to WAL journaling (persistent in the file). A no-op for memory databases.
  Status enable_wal();

  // A statement for `sql` from this connection's cache (prepared on first use). When the cached one
  // is already in use (a nested query with the same text), an uncached copy is returned.
  Result<Statement> prepare(std::string_view sql);
  // Runs one or more ';'-separated statements without results (DDL, PRAGMA, BEGIN/COMMIT).
  Status exec(const std::string& sql);

  int64_t changes() const;          // rows changed by the last INSERT/UPDATE/DELETE
  bool in_transaction() const;
  // sqlite's detailed message for the last failure; may name tables and columns, so it is for
  // start-up diagnostics (migrations), not for errors returned to clients.
  std::string last_error_message() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement> cache_;  // node-stable: Statements point into it
};

// BEGIN … COMMIT on one connection; rolls back on destruction unless committed.
// kWrite takes the write lock at once (BEGIN IMMEDIATE) so a read-then-write inside it cannot be
// overtaken; kRead is a deferred transaction: a consistent snapshot for multi-statement reads.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };

  static Result<Transaction> begin(Connection& db, Kind kind);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  // REQUIRES: not yet committed. On failure the transaction is rolled back by the destructor.
  Status commit();

 private:
  explicit Transaction(Connection* db) : db_(db) {}
  Connection* db_;  // nullptr once committed or moved from
};

}  // namespace lastmile::storage::sqlite
