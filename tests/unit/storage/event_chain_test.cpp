// The event hash chain in SQLite: migration 9's backfill, the insert path, and verify_database.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"
#include "storage/blob_store.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/verify_database.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::sqlite {
namespace {

using testing::is_ok;

// A database from before the chain (migration 10): two shipments with events, no chain (run_migrations brings it up).
std::unique_ptr<Connection> database_at_version_8() {
  auto db = SqliteConnection::open(":memory:", {});
  EXPECT_TRUE(is_ok(db));
  Connection& c = **db;
  EXPECT_TRUE(is_ok(c.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                           "applied_at BIGINT NOT NULL)")));
  for (const Migration& m : migrations()) {
    if (m.version > 3) break;  // 4 needs run_migrations' SQL function; 4–8 run below, before 9
    EXPECT_TRUE(is_ok(c.exec(std::string(m.sql))));
    EXPECT_TRUE(is_ok(c.exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 'x', 0)")));
  }
  EXPECT_TRUE(is_ok(c.exec("PRAGMA foreign_keys = OFF")));
  EXPECT_TRUE(is_ok(c.exec(
      "INSERT INTO events (id, tenant_id, shipment_id, event_type, milestone, occurred_at, recorded_at, actor, "
      "source, lat, lon, payload) VALUES "
      "('e1', 'ten_a', 'shp_1', 'created', 'created', 1000, 1000, 'key', 'api', NULL, NULL, '{}'), "
      "('e2', 'ten_a', 'shp_2', 'created', 'created', 1100, 1100, 'key', 'api', NULL, NULL, '{}'), "
      "('e3', 'ten_a', 'shp_1', 'out_for_delivery', 'out_for_delivery', 2000, 2000, 'key', 'api', 43.7, 7.42, "
      "'{\"note\":\"x\"}')")));
  return std::move(*db);
}

TEST(EventChain, MigrationBackfillsEveryShipmentsChain) {
  auto db = database_at_version_8();
  ASSERT_TRUE(is_ok(run_migrations(*db)));
  auto chain = load_chain(*db);
  ASSERT_TRUE(is_ok(chain));
  ASSERT_EQ(chain->size(), 3u);
  EXPECT_EQ((*chain)[0].id, "e1");
  EXPECT_EQ((*chain)[0].prev_hash, pod::kGenesisHash);
  EXPECT_EQ((*chain)[1].id, "e3");
  EXPECT_EQ((*chain)[1].prev_hash, (*chain)[0].hash);
  EXPECT_EQ((*chain)[2].prev_hash, pod::kGenesisHash);  // shp_2 starts its own chain

  auto report = verify_database(*db, nullptr);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->shipments_checked, 2);
  EXPECT_EQ(report->events_checked, 3);
  EXPECT_TRUE(report->problems.empty());
}

TEST(EventChain, InsertedEventsExtendTheChain) {
  auto db = database_at_version_8();
  ASSERT_TRUE(is_ok(run_migrations(*db)));
  ASSERT_TRUE(is_ok(db->exec("PRAGMA foreign_keys = OFF")));
  domain::Event e;
  e.id = core::EventId("e4");
  e.tenant_id = core::TenantId("ten_a");
  e.shipment_id = core::ShipmentId("shp_1");
  e.type = "delivered";
  e.milestone = domain::Milestone::kDelivered;
  e.at = core::Timestamp{3000};
  e.recorded_at = core::Timestamp{3001};
  e.actor = "driver:drv_1";
  e.source = "driver_app";
  e.location = testing::latlon(43.73, 7.41);
  e.payload_json = R"({"proof":{"photos":["ab"]}})";
  auto stored = insert_event_row(*db, e);
  ASSERT_TRUE(is_ok(stored));

  const core::TenantId tenant("ten_a");
  const core::ShipmentId shipment("shp_1");
  auto chain = load_chain(*db, &tenant, &shipment);
  ASSERT_TRUE(is_ok(chain));
  ASSERT_EQ(chain->size(), 3u);
  EXPECT_EQ(chain->back().id, "e4");
  EXPECT_EQ(chain->back().prev_hash, (*chain)[1].hash);
  EXPECT_TRUE(pod::verify_chain(*chain).empty());
}

