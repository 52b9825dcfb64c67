#include "storage/sql/sql_db.hpp"

#include <cassert>

namespace lastmile::storage::sql {

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

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

Result<Transaction> Transaction::begin(Connection& db, Kind kind) {
  if (auto st = db.exec(db.begin_sql(kind == Kind::kWrite)); !st) return st.error();
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

}  // namespace lastmile::storage::sql
