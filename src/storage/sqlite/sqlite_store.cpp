// SqliteStore: lifecycle, tenants, credentials and idempotency records.
#include "storage/sqlite/sqlite_store.hpp"

#include "storage/postgres/pg_connection.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"

namespace lastmile::storage::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& filename, StoreOptions options) {
  auto pool = ConnectionPool::open(filename, kReaderConnections);
  if (!pool) return pool.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*pool), std::move(options)));
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open_postgres(const std::string& conninfo, const std::string& schema,
                                                             StoreOptions options) {
  auto pool = ConnectionPool::open_with(
      [&]() -> Result<std::unique_ptr<Connection>> {
        auto conn = postgres::PgConnection::open(conninfo, schema);
        if (!conn) return conn.error();
        return std::unique_ptr<Connection>(std::move(*conn));
      },
      kReaderConnections);
  if (!pool) return pool.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*pool), std::move(options)));
}

Status SqliteStore::ping() {
  OpTimer timer(options_, "ping");
  auto db = pool_->reader();
  auto stmt = db->prepare("SELECT 1");
  if (!stmt) return Error{core::ErrorCode::kUnavailable, "the database is not answering", ""};
  if (auto row = stmt->step(); !row || !*row)
    return Error{core::ErrorCode::kUnavailable, "the database is not answering", ""};
  return {};
}

Status SqliteStore::flush() {
  OpTimer timer(options_, "flush");
  auto db = pool_->writer();
  if (db->dialect() != sql::Dialect::kSqlite) return {};  // a server database's commits are durable as they are
  // Copies the WAL into the database file and truncates it. Readers in the middle of a snapshot can
  // keep part of the WAL alive; that is not an error (the data is durable either way).
  auto stmt = db->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!stmt) return stmt.error();
  return stmt->run();
}

void SqliteStore::write_async(std::string_view op, CommitQueue::Body body, CommitQueue::Done done) {
  commits_.submit_async(std::move(body), [this, op, started = std::chrono::steady_clock::now(),
                                          done = std::move(done)](Status st) {
    if (options_.on_timing)  // from enqueue to completion, as write() reports it
      options_.on_timing(op, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    done(std::move(st));
  });
}

// ---- tenants ------------------------------------------------------------------------------------

Status SqliteStore::create_tenant(const domain::Tenant& tenant, const domain::Credential& admin_key) {
  return write("create_tenant", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(
        "INSERT INTO tenants (id, name, brand_color, show_driver_within_stops, created_at, require_device_secret, "
        "geofence_radius_m, out_for_delivery_on, brand_logo_url, pod_max_distance_m) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(tenant.id.str(), tenant.name, tenant.brand_color, tenant.show_driver_within_stops,
                               tenant.created_at.ms, tenant.require_device_secret ? 1 : 0, tenant.geofence_radius_m,
                               domain::out_for_delivery_trigger_name(tenant.out_for_delivery_on),
                               tenant.brand_logo_url, tenant.pod_max_distance_m)
                    .run();
    if (!st && st.error().field == "name")
      return Error{core::ErrorCode::kConflict, "a tenant with this name already exists", "name"};
    if (!st) return st;
    return insert_credential(db, admin_key);
  });
}

