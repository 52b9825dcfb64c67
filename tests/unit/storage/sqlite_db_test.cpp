// The SQLite wrapper and the migrations (SQLite-specific; the Store suite is backend-neutral).
#include <gtest/gtest.h>

#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/track_chunk.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::sqlite {
namespace {

using testing::fails_with;
using testing::is_ok;

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteConnection::open(":memory:", {});
    ASSERT_OK(db);
    db_ = std::move(*db);
    ASSERT_OK(db_->exec(
        "CREATE TABLE t (tenant_id TEXT NOT NULL, code TEXT NOT NULL, n BIGINT, x DOUBLE PRECISION, "
        "UNIQUE (tenant_id, code)); "
        "CREATE TABLE parent (id TEXT PRIMARY KEY); "
        "CREATE TABLE child (parent_id TEXT REFERENCES parent (id))"));
  }

  int64_t count() {
    auto stmt = db_->prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(is_ok(stmt));
    auto row = stmt->step();
    EXPECT_TRUE(is_ok(row));
    return stmt->int64(0);
  }

  Status insert(std::string_view tenant, std::string_view code) {
    auto stmt = db_->prepare("INSERT INTO t (tenant_id, code) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    return stmt->bind_all(tenant, code).run();
  }

  std::unique_ptr<Connection> db_;
};

TEST_F(SqliteDbTest, BindsAndReadsEveryType) {
  auto ins = db_->prepare("INSERT INTO t (tenant_id, code, n, x) VALUES (?, ?, ?, ?)");
  ASSERT_OK(ins);
  ASSERT_OK(ins->bind_all("ten", std::string("a"), int64_t{1} << 40, 2.5).run());
  auto ins2 = db_->prepare("INSERT INTO t (tenant_id, code, n, x) VALUES (?, ?, ?, ?)");
  ASSERT_OK(ins2);
  ASSERT_OK(ins2->bind_all("ten", "b", std::optional<int64_t>{}, std::nullopt).run());

  auto sel = db_->prepare("SELECT code, n, x FROM t ORDER BY code");
  ASSERT_OK(sel);
  auto row = sel->step();
  ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(sel->text(0), "a");
  EXPECT_EQ(sel->int64(1), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(sel->real(2), 2.5);
  EXPECT_EQ(sel->optional_int64(1), int64_t{1} << 40);
  row = sel->step();
  ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_TRUE(sel->is_null(1));
  EXPECT_FALSE(sel->optional_int64(1).has_value());
  EXPECT_FALSE(sel->optional_real(2).has_value());
  EXPECT_EQ(sel->optional_text(0), "b");
  row = sel->step();
  ASSERT_OK(row);
  EXPECT_FALSE(*row);
}

TEST_F(SqliteDbTest, TextKeepsEmbeddedBytes) {
  ASSERT_OK(insert("ten", std::string_view("a\0b", 3)));
  auto sel = db_->prepare("SELECT code FROM t");
  ASSERT_OK(sel);
  ASSERT_OK(sel->step());
  EXPECT_EQ(sel->text(0), std::string("a\0b", 3));
}

TEST_F(SqliteDbTest, UniqueViolationIsConflictNamingTheColumnNotTheTenant) {
  ASSERT_OK(insert("ten", "a"));
  EXPECT_TRUE(fails_with(insert("ten", "a"), core::ErrorCode::kConflict, "code"));
  EXPECT_OK(insert("other", "a"));
}

TEST_F(SqliteDbTest, ForeignKeyViolationIsNotFound) {
  auto stmt = db_->prepare("INSERT INTO child (parent_id) VALUES (?)");
  ASSERT_OK(stmt);
  EXPECT_TRUE(fails_with(stmt->bind_all("nope").run(), core::ErrorCode::kNotFound));
}

TEST_F(SqliteDbTest, SqlErrorsAreInternal) {
  EXPECT_TRUE(fails_with(db_->prepare("SELECT * FROM no_such_table"), core::ErrorCode::kInternal));
}

TEST_F(SqliteDbTest, BadBindIndexIsReportedByStep) {
  auto stmt = db_->prepare("SELECT ?");
  ASSERT_OK(stmt);
  stmt->bind(5, int64_t{1});
  EXPECT_TRUE(fails_with(stmt->step(), core::ErrorCode::kInternal));
}

TEST_F(SqliteDbTest, TransactionRollsBackUnlessCommitted) {
  {
    auto tx = Transaction::begin(*db_, Transaction::Kind::kWrite);
    ASSERT_OK(tx);
    ASSERT_OK(insert("ten", "a"));
  }
  EXPECT_EQ(count(), 0);
  EXPECT_FALSE(db_->in_transaction());
  {
    auto tx = Transaction::begin(*db_, Transaction::Kind::kWrite);
    ASSERT_OK(tx);
    ASSERT_OK(insert("ten", "a"));
    ASSERT_OK(tx->commit());
  }
  EXPECT_EQ(count(), 1);
}

TEST_F(SqliteDbTest, NestedUseOfTheSameStatementTextGetsASecondStatement) {
  ASSERT_OK(insert("ten", "a"));
  ASSERT_OK(insert("ten", "b"));
  auto outer = db_->prepare("SELECT code FROM t ORDER BY code");
  ASSERT_OK(outer);
  ASSERT_OK(outer->step());
  {
    auto inner = db_->prepare("SELECT code FROM t ORDER BY code");
    ASSERT_OK(inner);
    ASSERT_OK(inner->step());
    EXPECT_EQ(inner->text(0), "a");
  }
  auto row = outer->step();
  ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(outer->text(0), "b");
}

TEST_F(SqliteDbTest, CachedStatementIsResetForReuse) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(insert("ten", "c" + std::to_string(i)));
  EXPECT_EQ(count(), 3);
}

