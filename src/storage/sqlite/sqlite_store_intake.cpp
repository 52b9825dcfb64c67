// SqliteStore: order intake — batch creation and the Shopify integration (storage/intake_store.hpp).
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

Status run_sql(Connection& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->run();
}

// Runs `body` in the savepoint "item": on failure its rows are rolled back, the transaction goes on.
template <typename F>
Status in_item_savepoint(Connection& db, F&& body) {
  if (auto st = run_sql(db, "SAVEPOINT item"); !st) return st;
  Status st = body();
  if (st) return run_sql(db, "RELEASE item");
  if (auto undo = run_sql(db, "ROLLBACK TO item"); !undo) return undo;
  if (auto rel = run_sql(db, "RELEASE item"); !rel) return rel;
  return st;
}

bool item_conflict(const Status& st) {
  return !st && st.error().code == core::ErrorCode::kConflict &&
         (st.error().field == "external_order_id" || st.error().field == "tracking_number");
}

ShopIntegration integration_row(const Statement& s) {
  ShopIntegration i;
  i.tenant_id = core::TenantId(s.text(0));
  i.shop_domain = s.text(1);
  i.secret = s.text(2);
  i.created_at = core::Timestamp{s.int64(3)};
  i.updated_at = core::Timestamp{s.int64(4)};
  return i;
}

constexpr std::string_view kIntegrationColumns = "tenant_id, shop_domain, secret, created_at, updated_at";

}  // namespace

Result<std::vector<Status>> SqliteStore::create_shipments(const std::vector<NewShipment>& batch) {
  std::vector<Status> out;
  Status st = write("create_shipments", [&](Connection& db, Events& committed) -> Status {
    out.assign(batch.size(), Status{});
    for (size_t i = 0; i < batch.size(); ++i) {
      Status item = in_item_savepoint(db, [&] {
        return insert_new_shipment(db, batch[i].shipment, batch[i].created, committed);
      });
      if (!item && !item_conflict(item)) return item;  // the whole batch fails
      out[i] = std::move(item);
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status SqliteStore::put_shop_integration(const ShopIntegration& in) {
  return write("put_shop_integration", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(
        "INSERT INTO shop_integrations (tenant_id, shop_domain, secret, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET shop_domain = excluded.shop_domain, "
        "secret = excluded.secret, updated_at = excluded.updated_at");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(in.tenant_id.str(), in.shop_domain, in.secret, in.created_at.ms, in.updated_at.ms).run();
    if (!st && st.error().code == core::ErrorCode::kConflict)
      return Error{core::ErrorCode::kConflict, "another tenant has connected this shop", "shop_domain"};
    return st;
  });
}

Result<ShopIntegration> SqliteStore::get_shop_integration(const core::TenantId& tenant) {
  return read<ShopIntegration>("get_shop_integration", [&](Connection& db) -> Result<ShopIntegration> {
    auto stmt = db.prepare(sql({"SELECT ", kIntegrationColumns, " FROM shop_integrations WHERE tenant_id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str());
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("shop integration");
    return integration_row(*stmt);
  });
}

Result<ShopIntegration> SqliteStore::find_shop_integration(std::string_view shop_domain) {
  return read<ShopIntegration>("find_shop_integration", [&](Connection& db) -> Result<ShopIntegration> {
    auto stmt = db.prepare(sql({"SELECT ", kIntegrationColumns, " FROM shop_integrations WHERE shop_domain = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(shop_domain);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("shop integration");
    return integration_row(*stmt);
  });
}

Status SqliteStore::delete_shop_integration(const core::TenantId& tenant) {
  return write("delete_shop_integration", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("DELETE FROM shop_integrations WHERE tenant_id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bind_all(tenant.str()).run(); !st) return st;
    if (db.changes() == 0) return Error::not_found("shop integration");
    return {};
  });
}

Result<ShopOrderOutcome> SqliteStore::create_shop_order(const std::string& webhook_id, const NewShipment& order,
                                                        core::ShipmentId& shipment_id) {
  ShopOrderOutcome outcome = ShopOrderOutcome::kCreated;
  const auto& sh = order.shipment;
  Status st = write("create_shop_order", [&](Connection& db, Events& committed) -> Status {
    auto seen = db.prepare("INSERT INTO shop_webhooks (tenant_id, webhook_id, shipment_id, received_at) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    if (!seen) return seen.error();
    if (auto s = seen->bind_all(sh.tenant_id.str(), webhook_id, sh.id.str(), sh.created_at.ms).run(); !s) return s;
    if (db.changes() == 0) {
      outcome = ShopOrderOutcome::kDuplicateWebhook;
      auto prev = db.prepare("SELECT shipment_id FROM shop_webhooks WHERE tenant_id = ? AND webhook_id = ?");
      if (!prev) return prev.error();
      prev->bind_all(sh.tenant_id.str(), webhook_id);
      auto row = prev->step();
      if (!row) return row.error();
      if (*row) shipment_id = core::ShipmentId(prev->text(0));
      return {};
    }
    Status item = in_item_savepoint(db, [&] { return insert_new_shipment(db, sh, order.created, committed); });
    if (item) {
      shipment_id = sh.id;
      return {};
    }
    if (item.error().field != "external_order_id") return item;
    outcome = ShopOrderOutcome::kDuplicateOrder;
    auto existing = db.prepare("SELECT id FROM shipments WHERE tenant_id = ? AND external_order_id = ?");
    if (!existing) return existing.error();
    existing->bind_all(sh.tenant_id.str(), sh.external_order_id);
    auto row = existing->step();
    if (!row) return row.error();
    if (*row) shipment_id = core::ShipmentId(existing->text(0));
    auto fix = db.prepare("UPDATE shop_webhooks SET shipment_id = ? WHERE tenant_id = ? AND webhook_id = ?");
    if (!fix) return fix.error();
    return fix->bind_all(shipment_id.str(), sh.tenant_id.str(), webhook_id).run();
  });
  if (!st) return st.error();
  return outcome;
}

}  // namespace lastmile::storage::sqlite
