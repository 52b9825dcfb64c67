#include "storage/sqlite/sqlite_notifications.hpp"

#include <spdlog/spdlog.h>

#include "core/crypto.hpp"
#include "core/new_id.hpp"
#include "domain/masking.hpp"
#include "notify/local_schedule.hpp"
#include "notify/notification_rules.hpp"

namespace lastmile::storage::sqlite {
namespace {

// What rendering a shipment's messages needs, read in the event's transaction.
struct ShipmentContext {
  core::TenantId tenant;
  core::ShipmentId id;
  std::string tracking_number;
  std::string tracking_token;
  std::string recipient_name;
  std::string phone;
  std::string email;
  std::string time_zone;
  std::optional<int64_t> promised_start;
  std::optional<int64_t> promised_end;
  std::string tenant_name;
  std::string driver_name;
};

Result<ShipmentContext> load_context(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id) {
  auto stmt = db.prepare(
      "SELECT s.tracking_number, s.tracking_token, s.recipient_name, s.recipient_phone, s.recipient_email, "
      "s.recipient_time_zone, s.promised_start, s.promised_end, t.name, COALESCE(d.name, '') FROM shipments s "
      "JOIN tenants t ON t.id = s.tenant_id LEFT JOIN routes r ON r.tenant_id = s.tenant_id AND r.id = s.route_id "
      "LEFT JOIN drivers d ON d.tenant_id = r.tenant_id AND d.id = r.driver_id WHERE s.tenant_id = ? AND s.id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  ShipmentContext c;
  c.tenant = tenant;
  c.id = id;
  c.tracking_number = stmt->text(0);
  c.tracking_token = stmt->text(1);
  c.recipient_name = stmt->text(2);
  c.phone = stmt->text(3);
  c.email = stmt->text(4);
  c.time_zone = stmt->text(5);
  c.promised_start = stmt->optional_int64(6);
  c.promised_end = stmt->optional_int64(7);
  c.tenant_name = stmt->text(8);
  c.driver_name = stmt->text(9);
  return c;
}

Result<std::string> public_url(Connection& db) {
  auto stmt = db.prepare("SELECT public_url FROM notification_server WHERE id = 1");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? stmt->text(0) : std::string("http://127.0.0.1:8080");
}

Result<bool> opted_out(Connection& db, const core::TenantId& tenant, const std::string& channel,
                       const std::string& address) {
  auto stmt = db.prepare("SELECT 1 FROM notification_optouts WHERE tenant_id = ? AND channel = ? AND address = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), channel, address).step();
  if (!row) return row.error();
  return *row;
}

// The tenant's unsubscribe token for `address`, created on first use (random, 128 bits).
Result<std::string> unsubscribe_token(Connection& db, const core::TenantId& tenant, const std::string& address,
                                      core::Timestamp at) {
  auto find = db.prepare("SELECT token FROM unsubscribe_tokens WHERE tenant_id = ? AND address = ?");
  if (!find) return find.error();
  auto row = find->bind_all(tenant.str(), address).step();
  if (!row) return row.error();
  if (*row) return find->text(0);
  const std::string token = core::random_token(16);
  auto ins = db.prepare("INSERT INTO unsubscribe_tokens (token, tenant_id, address, created_at) VALUES (?, ?, ?, ?)");
  if (!ins) return ins.error();
  if (auto st = ins->bind_all(token, tenant.str(), address, at.ms).run(); !st) return st.error();
  return token;
}

Status log_skip(Connection& db, const ShipmentContext& c, const std::string& event_id, const std::string& rule,
                const std::string& channel, const std::string& reason, core::Timestamp at) {
  spdlog::info("notify: {} {} for shipment {} skipped: {}", rule, channel, c.id.str(), reason);
  auto stmt = db.prepare("INSERT INTO notification_log (tenant_id, shipment_id, event_id, rule, channel, outcome, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  return stmt->bind_all(c.tenant.str(), c.id.str(), event_id, rule, channel, reason, at.ms).run();
}

struct Enqueue {
  std::string rule;
  std::string channel;
  std::string key;
  std::string event_id;
  std::optional<std::pair<int64_t, int64_t>> eta;  // overrides the promised window (eta_changed)
  core::Timestamp due;
  core::Timestamp at;
};

// Inserts one message unless skipped. Returns whether a row was inserted.
Result<bool> enqueue_one(Connection& db, const ShipmentContext& c, const notify::NotificationSettings& s,
                         const Enqueue& e) {
  const std::string address = e.channel == "email" ? c.email : c.phone;
  if (address.empty()) {
    if (auto st = log_skip(db, c, e.event_id, e.rule, e.channel, "no_address", e.at); !st) return st.error();
    return false;
  }
  auto out = opted_out(db, c.tenant, e.channel, address);
  if (!out) return out.error();
  if (*out) {
    if (auto st = log_skip(db, c, e.event_id, e.rule, e.channel, "opted_out", e.at); !st) return st.error();
    return false;
  }
  auto base = public_url(db);
  if (!base) return base.error();
  const std::string tz = c.time_zone.empty() ? s.default_time_zone : c.time_zone;
  notify::TemplateVariables vars;
  vars["first_name"] = notify::first_name(c.recipient_name);
  vars["tracking_url"] = *base + "/t/" + c.tracking_token;
  vars["survey_url"] = *base + "/track/" + c.tracking_token + "?survey=1";
  vars["tracking_number"] = c.tracking_number;
  vars["shipper_name"] = s.sender_name.empty() ? c.tenant_name : s.sender_name;
  vars["driver_first_name"] = c.driver_name.empty() ? "Your driver" : notify::first_name(c.driver_name);
  if (e.eta) vars["eta_window"] = notify::format_window({e.eta->first}, {e.eta->second}, tz);
  else if (c.promised_start && c.promised_end)
    vars["eta_window"] = notify::format_window({*c.promised_start}, {*c.promised_end}, tz);
  std::string unsubscribe_url;
  if (e.channel == "email") {
    auto token = unsubscribe_token(db, c.tenant, address, e.at);
    if (!token) return token.error();
    unsubscribe_url = *base + "/v1/unsubscribe/" + *token;
    vars["unsubscribe_url"] = unsubscribe_url;
  } else {
    vars["unsubscribe_url"] = "Reply STOP to opt out";
  }
  notify::RenderedMessage m = notify::render_message(s, e.rule, e.channel, vars);
  m.from_name = vars["shipper_name"];
  m.unsubscribe_url = unsubscribe_url;
  core::Timestamp due = e.due;
  if (e.channel == "sms" && s.quiet_hours) due = notify::defer_past_quiet_hours(due, *s.quiet_hours, tz);
  auto stmt = db.prepare(
      "INSERT INTO outbox (id, tenant_id, kind, subscription_id, event_id, event_type, idempotency_key, "
      "payload, state, attempts, next_attempt_at, created_at, shipment_id, recipient) "
      "VALUES (?, ?, ?, '', ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  if (!stmt) return stmt.error();
  if (auto st = stmt->bind_all(core::new_id<core::DeliveryId>().str(), c.tenant.str(), e.channel, e.event_id, e.rule,
                               e.key, notify::message_payload(m), due.ms, e.at.ms, c.id.str(), address)
                    .run();
      !st)
    return st.error();
  return db.changes() > 0;
}

std::optional<std::pair<int64_t, int64_t>> eta_of(const domain::Event& e) {
  if (e.type != "eta_changed") return std::nullopt;
  auto find = [&](const char* key) -> std::optional<int64_t> {
    const std::string k = std::string("\"") + key + "\":\"";
    const auto p = e.payload_json.find(k);
    if (p == std::string::npos) return std::nullopt;
    const auto end = e.payload_json.find('"', p + k.size());
    if (end == std::string::npos) return std::nullopt;
    auto t = core::parse_iso8601(std::string_view(e.payload_json).substr(p + k.size(), end - p - k.size()));
    if (!t) return std::nullopt;
    return t->ms;
  };
  auto a = find("earliest"), b = find("latest");
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

}  // namespace

Result<notify::NotificationSettings> load_notification_settings(Connection& db, const core::TenantId& tenant) {
  auto stmt = db.prepare("SELECT version, document FROM notification_settings WHERE tenant_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str()).step();
  if (!row) return row.error();
  if (!*row) return notify::default_settings();
  const int64_t version = stmt->int64(0);
  auto s = notify::parse_settings(stmt->text(1));
  if (!s) {
    // Validated when saved; a document an older version accepted must not block the tenant's events.
    spdlog::error("notify: stored settings of tenant {} no longer parse ({}); using the defaults", tenant.str(),
                  s.error().message);
    notify::NotificationSettings d = notify::default_settings();
    d.version = version;
    return d;
  }
  s->version = version;
  return std::move(*s);
}

Status enqueue_notifications(Connection& db, const domain::Event& event) {
  if (event.shipment_id.str().empty()) return {};
  auto settings = load_notification_settings(db, event.tenant_id);
  if (!settings) return settings.error();
  const auto rules = notify::triggered_rules(event, *settings);
  std::optional<ShipmentContext> ctx;
  for (const auto& rule : rules) {
    for (const char* channel : {"email", "sms"}) {
      if (!notify::rule_has_channel(*settings, rule, channel)) continue;
      if (!ctx) {
        auto c = load_context(db, event.tenant_id, event.shipment_id);
        if (!c) return c.error().code == core::ErrorCode::kNotFound ? Status{} : Status{c.error()};
        ctx = std::move(*c);
      }
      Enqueue e;
      e.rule = rule;
      e.channel = channel;
      e.key = event.id.str() + ":" + channel + ":" + rule;
      e.event_id = event.id.str();
      e.eta = eta_of(event);
      e.at = event.recorded_at;
      e.due = rule == "survey" ? core::Timestamp{event.recorded_at.ms + settings->survey_delay_minutes * 60'000LL}
                               : event.recorded_at;
      if (auto r = enqueue_one(db, *ctx, *settings, e); !r) return r.error();
    }
  }
  return {};
}

Result<bool> enqueue_reminder(Connection& db, const core::TenantId& tenant, const core::ShipmentId& shipment,
                              const std::string& rule, const std::string& key, core::Timestamp due) {
  auto settings = load_notification_settings(db, tenant);
  if (!settings) return settings.error();
  auto c = load_context(db, tenant, shipment);
  if (!c) return c.error();
  bool any = false;
  for (const char* channel : {"email", "sms"}) {
    if (!notify::rule_has_channel(*settings, rule, channel)) continue;
    Enqueue e;
    e.rule = rule;
    e.channel = channel;
    e.key = key + ":" + channel;
    e.due = due;
    e.at = due;
    auto r = enqueue_one(db, *c, *settings, e);
    if (!r) return r.error();
    any = any || *r;
  }
  return any;
}

}  // namespace lastmile::storage::sqlite
