#include "storage/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "storage/postgres/pg_sql.hpp"

namespace lastmile::storage::postgres {
namespace {

constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;

// The statement's first keyword writes rows (and so may fail on a constraint).
bool writes_rows(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(')) ++i;
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  return word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "WITH";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// BYTEA's text output ("\x0a1b…") as bytes; other text unchanged.
std::string decode_bytea(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text);
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) break;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string format_double(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf, static_cast<size_t>(n));
}

void ignore_notice(void*, const char*) {}

}  // namespace

// ---- statements -------------------------------------------------------------------------------

class PgStatement final : public sql::StatementImpl {
 public:
  PgStatement(PgConnection* owner, std::string sql, int params, bool cached)
      : owner_(owner), sql_(std::move(sql)), cached_(cached), writes_(writes_rows(sql_)),
        values_(static_cast<size_t>(params)), set_(static_cast<size_t>(params), false),
        binary_(static_cast<size_t>(params), 0) {
    if (cached_) name_ = "lm" + std::to_string(owner_->next_name_++);
  }
  ~PgStatement() override { clear_result(); }

  bool in_use = false;

  void bind_text(int index, std::string_view value) override {
    if (value.find('\0') != std::string_view::npos) nul_in_text_ = true;  // PostgreSQL's text cannot hold it
    put(index, std::string(value), false);
  }
  void bind_int64(int index, int64_t value) override { put(index, std::to_string(value), false); }
  void bind_double(int index, double value) override { put(index, format_double(value), false); }
  void bind_null(int index) override {
    if (!in_range(index)) return;
    set_[index - 1] = false;
    binary_[index - 1] = 0;
  }
  void bind_blob(int index, std::string_view bytes) override { put(index, std::string(bytes), true); }

  Result<bool> step() override {
    if (!executed_) {
      if (bind_error_) return Error{core::ErrorCode::kInternal, "storage error in bind: parameter out of range", ""};
      if (nul_in_text_)  // libpq would cut the text at the NUL: refused rather than stored shortened
        return Error{core::ErrorCode::kInvalidField, "a text value contains a NUL character (U+0000)", ""};
      if (auto st = execute(); !st) return st.error();
      executed_ = true;
      row_ = -1;
    }
    if (!result_) return false;
    ++row_;
    decoded_.clear();
    return row_ < PQntuples(result_);
  }

  bool is_null(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  std::string_view text(int column) const override {
    if (PQftype(result_, column) == kByteaOid) return decoded(column);
    return raw(column);
  }
  std::string_view blob(int column) const override {
    if (PQftype(result_, column) == kByteaOid) return decoded(column);
    return raw(column);
  }
  int64_t int64(int column) const override {
    const std::string_view v = raw(column);
    if (v.empty()) return 0;
    if (PQftype(result_, column) == kBoolOid) return v[0] == 't' ? 1 : 0;
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc() && (ptr == v.data() + v.size() || (*ptr != '.' && *ptr != 'e' && *ptr != 'E'))) return out;
    return static_cast<int64_t>(std::strtod(std::string(v).c_str(), nullptr));  // numeric results
  }
  double real(int column) const override {
    const std::string_view v = raw(column);
    if (v.empty()) return 0;
    if (PQftype(result_, column) == kBoolOid) return v[0] == 't' ? 1 : 0;
    return std::strtod(std::string(v).c_str(), nullptr);
  }

  void release() noexcept override {
    clear_result();
    executed_ = false;
    bind_error_ = false;
    nul_in_text_ = false;
    std::fill(set_.begin(), set_.end(), false);
    std::fill(binary_.begin(), binary_.end(), 0);
    if (cached_)
      in_use = false;
    else
      delete this;
  }

 private:
  bool in_range(int index) {
    if (index >= 1 && static_cast<size_t>(index) <= values_.size()) return true;
    bind_error_ = true;
    return false;
  }
  void put(int index, std::string value, bool binary) {
    if (!in_range(index)) return;
    values_[index - 1] = std::move(value);
    set_[index - 1] = true;
    binary_[index - 1] = binary ? 1 : 0;
  }
  std::string_view raw(int column) const {
    if (PQgetisnull(result_, row_, column)) return {};
    return {PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column))};
  }
  std::string_view decoded(int column) const {
    auto [it, inserted] = decoded_.try_emplace(column);
    if (inserted) it->second = decode_bytea(raw(column));
    return it->second;
  }
  void clear_result() {
    if (result_) PQclear(result_);
    result_ = nullptr;
    decoded_.clear();
  }

  Status execute();
  Status run_once(PGconn* conn);

  PgConnection* owner_;
  const std::string sql_;
  const bool cached_;
  const bool writes_;
  std::string name_;
  uint64_t prepared_generation_ = 0;  // the connection generation it was prepared in (0: not yet)
  std::vector<std::string> values_;
  std::vector<bool> set_;  // false: NULL
  std::vector<int> binary_;
  bool bind_error_ = false;
  bool nul_in_text_ = false;
  bool executed_ = false;
  PGresult* result_ = nullptr;
  int row_ = -1;
  mutable std::unordered_map<int, std::string> decoded_;
};

