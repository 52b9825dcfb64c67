// The database-neutral layer (storage/sql/sql_db.hpp) behaves the same on both drivers: the test
// runs on a SQLite memory database, and on PostgreSQL when LASTMILE_TEST_STORE_URL(_FILE) names one
// (ctest's pg.unit.storage).
#include <gtest/gtest.h>

#include <string>

#include "storage/postgres/pg_connection.hpp"
#include "storage/postgres/pg_sql.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using sql::Connection;
using sql::Transaction;

std::unique_ptr<Connection> open_connection() {
  const std::string url = fresh_store_url();
  if (!testing_postgres()) {
    auto db = sqlite::SqliteConnection::open(":memory:", {});
    if (!db) return nullptr;
    (void)(*db)->exec("PRAGMA foreign_keys = ON");
    return std::move(*db);
  }
  auto pg = postgres::parse_postgres_url(url);
  if (!pg) return nullptr;
  auto db = postgres::PgConnection::open(pg->conninfo, pg->schema);
  if (!db) return nullptr;
  return std::move(*db);
}

class SqlConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_connection();
    ASSERT_NE(db_, nullptr) << test_store_url();
    ASSERT_TRUE(is_ok(db_->exec(
        "CREATE TABLE parents (id TEXT PRIMARY KEY);"
        "CREATE TABLE items (tenant_id TEXT NOT NULL, code TEXT NOT NULL, parent TEXT REFERENCES parents (id), "
        "n BIGINT, x DOUBLE PRECISION, data " + std::string(testing_postgres() ? "BYTEA" : "BLOB") +
        ", UNIQUE (tenant_id, code))")));
  }
  Status insert(const std::string& code, std::optional<std::string> parent = std::nullopt) {
    auto stmt = db_->prepare("INSERT INTO items (tenant_id, code, parent, n) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt->bind_all("t1", code, parent, int64_t{7}).run();
  }
  int64_t count() {
    auto stmt = db_->prepare("SELECT COUNT(*) FROM items");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->step());
    return stmt->int64(0);
  }
  std::unique_ptr<Connection> db_;
};

TEST_F(SqlConnectionTest, UniqueViolationIsAConflictNamingTheColumn) {
  ASSERT_TRUE(is_ok(insert("a")));
  EXPECT_TRUE(fails_with(insert("a"), ErrorCode::kConflict, "code"));
}

TEST_F(SqlConnectionTest, MissingReferenceIsNotFound) {
  EXPECT_TRUE(fails_with(insert("a", "no-such-parent"), ErrorCode::kNotFound));
  EXPECT_EQ(count(), 0);
}

// SQLite's meaning, which the store relies on: a failed statement inside a transaction undoes only
// itself; the transaction goes on and commits the rest.
TEST_F(SqlConnectionTest, AFailedStatementInsideATransactionLeavesTheTransactionUsable) {
  auto tx = Transaction::begin(*db_, Transaction::Kind::kWrite);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(is_ok(insert("a")));
  EXPECT_TRUE(fails_with(insert("a"), ErrorCode::kConflict, "code"));
  ASSERT_TRUE(is_ok(insert("b")));
  ASSERT_TRUE(is_ok(tx->commit()));
  EXPECT_EQ(count(), 2);
}

TEST_F(SqlConnectionTest, AnUncommittedTransactionRollsBack) {
  {
    auto tx = Transaction::begin(*db_, Transaction::Kind::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(is_ok(insert("a")));
  }
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count(), 0);
}

