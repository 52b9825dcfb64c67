#pragma once
// The transactional outbox: webhook messages are inserted in the transaction of the event that
// causes them, so a committed event always has its messages and a rolled-back one never does.

#include "domain/entities.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/webhook_store.hpp"

namespace lastmile::storage::sqlite {

// Inserts one pending outbox row per (webhook type of `event`, active subscription of its tenant
// whose patterns match the type), due at event.recorded_at, with idempotency key
// "<event id>:<type>:<subscription id>" and the envelope as payload. REQUIRES: `event` is stored.
Status enqueue_webhooks(Connection& db, const domain::Event& event);

// Splits/joins the stored pattern list (space-separated; patterns contain no spaces).
std::vector<std::string> split_patterns(const std::string& text);
std::string join_patterns(const std::vector<std::string>& patterns);

}  // namespace lastmile::storage::sqlite
