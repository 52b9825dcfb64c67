#include "storage/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

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

// GREATEST / LEAST with PostgreSQL's meaning: the largest (smallest) non-NULL argument, NULL when
// all are NULL. `sign` is +1 for GREATEST, -1 for LEAST (user data: the comparison's direction).
void extreme_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const int sign = *static_cast<int*>(sqlite3_user_data(ctx));
  sqlite3_value* best = nullptr;
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    if (!best) {
      best = argv[i];
      continue;
    }
    const bool numeric = sqlite3_value_numeric_type(argv[i]) != SQLITE_TEXT &&
                         sqlite3_value_numeric_type(best) != SQLITE_TEXT;
    int cmp = 0;
    if (numeric) {
      const double a = sqlite3_value_double(argv[i]), b = sqlite3_value_double(best);
      cmp = a < b ? -1 : (a > b ? 1 : 0);
    } else {
      cmp = std::string_view(reinterpret_cast<const char*>(sqlite3_value_text(argv[i])))
                .compare(reinterpret_cast<const char*>(sqlite3_value_text(best)));
    }
    if (cmp * sign > 0) best = argv[i];
  }
  if (best)
    sqlite3_result_value(ctx, best);
  else
    sqlite3_result_null(ctx);
}

// STRPOS(text, part) as PostgreSQL has it: the 1-based character position of the first `part`
// in `text`, 0 when absent, NULL when either is NULL.
void strpos_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return sqlite3_result_null(ctx);
  const auto* t = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string_view text(t, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  const std::string_view part(p, static_cast<size_t>(sqlite3_value_bytes(argv[1])));
  const size_t at = text.find(part);
  if (at == std::string_view::npos) return sqlite3_result_int64(ctx, 0);
  int64_t chars = 0;  // UTF-8 characters before the match: bytes that are not continuation bytes
  for (size_t i = 0; i < at; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  sqlite3_result_int64(ctx, chars + 1);
}

int kGreatest = 1;
int kLeast = -1;

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

// ---- statements -------------------------------------------------------------------------------

class SqliteStatement final : public sql::StatementImpl {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool cached) : db_(db), stmt_(stmt), cached_(cached) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  bool in_use = false;  // cached statements: handed out now

  void bind_text(int index, std::string_view value) override {
    note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_int64(int index, int64_t value) override { note_bind(sqlite3_bind_int64(stmt_, index, value)); }
  void bind_double(int index, double value) override { note_bind(sqlite3_bind_double(stmt_, index, value)); }
  void bind_null(int index) override { note_bind(sqlite3_bind_null(stmt_, index)); }
  void bind_blob(int index, std::string_view bytes) override {
    note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC));
  }

  Result<bool> step() override {
    if (bind_rc_ != SQLITE_OK) return sqlite_error(db_, bind_rc_, "bind");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, "step");
  }

  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string_view text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  std::string_view blob(int column) const override {
    const void* p = sqlite3_column_blob(stmt_, column);
    if (!p) return {};
    return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }

  void release() noexcept override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
    if (cached_)
      in_use = false;
    else
      delete this;
  }

 private:
  void note_bind(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  const bool cached_;
  int bind_rc_ = SQLITE_OK;
};

// ---- connections ------------------------------------------------------------------------------

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& filename, Options options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(filename.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(raw, rc, "open");
    sqlite3_close_v2(raw);  // a handle is returned even on most failures
    return e;
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(raw));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  for (auto [name, sign] : {std::pair{"greatest", &kGreatest}, std::pair{"least", &kLeast}}) {
    const int frc = sqlite3_create_function(raw, name, -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, sign,
                                            extreme_function, nullptr, nullptr);
    if (frc != SQLITE_OK) return sqlite_error(raw, frc, "open");
  }
  const int src = sqlite3_create_function(raw, "strpos", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                          strpos_function, nullptr, nullptr);
  if (src != SQLITE_OK) return sqlite_error(raw, src, "open");
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  if (options.query_only) pragmas += " PRAGMA query_only = ON;";
  if (auto st = conn->exec(pragmas); !st) return st.error();
  return conn;
}

SqliteConnection::SqliteConnection(sqlite3* db) : db_(db) {}

SqliteConnection::~SqliteConnection() {
  cache_.clear();  // finalizes the cached statements before the handle closes
  sqlite3_close_v2(db_);
}

Status SqliteConnection::enable_wal() {
  auto stmt = prepare("PRAGMA journal_mode = WAL");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  const std::string mode = *row ? stmt->text(0) : "";
  if (mode == "wal" || mode == "memory") return {};
  return Error{core::ErrorCode::kInternal, "storage error in open: cannot switch to WAL (journal mode '" + mode + "')",
               ""};
}

Result<Statement> SqliteConnection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(it->second.get());
  }
  const bool cache_it = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  if (!cache_it) return Statement(new SqliteStatement(db_, stmt, false));
  auto& slot = cache_[std::string(sql)];
  slot = std::make_unique<SqliteStatement>(db_, stmt, true);
  slot->in_use = true;
  return Statement(slot.get());
}

Status SqliteConnection::exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
  return {};
}

int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string SqliteConnection::last_error_message() const { return sqlite3_errmsg(db_); }

}  // namespace lastmile::storage::sqlite