Result<domain::Tenant> SqliteStore::get_tenant(const core::TenantId& id) {
  return read<domain::Tenant>("get_tenant", [&](Connection& db) -> Result<domain::Tenant> {
    auto stmt = db.prepare(sql({"SELECT ", kTenantColumns, " FROM tenants WHERE id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(id.str());
    return fetch_one<domain::Tenant>(*stmt, tenant_from_row, "tenant");
  });
}

Result<Page<domain::Tenant>> SqliteStore::list_tenants(const PageRequest& page) {
  return read<Page<domain::Tenant>>("list_tenants", [&](Connection& db) -> Result<Page<domain::Tenant>> {
    auto stmt = db.prepare(sql({"SELECT ", kTenantColumns, " FROM tenants WHERE seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(page_before(page), page_fetch_limit(page));
    return fetch_page<domain::Tenant>(*stmt, page, tenant_from_row);
  });
}

// ---- credentials --------------------------------------------------------------------------------

Status SqliteStore::create_credential(const domain::Credential& credential) {
  return write("create_credential",
               [&](Connection& db, Events&) -> Status { return insert_credential(db, credential); });
}

Result<std::optional<domain::Credential>> SqliteStore::find_credential(std::string_view prefix) {
  using Found = std::optional<domain::Credential>;
  const auto now = CredentialCache::Clock::now();
  if (auto cached = credentials_.find(prefix, now)) return Found(std::move(*cached));
  const uint64_t generation = credentials_.generation();
  auto found = read<Found>("find_credential", [&](Connection& db) -> Result<Found> {
    auto stmt = db.prepare(sql({"SELECT ", kCredentialColumns, " FROM credentials WHERE prefix = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(prefix);
    return fetch_optional<domain::Credential>(*stmt, credential_from_row);
  });
  if (found && *found) credentials_.put(**found, generation, now);
  return found;
}

Result<bool> SqliteStore::has_root_credential() {
  return read<bool>("has_root_credential", [&](Connection& db) -> Result<bool> {
    auto stmt = db.prepare("SELECT 1 FROM credentials WHERE role = ? LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bind_all(domain::role_name(domain::Role::kRoot));
    return exists(*stmt);
  });
}

Result<Page<domain::Credential>> SqliteStore::list_credentials(const core::TenantId& tenant,
                                                               const PageRequest& page) {
  return read<Page<domain::Credential>>("list_credentials", [&](Connection& db) -> Result<Page<domain::Credential>> {
    auto stmt = db.prepare(sql({"SELECT ", kCredentialColumns,
                                " FROM credentials WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), page_before(page), page_fetch_limit(page));
    return fetch_page<domain::Credential>(*stmt, page, credential_from_row);
  });
}

Status SqliteStore::revoke_credential(const core::TenantId& tenant, const core::ApiKeyId& id) {
  Status st = write("revoke_credential", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE credentials SET revoked = 1 WHERE tenant_id = ? AND id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bind_all(tenant.str(), id.str()).run(); !st) return st;
    if (db.changes() == 0) return Error::not_found("api key");
    return {};
  });
  if (st) credentials_.invalidate();  // before the caller hears that the key is revoked
  return st;
}

Result<domain::Credential> SqliteStore::rotate_credential(const core::TenantId& tenant, const core::ApiKeyId& id,
                                                        const NewCredentialSecret& next) {
  domain::Credential rotated;
  Status st = write("rotate_credential", [&](Connection& db, Events&) -> Status {
    auto select = db.prepare(sql({"SELECT ", kCredentialColumns, " FROM credentials WHERE tenant_id = ? AND id = ?"}));
    if (!select) return select.error();
    select->bind_all(tenant.str(), id.str());
    auto found = fetch_one<domain::Credential>(*select, credential_from_row, "api key");
    if (!found) return found.error();
    if (found->revoked) return Error{core::ErrorCode::kConflict, "a revoked key cannot be rotated", "id"};
    auto secret = next(*found);
    auto update = db.prepare("UPDATE credentials SET prefix = ?, secret_hash = ? WHERE tenant_id = ? AND id = ?");
    if (!update) return update.error();
    if (auto run = update->bind_all(secret.prefix, secret.secret_hash, tenant.str(), id.str()).run(); !run) return run;
    rotated = std::move(*found);
    rotated.prefix = std::move(secret.prefix);
    rotated.secret_hash = std::move(secret.secret_hash);
    return {};
  });
  if (!st) return st.error();
  credentials_.invalidate();  // before the caller hears that the old secret is gone
  return rotated;
}

// ---- idempotency --------------------------------------------------------------------------------

Result<std::optional<IdempotencyRecord>> SqliteStore::find_idempotency(const core::TenantId& tenant,
                                                                       std::string_view scope, std::string_view key) {
  using Found = std::optional<IdempotencyRecord>;
  return read<Found>("find_idempotency", [&](Connection& db) -> Result<Found> {
    auto stmt = db.prepare(sql({"SELECT ", kIdempotencyColumns,
                                " FROM idempotency WHERE tenant_id = ? AND scope = ? AND idempotency_key = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), scope, key);
    return fetch_optional<IdempotencyRecord>(*stmt, idempotency_from_row);
  });
}

}  // namespace lastmile::storage::sqlite
