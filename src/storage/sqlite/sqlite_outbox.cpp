#include "storage/sqlite/sqlite_outbox.hpp"

#include <sstream>

#include "core/new_id.hpp"
#include "notify/webhook_envelope.hpp"
#include "notify/webhook_types.hpp"

namespace lastmile::storage::sqlite {
namespace {

struct ActiveSubscription {
  std::string id;
  std::vector<std::string> patterns;
};

Result<std::vector<ActiveSubscription>> active_subscriptions(Connection& db, const core::TenantId& tenant) {
  auto stmt = db.prepare("SELECT id, events FROM webhook_subscriptions WHERE tenant_id = ? AND status = 'active' "
                         "ORDER BY seq");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str());
  std::vector<ActiveSubscription> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({stmt->text(0), split_patterns(stmt->text(1))});
  }
}

Result<notify::ShipmentSummary> shipment_summary(Connection& db, const domain::Event& e) {
  auto stmt = db.prepare("SELECT tracking_number, status, external_order_id FROM shipments WHERE tenant_id = ? AND "
                         "id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(e.tenant_id.str(), e.shipment_id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  notify::ShipmentSummary s;
  s.id = e.shipment_id;
  s.tracking_number = stmt->text(0);
  s.status = stmt->text(1);
  if (auto ext = stmt->optional_text(2); ext && !ext->empty()) s.external_order_id = *ext;
  return s;
}

}  // namespace

std::vector<std::string> split_patterns(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string p; in >> p;) out.push_back(p);
  return out;
}

std::string join_patterns(const std::vector<std::string>& patterns) {
  std::string out;
  for (const auto& p : patterns) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

Status enqueue_webhooks(Connection& db, const domain::Event& event) {
  const auto types = notify::webhook_types(event);
  if (types.empty()) return {};
  auto subs = active_subscriptions(db, event.tenant_id);
  if (!subs) return subs.error();
  if (subs->empty()) return {};
  std::optional<notify::ShipmentSummary> shipment;
  for (const auto& type : types) {
    for (const auto& sub : *subs) {
      if (!notify::any_pattern_matches(sub.patterns, type)) continue;
      if (!shipment) {
        auto s = shipment_summary(db, event);
        if (!s) return s.error();
        shipment = std::move(*s);
      }
      auto stmt = db.prepare(
          "INSERT INTO outbox (id, tenant_id, kind, subscription_id, event_id, event_type, idempotency_key, payload, "
          "state, attempts, next_attempt_at, created_at) VALUES (?, ?, 'webhook', ?, ?, ?, ?, ?, 'pending', 0, ?, ?)");
      if (!stmt) return stmt.error();
      const std::string key = event.id.str() + ":" + type + ":" + sub.id;
      auto st = stmt->bind_all(core::new_id<core::DeliveryId>().str(), event.tenant_id.str(), sub.id,
                               event.id.str(), type, key, notify::webhook_envelope(event, type, *shipment),
                               event.recorded_at.ms, event.recorded_at.ms)
                    .run();
      if (!st) return st;
    }
  }
  return {};
}

}  // namespace lastmile::storage::sqlite
