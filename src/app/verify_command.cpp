#include "app/verify_command.hpp"

#include <boost/json.hpp>

#include <optional>
#include <ostream>

#include "storage/blob_store.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/verify_database.hpp"

namespace lastmile::app {

namespace json = boost::json;

int verify_command(const VerifyOptions& options, std::ostream& out, std::ostream& err) {
  // "sqlite:PATH", or a bare file path (the contract's `--db FILE`).
  const bool has_scheme = options.db.find("://") != std::string::npos || options.db.rfind("sqlite:", 0) == 0;
  const auto path = has_scheme ? storage::sqlite_file_of(options.db) : std::optional<std::string>(options.db);
  if (!path || path->empty() || *path == ":memory:") {
    err << "verify: --db must be sqlite:PATH (or PATH) of a database file\n";
    return 2;
  }
  auto db = storage::sqlite::Connection::open(*path, {.create = false});
  if (!db) {
    err << "verify: cannot open " << *path << ": " << db.error().message << "\n";
    return 2;
  }
  // A database of an older lastmile gets its chain computed first (migration 9's backfill).
  if (auto st = storage::sqlite::run_migrations(**db); !st) {
    err << "verify: " << st.error().message << "\n";
    return 2;
  }
  const storage::BlobStore blobs(options.blob_dir.empty() ? storage::default_blob_dir(*path)
                                                          : std::filesystem::path(options.blob_dir));
  auto report = storage::sqlite::verify_database(**db, &blobs);
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
