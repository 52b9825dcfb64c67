#include "app/verify_command.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <variant>

#include "storage/blob_store.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/postgres/pg_sql.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/verify_database.hpp"

namespace lastmile::app {

namespace json = boost::json;

namespace {

struct Opened {
  std::unique_ptr<storage::sql::Connection> db;
  std::filesystem::path blob_dir;
};

// The database `options.db` names — "sqlite:PATH", a bare file path (the contract's `--db FILE`) or
// a postgres:// URL (which needs --blob-dir: there is no file to put the blobs next to) — or the
// message for stderr.
std::variant<Opened, std::string> open_database(const VerifyOptions& options) {
  if (options.db.rfind("postgres://", 0) == 0 || options.db.rfind("postgresql://", 0) == 0) {
    if (options.blob_dir.empty()) return std::string("--blob-dir is needed with a PostgreSQL database");
    auto url = storage::postgres::parse_postgres_url(options.db);
    if (!url) return url.error().message;
    auto db = storage::postgres::PgConnection::open(url->conninfo, url->schema);
    if (!db) return db.error().message;
    return Opened{std::move(*db), options.blob_dir};
  }
  const bool has_scheme = options.db.find("://") != std::string::npos || options.db.rfind("sqlite:", 0) == 0;
  const auto path = has_scheme ? storage::sqlite_file_of(options.db) : std::optional<std::string>(options.db);
  if (!path || path->empty() || *path == ":memory:")
    return std::string("--db must be sqlite:PATH (or PATH) of a database file, or a postgres:// URL");
  auto db = storage::sqlite::SqliteConnection::open(*path, {.create = false});
  if (!db) return "cannot open " + *path + ": " + db.error().message;
  return Opened{std::move(*db), options.blob_dir.empty() ? storage::default_blob_dir(*path)
                                                         : std::filesystem::path(options.blob_dir)};
}

}  // namespace

int verify_command(const VerifyOptions& options, std::ostream& out, std::ostream& err) {
  auto opened = open_database(options);
  if (auto* message = std::get_if<std::string>(&opened)) {
    err << "verify: " << *message << "\n";
    return 2;
  }
  auto& db = std::get<Opened>(opened).db;
  // A database of an older lastmile gets its chain computed first (migration 9's backfill).
  if (auto st = storage::sqlite::run_migrations(*db); !st) {
    err << "verify: " << st.error().message << "\n";
    return 2;
  }
  const storage::BlobStore blobs(std::get<Opened>(opened).blob_dir);
  auto report = storage::sqlite::verify_database(*db, &blobs);
  if (!report) {
    err << "verify: " << report.error().message << "\n";
    return 2;
  }
  json::array problems;
  for (const auto& p : report->problems)
    problems.push_back({{"shipment_id", p.shipment_id}, {"event_id", p.event_id}, {"reason", p.reason}});
  out << json::serialize(json::object{{"shipments_checked", report->shipments_checked},
                                      {"events_checked", report->events_checked},
                                      {"blobs_checked", report->blobs_checked},
                                      {"blobs_expired", report->blobs_expired},
                                      {"problems", std::move(problems)}})
      << "\n";
  return report->problems.empty() ? 0 : 1;
}

}  // namespace lastmile::app
