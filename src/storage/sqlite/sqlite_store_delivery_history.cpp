// Delivery history (storage/delivery_history_store.hpp, docs/delivery-windows.md).
#include <string>

#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {

Result<std::vector<AttemptRow>> SqliteStore::delivery_attempts(const core::TenantId& tenant,
                                                               const std::optional<RecipientKey>& recipient,
                                                               core::Timestamp since, size_t limit) {
  return read<std::vector<AttemptRow>>("delivery_attempts", [&](Connection& db) -> Result<std::vector<AttemptRow>> {
    std::string sql =
        "SELECT e.shipment_id, s.recipient_phone, s.recipient_email, s.recipient_time_zone, e.occurred_at, "
        "e.milestone, v.stars FROM events e "
        "JOIN shipments s ON s.tenant_id = e.tenant_id AND s.id = e.shipment_id "
        "LEFT JOIN surveys v ON v.tenant_id = e.tenant_id AND v.shipment_id = e.shipment_id "
        "WHERE e.tenant_id = ? AND e.milestone IN ('delivered', 'attempt_failed') AND e.occurred_at >= ? ";
    std::string key;
    if (recipient && !recipient->email.empty()) {
      sql += "AND s.recipient_email <> '' AND lower(s.recipient_email) = lower(?) ";
      key = recipient->email;
    } else if (recipient) {
      sql += "AND s.recipient_phone <> '' AND s.recipient_phone = ? ";
      key = recipient->phone;
    } else {
      sql += "AND ? = '' ";
    }
    sql += "ORDER BY e.occurred_at, e.global_seq LIMIT ?";
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), since.ms, key, static_cast<int64_t>(limit));
    std::vector<AttemptRow> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      AttemptRow a;
      a.shipment_id = core::ShipmentId(stmt->text(0));
      a.recipient_phone = stmt->text(1);
      a.recipient_email = stmt->text(2);
      a.time_zone = stmt->text(3);
      a.at = core::Timestamp{stmt->int64(4)};
      a.delivered = stmt->text(5) == "delivered";
      if (auto stars = stmt->optional_int64(6)) a.stars = static_cast<int>(*stars);
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace lastmile::storage::sqlite
