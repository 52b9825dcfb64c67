// Chat threads (storage/chat_store.hpp): one row per message, numbered per shipment.
#include "core/crypto.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::Error;

constexpr std::string_view kChatColumns =
    "seq, id, tenant_id, shipment_id, author_role, author_label, author_id, channel, body, client_id, created_at";

Result<ChatMessage> chat_from_row(Statement& st) {
  ChatMessage m;
  m.seq = st.int64(0);
  m.id = st.text(1);
  m.tenant_id = core::TenantId(st.text(2));
  m.shipment_id = core::ShipmentId(st.text(3));
  auto role = domain::parse_chat_role(st.text(4));
  auto channel = domain::parse_chat_channel(st.text(7));
  if (!role || !channel) return Error::internal();
  m.author_role = *role;
  m.author_label = st.text(5);
  m.author_id = st.text(6);
  m.channel = *channel;
  m.body = st.text(8);
  m.client_id = st.text(9);
  m.created_at = core::Timestamp{st.int64(10)};
  return m;
}

Status check_shipment(Connection& db, const core::TenantId& tenant, const core::ShipmentId& shipment) {
  auto stmt = db.prepare("SELECT 1 FROM shipments WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), shipment.str());
  auto found = exists(*stmt);
  if (!found) return found.error();
  if (!*found) return Error::not_found("shipment");
  return {};
}

Result<std::optional<ChatMessage>> find_by_client_id(Connection& db, const core::TenantId& tenant,
                                                     const core::ShipmentId& shipment, const std::string& client_id) {
  auto stmt = db.prepare(sql({"SELECT ", kChatColumns,
                              " FROM chat_messages WHERE tenant_id = ? AND shipment_id = ? AND client_id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), shipment.str(), client_id);
  return fetch_optional<ChatMessage>(*stmt, chat_from_row);
}

}  // namespace

Result<ChatMessage> SqliteStore::add_chat_message(const core::TenantId& tenant, const core::ShipmentId& shipment,
                                                  ChatMessageDraft draft) {
  ChatMessage out;
  Status st = write("add_chat_message", [&](Connection& db, Events&) -> Status {
    if (auto st = check_shipment(db, tenant, shipment); !st) return st;
    if (!draft.client_id.empty()) {
      auto seen = find_by_client_id(db, tenant, shipment, draft.client_id);
      if (!seen) return seen.error();
      if (*seen) {
        if ((*seen)->author_role != draft.author_role || (*seen)->body != draft.body)
          return Error{core::ErrorCode::kIdempotencyMismatch,
                       "this client_id was already used for another message", "client_id"};
        out = std::move(**seen);
        out.replayed = true;
        return {};
      }
    }
    auto insert = db.prepare(
        "INSERT INTO chat_messages (tenant_id, shipment_id, seq, id, author_role, author_label, author_id, channel, "
        "body, client_id, created_at) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE "
        "tenant_id = ? AND shipment_id = ?), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq");
    if (!insert) return insert.error();
    out = ChatMessage{};
    out.id = "msg_" + core::random_alnum(16);
    auto row = insert
                   ->bind_all(tenant.str(), shipment.str(), tenant.str(), shipment.str(), out.id,
                              domain::chat_role_name(draft.author_role), draft.author_label, draft.author_id,
                              domain::chat_channel_name(draft.channel), draft.body, draft.client_id, draft.at.ms)
                   .step();
    if (!row) return row.error();
    if (!*row) return Error::internal();
    out.seq = insert->int64(0);
    if (auto st = insert->run(); !st) return st;
    out.tenant_id = tenant;
    out.shipment_id = shipment;
    out.author_role = draft.author_role;
    out.author_label = std::move(draft.author_label);
    out.author_id = std::move(draft.author_id);
    out.channel = draft.channel;
    out.body = std::move(draft.body);
    out.client_id = std::move(draft.client_id);
    out.created_at = draft.at;
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<ChatMessage>> SqliteStore::list_chat_messages(const core::TenantId& tenant,
                                                                 const core::ShipmentId& shipment, int64_t after,
                                                                 int limit) {
  using Rows = std::vector<ChatMessage>;
  return read<Rows>("list_chat_messages", [&](Connection& db) -> Result<Rows> {
    if (auto st = check_shipment(db, tenant, shipment); !st) return st.error();
    auto stmt = db.prepare(sql({"SELECT ", kChatColumns,
                                " FROM chat_messages WHERE tenant_id = ? AND shipment_id = ? AND seq > ? "
                                "ORDER BY seq LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), shipment.str(), after, static_cast<int64_t>(std::clamp(limit, 1, 200)));
    return fetch_all<ChatMessage>(*stmt, chat_from_row);
  });
}

Result<std::vector<ChatStore::ThreadSummary>> SqliteStore::list_chat_threads(const core::TenantId& tenant,
                                                                               int limit) {
  using Rows = std::vector<ThreadSummary>;
  return read<Rows>("list_chat_threads", [&](Connection& db) -> Result<Rows> {
    auto stmt = db.prepare(
        "SELECT m.shipment_id, MAX(m.seq), MAX(m.created_at), "
        "SUM(CASE WHEN m.author_role = 'customer' AND m.seq > COALESCE((SELECT MAX(s.seq) FROM chat_messages s "
        "WHERE s.tenant_id = m.tenant_id AND s.shipment_id = m.shipment_id AND s.author_role <> 'customer'), 0) "
        "THEN 1 ELSE 0 END) FROM chat_messages m WHERE m.tenant_id = ? GROUP BY m.shipment_id "
        "ORDER BY MAX(m.created_at) DESC LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), static_cast<int64_t>(std::clamp(limit, 1, 500)));
    return fetch_all<ThreadSummary>(*stmt, [](Statement& st) -> Result<ThreadSummary> {
      return ThreadSummary{core::ShipmentId(st.text(0)), st.int64(1), st.int64(3), core::Timestamp{st.int64(2)}};
    });
  });
}

}  // namespace lastmile::storage::sqlite
