#pragma once
// E-mail and SMS notifications in the transactional outbox: rows are inserted in the transaction of
// the event that causes them (like enqueue_webhooks), rendered from the tenant's settings.

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "notify/notification_settings.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"

namespace lastmile::storage::sqlite {

// For each rule `event` triggers (notify::triggered_rules) and each of its channels: one pending
// outbox row (kind "email"/"sms") with the recipient, the rendered message and the key
// "<event id>:<channel>:<rule>", due at recorded_at (SMS: deferred past quiet hours; the survey:
// survey_delay_minutes later). A recipient without an address or opted out is skipped and the
// skip logged (notification_log). REQUIRES: `event` is stored.
Status enqueue_notifications(Connection& db, const domain::Event& event);

// The tenant's settings (defaults, version 0, when never saved).
Result<notify::NotificationSettings> load_notification_settings(Connection& db, const core::TenantId& tenant);

// Enqueues one reminder (rule reminder_day_before | reminder_morning_of) for a shipment, due at
// `due`, key "<shipment>:reminder:<kind>:<local date>"; nothing when that key exists. Returns
// whether a row was inserted.
Result<bool> enqueue_reminder(Connection& db, const core::TenantId& tenant, const core::ShipmentId& shipment,
                              const std::string& rule, const std::string& key, core::Timestamp due);

}  // namespace lastmile::storage::sqlite
