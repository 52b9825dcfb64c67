#pragma once
// The database-neutral layer the store is written against: a connection with its prepared-statement
// cache, a statement with typed bind/column helpers, and a transaction guard. Two drivers implement
// it — SQLite (storage/sqlite/sqlite_db.hpp) and PostgreSQL (storage/postgres/pg_connection.hpp) —
// so the store's SQL runs on both; it is written in the portable subset (DESIGN.md §3), with `?`
// placeholders (the PostgreSQL driver numbers them).
//
// Failures come back as core::Status / core::Result values with the same codes from both drivers:
//   unique constraint  → kConflict, `field` = the constrained column (the last one that is not
//                        tenant_id), message "<field> is already taken";
//   foreign key        → kNotFound (a referenced row does not exist in the tenant);
//   busy / lock / lost connection → kUnavailable;
//   anything else      → kInternal with a log-safe message (never SQL text or values).
//
// Threading: a Connection and its Statements belong to one thread at a time (the pool hands them out).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace lastmile::storage::sql {

using core::Error;
using core::Result;
using core::Status;

enum class Dialect { kSqlite, kPostgres };

// What a driver implements for one prepared statement. Binds are 1-based, columns 0-based.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  // A failed bind is remembered and reported by the next step().
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_int64(int index, int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_null(int index) = 0;
  // `bytes` must stay valid until the statement is released.
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual Result<bool> step() = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::string_view text(int column) const = 0;  // valid until the next step()
  virtual std::string_view blob(int column) const = 0;  // valid until the next step()
  virtual int64_t int64(int column) const = 0;          // 0 for NULL; booleans as 0/1
  virtual double real(int column) const = 0;            // 0 for NULL
  // Done with: results dropped, bindings cleared; a cached statement goes back to its cache, an
  // uncached one deletes itself.
  virtual void release() noexcept = 0;
};

// A prepared statement in use, obtained from Connection::prepare; released on destruction.
class Statement {
 public:
  explicit Statement(StatementImpl* impl) : impl_(impl) {}
  Statement(Statement&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement() {
    if (impl_) impl_->release();
  }

  Statement& bind(int index, std::string_view value) { return impl_->bind_text(index, value), *this; }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, int64_t value) { return impl_->bind_int64(index, value), *this; }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& bind(int index, double value) { return impl_->bind_double(index, value), *this; }
  Statement& bind(int index, std::nullopt_t) { return bind_null(index); }
  Statement& bind_null(int index) { return impl_->bind_null(index), *this; }
  // Binds bytes as a BLOB without copying: `bytes` must stay valid until the statement is done.
  Statement& bind_blob(int index, std::string_view bytes) { return impl_->bind_blob(index, bytes), *this; }
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

  // Advances: true when a row is available, false when done.
  Result<bool> step() { return impl_->step(); }
  // Steps to completion, ignoring rows (INSERT/UPDATE/DDL).
  Status run();

  bool is_null(int column) const { return impl_->is_null(column); }
  std::string text(int column) const { return std::string(impl_->text(column)); }  // "" for NULL
  std::string_view blob(int column) const { return impl_->blob(column); }  // valid until the next step()
  int64_t int64(int column) const { return impl_->int64(column); }
  double real(int column) const { return impl_->real(column); }
  std::optional<std::string> optional_text(int column) const;
  std::optional<int64_t> optional_int64(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  StatementImpl* impl_;
};

// One database connection of either driver. Closes (finalizing cached statements) on destruction.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Dialect dialect() const = 0;
  // A statement for `sql` from this connection's cache (prepared on first use). When the cached one
  // is already in use (a nested query with the same text), an uncached copy is returned.
  virtual Result<Statement> prepare(std::string_view sql) = 0;
  // Runs one or more ';'-separated statements without parameters or results (DDL, BEGIN/COMMIT).
  virtual Status exec(const std::string& sql) = 0;
  virtual int64_t changes() const = 0;  // rows changed by the last INSERT/UPDATE/DELETE
  virtual bool in_transaction() const = 0;
  // The driver's detailed message for the last failure; may name tables and columns, so it is for
  // start-up diagnostics (migrations), not for errors returned to clients.
  virtual std::string last_error_message() const = 0;
  // What starts a transaction: a write one takes the (database-wide) write lock at once, so a
  // read-then-write inside it cannot be overtaken; a read one is a consistent snapshot.
  virtual std::string begin_sql(bool write) const = 0;
};

// BEGIN … COMMIT on one connection; rolls back on destruction unless committed.
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

}  // namespace lastmile::storage::sql