Status PgStatement::run_once(PGconn* conn) {
  const int n = static_cast<int>(values_.size());
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    values[i] = set_[i] ? values_[i].data() : nullptr;
    lengths[i] = static_cast<int>(values_[i].size());
  }
  if (cached_ && prepared_generation_ != owner_->generation_) {
    PGresult* prep = PQprepare(conn, name_.c_str(), sql_.c_str(), n, nullptr);
    const bool ok = prep && PQresultStatus(prep) == PGRES_COMMAND_OK;
    if (!ok) {
      const char* state = prep ? PQresultErrorField(prep, PG_DIAG_SQLSTATE) : nullptr;
      owner_->last_error_ = PQerrorMessage(conn);
      Error e = postgres_error(state ? state : "", "", "prepare");
      if (prep) PQclear(prep);
      return e;
    }
    PQclear(prep);
    prepared_generation_ = owner_->generation_;
  }
  result_ = cached_ ? PQexecPrepared(conn, name_.c_str(), n, values.data(), lengths.data(), binary_.data(), 0)
                    : PQexecParams(conn, sql_.c_str(), n, nullptr, values.data(), lengths.data(), binary_.data(), 0);
  const auto status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    const char* tuples = PQcmdTuples(result_);
    owner_->changes_ = tuples && *tuples ? std::atoll(tuples) : 0;
    return {};
  }
  const char* state = result_ ? PQresultErrorField(result_, PG_DIAG_SQLSTATE) : nullptr;
  const char* detail = result_ ? PQresultErrorField(result_, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  owner_->last_error_ = PQerrorMessage(conn);
  Error e = postgres_error(state ? state : "", detail ? detail : "", "step");  // before the result goes
  clear_result();
  return e;
}

Status PgStatement::execute() {
  PGconn* conn = owner_->conn_;
  if (!owner_->in_transaction()) {
    Status st = run_once(conn);
    // A read outside a transaction that found the connection dead (a restarted server, a killed
    // backend) had no effect: it runs again once on a fresh connection.
    if (!st && !writes_ && owner_->broken()) {
      owner_->revive();
      st = run_once(conn);
    }
    return st;
  }
  if (!writes_) return run_once(conn);
  // SQLite's meaning for a failed statement inside a transaction: only it is undone.
  if (auto st = owner_->exec("SAVEPOINT lm_statement"); !st) return st;
  Status st = run_once(conn);
  if (st) return owner_->exec("RELEASE SAVEPOINT lm_statement");
  (void)owner_->exec("ROLLBACK TO SAVEPOINT lm_statement; RELEASE SAVEPOINT lm_statement");
  return st;
}

// ---- connections ------------------------------------------------------------------------------

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& conninfo, const std::string& schema) {
  PGconn* raw = PQconnectdb(conninfo.c_str());
  if (!raw || PQstatus(raw) != CONNECTION_OK) {
    std::string why = raw ? PQerrorMessage(raw) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (raw) PQfinish(raw);
    return Error{core::ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + why, ""};
  }
  PQsetNoticeProcessor(raw, ignore_notice, nullptr);
  std::unique_ptr<PgConnection> conn(new PgConnection(raw, schema));
  if (auto st = conn->apply_session_settings(); !st) return st.error();
  return conn;
}

PgConnection::PgConnection(pg_conn* conn, std::string schema) : conn_(conn), schema_(std::move(schema)) {}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

Status PgConnection::apply_session_settings() {
  std::string settings = "SET client_min_messages = warning; SET TIME ZONE 'UTC';";
  if (!schema_.empty()) {
    // Two nodes may create the schema at once: the loser's CREATE fails on the catalog's unique key,
    // and the schema exists either way.
    (void)exec("CREATE SCHEMA IF NOT EXISTS \"" + schema_ + "\"");
    settings += " SET search_path TO \"" + schema_ + "\";";
  }
  return exec(settings);
}

void PgConnection::revive() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return;
  ++generation_;
  (void)apply_session_settings();
}

Result<sql::Statement> PgConnection::prepare(std::string_view sql) {
  if (!in_transaction()) revive();
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return sql::Statement(it->second.get());
  }
  int params = 0;
  std::string numbered = number_placeholders(sql, &params);
  if (it != cache_.end()) return sql::Statement(new PgStatement(this, std::move(numbered), params, false));
  auto& slot = cache_[std::string(sql)];
  slot = std::make_unique<PgStatement>(this, std::move(numbered), params, true);
  slot->in_use = true;
  return sql::Statement(slot.get());
}

Status PgConnection::exec(const std::string& sql) {
  const bool idle = !in_transaction();
  if (idle) revive();
  Status st = exec_once(sql);
  // BEGIN on a connection found dead had no effect: it runs again once on a fresh connection, so a
  // pooled connection the server dropped costs its next user nothing.
  if (!st && idle && broken() && sql.rfind("BEGIN", 0) == 0) {
    revive();
    st = exec_once(sql);
  }
  return st;
}

bool PgConnection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Status PgConnection::exec_once(const std::string& sql) {
  PGresult* res = PQexec(conn_, sql.c_str());
  const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(res);
    return {};
  }
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  last_error_ = PQerrorMessage(conn_);
  Error e = postgres_error(state ? state : "", detail ? detail : "", "exec");
  if (res) PQclear(res);
  return e;
}

bool PgConnection::in_transaction() const {
  const auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

std::string PgConnection::begin_sql(bool write) const {
  if (!write) return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  return "BEGIN; SELECT pg_advisory_xact_lock(hashtext('lastmile writer ' || current_schema()))";
}

}  // namespace lastmile::storage::postgres