TEST(EventChain, VerifyReportsExactlyTheAlteredShipment) {
  auto db = database_at_version_8();
  ASSERT_TRUE(is_ok(run_migrations(*db)));
  ASSERT_TRUE(is_ok(db->exec("UPDATE events SET payload = '{\"note\":\"forged\"}' WHERE id = 'e3'")));
  auto report = verify_database(*db, nullptr);
  ASSERT_TRUE(is_ok(report));
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].shipment_id, "shp_1");
  EXPECT_EQ(report->problems[0].event_id, "e3");
  EXPECT_EQ(report->problems[0].reason, "hash_mismatch");
}

TEST(EventChain, VerifyChecksTheBytesOfEveryProofBlob) {
  const auto dir = std::filesystem::temp_directory_path() / ("lastmile-chain-" + core::random_alnum(8));
  const BlobStore blobs(dir);
  auto good = blobs.put("photo bytes");
  auto bad = blobs.put("signature bytes");
  ASSERT_TRUE(is_ok(good));
  ASSERT_TRUE(is_ok(bad));
  std::ofstream(*blobs.path_of(*bad), std::ios::binary | std::ios::trunc) << "altered";
  auto db = database_at_version_8();
  ASSERT_TRUE(is_ok(run_migrations(*db)));
  ASSERT_TRUE(is_ok(db->exec("INSERT INTO proof_blobs (tenant_id, shipment_id, event_id, sha256, role) VALUES "
                             "('ten_a', 'shp_1', 'e3', '" + *good + "', 'photo'), "
                             "('ten_a', 'shp_2', 'e2', '" + *bad + "', 'signature'), "
                             "('ten_a', 'shp_2', 'e2', '" + std::string(64, 'a') + "', 'photo')")));
  auto report = verify_database(*db, &blobs);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->blobs_checked, 3);
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_EQ(report->problems[0].shipment_id, "shp_2");
  EXPECT_EQ(report->problems[0].reason, "blob_mismatch");
  EXPECT_EQ(report->problems[1].reason, "blob_missing");
  std::filesystem::remove_all(dir);
}

TEST(BlobStore, PutIsContentAddressedAndIdempotent) {
  const auto dir = std::filesystem::temp_directory_path() / ("lastmile-blobs-" + core::random_alnum(8));
  const BlobStore blobs(dir);
  auto a = blobs.put("hello");
  ASSERT_TRUE(is_ok(a));
  EXPECT_EQ(*a, core::sha256_hex("hello"));
  EXPECT_EQ(blobs.path_of(*a)->parent_path().filename(), a->substr(0, 2));
  auto again = blobs.put("hello");
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(*again, *a);
  auto bytes = blobs.get(*a);
  ASSERT_TRUE(is_ok(bytes));
  EXPECT_EQ(*bytes, "hello");
  EXPECT_EQ(blobs.get(std::string(64, 'b')).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(blobs.get("../etc/passwd").error().code, core::ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(BlobStore, DefaultFolderIsNextToTheDatabase) {
  EXPECT_EQ(default_blob_dir("/var/lib/lastmile/lastmile.db"), std::filesystem::path("/var/lib/lastmile/blobs"));
  EXPECT_EQ(default_blob_dir("lastmile.db"), std::filesystem::path("./blobs"));
  EXPECT_EQ(*sqlite_file_of("sqlite:///tmp/x.db"), "/tmp/x.db");
  EXPECT_FALSE(sqlite_file_of("postgres://x").has_value());
}

}  // namespace
}  // namespace lastmile::storage::sqlite
