#pragma once
// The per-shipment chat threads (docs/chat-and-surveys.md). Messages are not events: they are kept
// out of the shipment's event hash chain and raise no webhook; the API pushes them live itself.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp: another
// tenant's shipment is kNotFound.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/chat.hpp"

namespace lastmile::storage {

// A message to add. The caller has validated it (domain/chat.hpp): the body is trimmed and within
// limits, the label is one a customer may see.
struct ChatMessageDraft {
  domain::ChatRole author_role = domain::ChatRole::kCustomer;
  std::string author_label;  // what the other side sees: "Marie", "Luca", "Acme Parcels", "Customer"
  std::string author_id;     // internal: credential id, "driver:<id>", "token", "sms"; never shown to customers
  domain::ChatChannel channel = domain::ChatChannel::kWeb;
  std::string body;
  std::string client_id;     // idempotency key chosen by the client; empty: none
  core::Timestamp at;        // when it was received
};

struct ChatMessage {
  int64_t seq = 0;  // 1, 2, … per shipment: the order of the thread and the `after` cursor
  std::string id;   // "msg_…"
  core::TenantId tenant_id;
  core::ShipmentId shipment_id;
  domain::ChatRole author_role = domain::ChatRole::kCustomer;
  std::string author_label;
  std::string author_id;
  domain::ChatChannel channel = domain::ChatChannel::kWeb;
  std::string body;
  std::string client_id;
  core::Timestamp created_at;
  bool replayed = false;  // add_chat_message only: the client id was seen, this is the stored message
};

class ChatStore {
 public:
  virtual ~ChatStore() = default;

  // Appends the message to the shipment's thread (seq = last + 1) and returns it. Idempotent by
  // client id: when the shipment already has a message with draft.client_id (not empty), nothing is
  // written and that message is returned with replayed = true, if it has the same author role and
  // body; else kIdempotencyMismatch (field "client_id"). kNotFound when the shipment is not the
  // tenant's.
  virtual core::Result<ChatMessage> add_chat_message(const core::TenantId& tenant, const core::ShipmentId& shipment,
                                                     ChatMessageDraft draft) = 0;
  // The thread's messages with seq > after, oldest first, at most `limit` (1–200). kNotFound when
  // the shipment is not the tenant's.
  virtual core::Result<std::vector<ChatMessage>> list_chat_messages(const core::TenantId& tenant,
                                                                    const core::ShipmentId& shipment, int64_t after,
                                                                    int limit) = 0;
  // Per shipment with a thread, newest thread first, at most `limit`: the customer messages after
  // the last staff (driver or dispatcher) message — the "unread" count staff see.
  struct ThreadSummary {
    core::ShipmentId shipment_id;
    int64_t last_seq = 0;
    int64_t awaiting_reply = 0;
    core::Timestamp last_at;
  };
  virtual core::Result<std::vector<ThreadSummary>> list_chat_threads(const core::TenantId& tenant, int limit) = 0;
};

}  // namespace lastmile::storage
