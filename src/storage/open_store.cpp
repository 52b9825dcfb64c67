// open_store: the one place that maps a database URL to a Store implementation.
#include <stdexcept>
#include <string>

#include "storage/postgres/pg_sql.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

namespace lastmile::storage {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// "sqlite:PATH" or "sqlite://PATH" → PATH.
std::string sqlite_path(std::string_view url) {
  std::string_view path = url.substr(kSqliteScheme.size());
  if (starts_with(path, "//")) path.remove_prefix(2);
  return std::string(path);
}

// The scheme of `url` for messages (never the rest: a URL may carry a password).
std::string scheme_of(std::string_view url) {
  auto colon = url.find(':');
  return colon == std::string_view::npos ? "(none)" : std::string(url.substr(0, colon));
}

}  // namespace

std::unique_ptr<Store> open_store(std::string_view url, StoreOptions options) {
  if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
    auto pg = postgres::parse_postgres_url(url);
    if (!pg) throw std::runtime_error("bad PostgreSQL database URL: " + pg.error().message);
    auto store = sqlite::SqliteStore::open_postgres(pg->conninfo, pg->schema, std::move(options));
    if (!store) throw std::runtime_error("cannot open the PostgreSQL database: " + store.error().message);
    return std::move(*store);
  }
  if (!starts_with(url, kSqliteScheme))
    throw std::runtime_error("unsupported database URL scheme '" + scheme_of(url) +
                             "'; expected sqlite:PATH (or sqlite::memory:) or postgres://…");
  const std::string path = sqlite_path(url);
  if (path.empty()) throw std::runtime_error("database URL 'sqlite:' needs a path, e.g. sqlite:/var/lib/lastmile.db");
  auto store = sqlite::SqliteStore::open(path, std::move(options));
  if (!store) throw std::runtime_error("cannot open SQLite database '" + path + "': " + store.error().message);
  return std::move(*store);
}

}  // namespace lastmile::storage
