#include "storage/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <cassert>
#include <utility>

namespace lastmile::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// "UNIQUE constraint failed: carriers.tenant_id, carriers.code" → "code": the last constrained
// column that is not tenant_id (tenant_id only scopes the uniqueness). Empty when unparsable.
std::string unique_field(std::string_view message) {
  constexpr std::string_view kMarker = "failed: ";
  auto at = message.find(kMarker);
  if (at == std::string_view::npos) return "";
  std::string_view rest = message.substr(at + kMarker.size());
  std::string field;
  while (!rest.empty()) {
    auto comma = rest.find(", ");
    std::string_view column = rest.substr(0, comma);
    if (auto dot = column.find('.'); dot != std::string_view::npos) column.remove_prefix(dot + 1);
    if (column != "tenant_id") field = std::string(column);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return field;
}

}  // namespace

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      std::string field = unique_field(db ? sqlite3_errmsg(db) : "");
      std::string message = field.empty() ? "a unique value is already taken" : field + " is already taken";
      return Error{core::ErrorCode::kConflict, std::move(message), std::move(field)};
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error{core::ErrorCode::kNotFound, "a referenced resource does not exist", ""};
    default: break;
  }
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Error{core::ErrorCode::kUnavailable, "the database is busy; retry", ""};
  return Error{core::ErrorCode::kInternal,
               "storage error in " + std::string(what) + ": " + sqlite3_errstr(rc) + " (" + std::to_string(rc) + ")",
               ""};
}

// ---- Statement --------------------------------------------------------------------------------

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), in_use_(other.in_use_), bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_)
    *in_use_ = false;
  else
    sqlite3_finalize(stmt_);
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::string_view value) {
  note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return sqlite_error(db_, bind_rc_, "bind");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, "step");
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC));
  return *this;
}

std::string_view Statement::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  if (!p) return {};
  return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return "";
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

// ---- Connection -------------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::open(const std::string& filename, Options options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(filename.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(raw, rc, "open");
    sqlite3_close_v2(raw);  // a handle is returned even on most failures
    return e;
  }
  std::unique_ptr<Connection> conn(new Connection(raw));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  if (options.query_only) pragmas += " PRAGMA query_only = ON;";
  if (auto st = conn->exec(pragmas); !st) return st.error();
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, slot] : cache_) sqlite3_finalize(slot.stmt);
  sqlite3_close_v2(db_);
}

Status Connection::enable_wal() {
  auto stmt = prepare("PRAGMA journal_mode = WAL");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  const std::string mode = *row ? stmt->text(0) : "";
  if (mode == "wal" || mode == "memory") return {};
  return Error{core::ErrorCode::kInternal, "storage error in open: cannot switch to WAL (journal mode '" + mode + "')",
               ""};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->second.in_use);
  }
  const bool cache_it = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  if (!cache_it) return Statement(db_, stmt, nullptr);
  auto& slot = cache_[std::string(sql)];
  slot = {stmt, true};
  return Statement(db_, stmt, &slot.in_use);
}

Status Connection::exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
  return {};
}

int64_t Connection::changes() const { return sqlite3_changes64(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string Connection::last_error_message() const { return sqlite3_errmsg(db_); }

// ---- Transaction ------------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Connection& db, Kind kind) {
  if (auto st = db.exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"); !st) return st.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ && db_->in_transaction()) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  assert(db_ != nullptr);
  if (auto st = db_->exec("COMMIT"); !st) return st;
  db_ = nullptr;
  return {};
}

}  // namespace lastmile::storage::sqlite