TEST(Migrations, ApplyOnceAndRecordTheVersion) {
  auto db = SqliteConnection::open(":memory:", {});
  ASSERT_OK(db);
  ASSERT_OK(run_migrations(**db));
  auto version = schema_version(**db);
  ASSERT_OK(version);
  EXPECT_EQ(*version, migrations().back().version);
  ASSERT_OK(run_migrations(**db));  // nothing pending: no "table exists" failure
  auto rows = (*db)->prepare("SELECT COUNT(*) FROM schema_version");
  ASSERT_OK(rows);
  ASSERT_OK(rows->step());
  EXPECT_EQ(rows->int64(0), static_cast<int64_t>(migrations().size()));
}

// Increasing from one. Version 6 lives on another branch until it is merged (branch `web`); once
// both are in, the list is consecutive again and this may check that.
TEST(Migrations, VersionsAreConsecutiveFromOne) {
  int expected = 1;
  for (const auto& m : migrations()) EXPECT_EQ(m.version, expected++);
}

TEST(Migrations, RefuseADatabaseFromANewerLastmile) {
  auto db = SqliteConnection::open(":memory:", {});
  ASSERT_OK(db);
  ASSERT_OK(run_migrations(**db));
  ASSERT_OK((*db)->exec("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)"));
  EXPECT_TRUE(fails_with(run_migrations(**db), core::ErrorCode::kInternal));
}

TEST(Migrations, TrackPointsOfAnEarlierVersionMoveIntoChunks) {
  auto db = SqliteConnection::open(":memory:", {});
  ASSERT_OK(db);
  Connection& c = **db;
  // The database as lastmile with schema version 3 left it, with two fixes of one driver.
  ASSERT_OK(c.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at BIGINT NOT NULL)"));
  for (const Migration& m : migrations()) {
    if (m.version > 3) break;
    ASSERT_OK(c.exec(std::string(m.sql)));
    ASSERT_OK(c.exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 'x', 0)"));
  }
  ASSERT_OK(c.exec("PRAGMA foreign_keys = OFF"));
  ASSERT_OK(c.exec(
      "INSERT INTO track_points (tenant_id, driver_id, t, lat_e7, lon_e7, speed_mps, heading_deg, accuracy_m, "
      "altitude_m, battery_pct, received_at) VALUES "
      "('ten_a', 'drv_a', 2000, 437390000, 74251000, 7.5, NULL, 5, NULL, 80, 2500), "
      "('ten_a', 'drv_a', 1000, 437384000, 74246000, NULL, 90, NULL, -3.25, NULL, 1500)"));

  ASSERT_OK(run_migrations(c));
  auto rows = c.prepare("SELECT tenant_id, driver_id, t_min, t_max, points, data FROM track_chunks ORDER BY seq");
  ASSERT_OK(rows);
  std::vector<ingest::Ping> fixes;
  for (;;) {
    auto row = rows->step();
    ASSERT_OK(row);
    if (!*row) break;
    EXPECT_EQ(rows->text(0), "ten_a");
    EXPECT_EQ(rows->int64(2), rows->int64(3));
    EXPECT_EQ(rows->int64(4), 1);
    auto chunk = decode_track_chunk(rows->blob(5), core::DriverId(rows->text(1)));
    ASSERT_OK(chunk);
    ASSERT_EQ(chunk->size(), 1u);
    fixes.push_back(chunk->front());
  }
  ASSERT_EQ(fixes.size(), 2u);
  EXPECT_EQ(fixes[0].t.ms, 1000) << "in time order";
  EXPECT_EQ(fixes[0].heading_deg, 90);
  EXPECT_EQ(fixes[0].altitude_m, -3.25);
  EXPECT_FALSE(fixes[0].speed_mps);
  EXPECT_EQ(fixes[1].speed_mps, 7.5);
  EXPECT_EQ(fixes[1].battery_pct, 80);
  EXPECT_EQ(fixes[1].received_at.ms, 2500);
  EXPECT_NEAR(fixes[1].position.lat(), 43.739, 1e-9);
  auto old = c.prepare("SELECT 1 FROM sqlite_master WHERE name = 'track_points'");
  ASSERT_OK(old);
  EXPECT_FALSE(*old->step()) << "the old table is gone";
}

TEST(Migrations, EveryTenantTableIsIndexedByTenant) {
  auto db = SqliteConnection::open(":memory:", {});
  ASSERT_OK(db);
  ASSERT_OK(run_migrations(**db));
  auto tables = (*db)->prepare(
      "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
      "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'tenant_id')");
  ASSERT_OK(tables);
  int checked = 0;
  for (;;) {
    auto row = tables->step();
    ASSERT_OK(row);
    if (!*row) break;
    const std::string table = tables->text(0);
    // track_chunks is read by driver only (driver ids are unique across tenants; every query also
    // checks tenant_id): its one index leads with driver_id, to keep the ingest path cheap.
    const std::string lead = table == "track_chunks" ? "driver_id" : "tenant_id";
    auto idx = (*db)->prepare(
        "SELECT 1 FROM pragma_index_list(?) l WHERE (SELECT name FROM pragma_index_info(l.name) WHERE seqno = 0) = ?");
    ASSERT_OK(idx);
    auto found = idx->bind_all(table, lead).step();
    ASSERT_OK(found);
    EXPECT_TRUE(*found) << table << " has no index leading with " << lead;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace lastmile::storage::sqlite