TEST_F(SqlConnectionTest, BytesNullsNumbersAndBooleansRoundTrip) {
  const std::string bytes("\0\x01\xff\x7f' \\x", 8);
  auto put = db_->prepare("INSERT INTO items (tenant_id, code, n, x, data) VALUES (?, ?, ?, ?, ?)");
  ASSERT_TRUE(put.ok());
  ASSERT_TRUE(is_ok(put->bind_all("t1", "é ü ?", int64_t{-9'007'199'254'740'993}, 0.1).bind_blob(5, bytes).run()));
  auto get = db_->prepare("SELECT data, n, x, code, parent, n > 0, n < 0 FROM items WHERE code = ?");
  ASSERT_TRUE(get.ok());
  get->bind_all("é ü ?");
  ASSERT_TRUE(*get->step());
  EXPECT_EQ(get->blob(0), bytes);
  EXPECT_EQ(get->int64(1), -9'007'199'254'740'993);
  EXPECT_EQ(get->real(2), 0.1);
  EXPECT_EQ(get->text(3), "é ü ?");
  EXPECT_TRUE(get->is_null(4));
  EXPECT_EQ(get->optional_text(4), std::nullopt);
  EXPECT_EQ(get->int64(5), 0);
  EXPECT_EQ(get->int64(6), 1);
  EXPECT_FALSE(*get->step());
}

// JSON allows "\u0000" in a string. SQLite keeps it; PostgreSQL's text cannot, and libpq would cut the
// value at it: the driver refuses the statement instead (invalid_field), and nothing is written.
TEST_F(SqlConnectionTest, TextWithANulCharacterIsKeptOrRefusedNeverCut) {
  const std::string name("a\0b", 3);
  Status st = insert(name);
  if (testing_postgres()) {
    EXPECT_TRUE(fails_with(st, ErrorCode::kInvalidField));
    EXPECT_EQ(count(), 0);
    EXPECT_TRUE(is_ok(insert("after")));  // the statement is usable again
    return;
  }
  ASSERT_TRUE(is_ok(st));
  auto get = db_->prepare("SELECT code FROM items");
  ASSERT_TRUE(*get->step());
  EXPECT_EQ(get->text(0), name);
}

TEST_F(SqlConnectionTest, ChangesCountsTheRowsOfTheLastWrite) {
  ASSERT_TRUE(is_ok(insert("a")));
  ASSERT_TRUE(is_ok(insert("b")));
  auto up = db_->prepare("UPDATE items SET n = n + 1 WHERE tenant_id = ?");
  ASSERT_TRUE(is_ok(up->bind_all("t1").run()));
  EXPECT_EQ(db_->changes(), 2);
  auto skip = db_->prepare("INSERT INTO items (tenant_id, code) VALUES (?, ?) ON CONFLICT DO NOTHING");
  ASSERT_TRUE(is_ok(skip->bind_all("t1", "a").run()));
  EXPECT_EQ(db_->changes(), 0);
}

TEST_F(SqlConnectionTest, TheSameQueryNestedGetsItsOwnStatement) {
  ASSERT_TRUE(is_ok(insert("a")));
  ASSERT_TRUE(is_ok(insert("b")));
  auto outer = db_->prepare("SELECT code FROM items ORDER BY code");
  ASSERT_TRUE(*outer->step());
  auto inner = db_->prepare("SELECT code FROM items ORDER BY code");
  ASSERT_TRUE(inner.ok());
  ASSERT_TRUE(*inner->step());
  EXPECT_EQ(inner->text(0), "a");
  EXPECT_EQ(outer->text(0), "a");
  ASSERT_TRUE(*outer->step());
  EXPECT_EQ(outer->text(0), "b");
}

TEST_F(SqlConnectionTest, PortableFunctionsAgree) {
  auto stmt = db_->prepare("SELECT GREATEST(1, NULL, 3), LEAST(2, 5), STRPOS('héllo world', 'world'), "
                           "STRPOS('abc', 'z'), CAST(? AS TEXT) IS NULL");
  ASSERT_TRUE(stmt.ok());
  stmt->bind_null(1);
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(stmt->int64(0), 3);
  EXPECT_EQ(stmt->int64(1), 2);
  EXPECT_EQ(stmt->int64(2), 7);
  EXPECT_EQ(stmt->int64(3), 0);
  EXPECT_EQ(stmt->int64(4), 1);
}

TEST_F(SqlConnectionTest, ASyntaxErrorIsInternalWithoutTheSqlText) {
  auto stmt = db_->prepare("SELEC secret_column FROM items");
  Status st = stmt.ok() ? stmt->run() : Status(stmt.error());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_EQ(st.error().message.find("secret_column"), std::string::npos);
}

}  // namespace
}  // namespace lastmile::storage::testing
