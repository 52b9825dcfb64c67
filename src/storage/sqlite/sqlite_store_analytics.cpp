// Analytics (storage/analytics_store.hpp, docs/analytics.md): the aggregator's fold of the event
// log into facts and daily rollups, the rollup reads, rate cards and targets.
#include <algorithm>
#include <unordered_map>

#include "analytics/delivery_fact.hpp"
#include "analytics/route_track.hpp"
#include "domain/milestone.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/track_chunk.hpp"

namespace lastmile::storage::sqlite {
namespace {

using analytics::DeliveryFact;
using analytics::Outcome;
using analytics::Rollup;
using core::Error;

constexpr std::string_view kRollupColumns =
    "deliveries, finished, first_attempt, returned, failed_attempts, windowed, on_time, parcels, stops, km, routes, "
    "route_s, tracked_s, surveys, csat_good, nps_count, promoters, detractors, lateness, exceptions";

std::string_view dim_name(AnalyticsDim d) { return d == AnalyticsDim::kCarrier ? "carrier" : "driver"; }

Result<Rollup> rollup_from_row(const Statement& s, int c) {
  Rollup r;
  int64_t* ints[] = {&r.deliveries, &r.finished, &r.first_attempt, &r.returned, &r.failed_attempts,
                     &r.windowed,   &r.on_time,  &r.parcels,       &r.stops};
  for (int64_t* v : ints) *v = s.int64(c++);
  r.km = s.real(c++);
  r.routes = s.int64(c++);
  r.route_s = s.real(c++);
  r.tracked_s = s.real(c++);
  int64_t* more[] = {&r.surveys, &r.csat_good, &r.nps_count, &r.promoters, &r.detractors};
  for (int64_t* v : more) *v = s.int64(c++);
  if (!analytics::parse_counts(s.text(c++), r.lateness) || !analytics::parse_counts(s.text(c++), r.exceptions))
    return corrupt_row("analytics_daily");
  return r;
}

// Adds `delta` to the (dim, key, day) row, creating it.
Status add_rollup(Connection& db, const std::string& tenant, AnalyticsDim dim, const std::string& key,
                  const std::string& carrier, const std::string& day, const Rollup& delta) {
  auto get = db.prepare(sql({"SELECT ", kRollupColumns,
                             " FROM analytics_daily WHERE tenant_id = ? AND dim = ? AND key_id = ? AND day = ?"}));
  if (!get) return get.error();
  get->bind_all(tenant, dim_name(dim), key, day);
  auto row = get->step();
  if (!row) return row.error();
  Rollup r;
  if (*row) {
    auto stored = rollup_from_row(*get, 0);
    if (!stored) return stored.error();
    r = *stored;
  }
  analytics::merge(r, delta);
  auto put = db.prepare(
      sql({"INSERT INTO analytics_daily (tenant_id, dim, key_id, day, carrier_id, ", kRollupColumns,
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           upsert_tail("tenant_id, dim, day, key_id", sql({"carrier_id, ", kRollupColumns}))}));
  if (!put) return put.error();
  put->bind_all(tenant, dim_name(dim), key, day, carrier, r.deliveries, r.finished, r.first_attempt, r.returned,
                r.failed_attempts, r.windowed, r.on_time, r.parcels, r.stops, r.km, r.routes, r.route_s, r.tracked_s,
                r.surveys, r.csat_good, r.nps_count, r.promoters, r.detractors, analytics::encode_counts(r.lateness),
                analytics::encode_counts(r.exceptions));
  return put->run();
}

// Where a fact's figures go: its carrier row and its driver row (either may be empty).
struct FactKeys {
  std::string carrier;         // the shipment's carrier, else its driver's
  std::string driver;
  std::string driver_carrier;  // the driver's own carrier ("" when none)
};

Status add_to_keys(Connection& db, const std::string& tenant, const FactKeys& k, const std::string& day,
                   const Rollup& delta) {
  if (!k.carrier.empty())
    if (auto st = add_rollup(db, tenant, AnalyticsDim::kCarrier, k.carrier, k.carrier, day, delta); !st) return st;
  if (!k.driver.empty())
    if (auto st = add_rollup(db, tenant, AnalyticsDim::kDriver, k.driver, k.driver_carrier, day, delta); !st)
      return st;
  return {};
}

struct StoredFact {
  DeliveryFact fact;
  std::string day;
  FactKeys keys;
  bool stored = false;
};

Result<StoredFact> load_fact(Connection& db, const std::string& tenant, const std::string& shipment) {
  auto stmt = db.prepare(
      "SELECT outcome, status, failed_attempts, exception_mask, finished_at, day, carrier_id, driver_id, "
      "driver_carrier_id "
      "FROM analytics_facts WHERE tenant_id = ? AND shipment_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant, shipment).step();
  if (!row) return row.error();
  StoredFact f;
  if (!*row) return f;
  f.stored = true;
  auto outcome = analytics::parse_outcome(stmt->text(0));
  if (!outcome) return corrupt_row("analytics_facts");
  f.fact.outcome = *outcome;
  if (auto s = stmt->optional_text(1)) f.fact.status = domain::parse_milestone(*s);
  f.fact.failed_attempts = static_cast<int>(stmt->int64(2));
  f.fact.exception_mask = static_cast<uint32_t>(stmt->int64(3));
  f.fact.finished_at_ms = stmt->optional_int64(4);
  f.day = stmt->text(5);
  f.keys.carrier = stmt->text(6);
  f.keys.driver = stmt->text(7);
  f.keys.driver_carrier = stmt->text(8);
  return f;
}

Status save_fact(Connection& db, const std::string& tenant, const std::string& shipment, const StoredFact& f) {
  static const std::string kSave = sql(
      {"INSERT INTO analytics_facts (tenant_id, shipment_id, outcome, status, failed_attempts, exception_mask, "
       "finished_at, day, carrier_id, driver_id, driver_carrier_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
       upsert_tail("tenant_id, shipment_id", "outcome, status, failed_attempts, exception_mask, finished_at, day, "
                                             "carrier_id, driver_id, driver_carrier_id")});
  auto stmt = db.prepare(kSave);
  if (!stmt) return stmt.error();
  std::optional<std::string> status;
  if (f.fact.status) status = std::string(domain::milestone_name(*f.fact.status));
  return stmt
      ->bind_all(tenant, shipment, analytics::outcome_name(f.fact.outcome), status, f.fact.failed_attempts,
                 static_cast<int64_t>(f.fact.exception_mask), f.fact.finished_at_ms, f.day, f.keys.carrier,
                 f.keys.driver, f.keys.driver_carrier)
      .run();
}

// The shipment's data a finished fact needs.
struct ShipmentInfo {
  std::optional<int64_t> promised_end;
  std::string route_id;
  int64_t parcels = 0;
  FactKeys keys;
};

Result<ShipmentInfo> shipment_info(Connection& db, const std::string& tenant, const std::string& shipment) {
  auto stmt = db.prepare(
      "SELECT s.promised_end, s.route_id, s.carrier_id, r.driver_id, d.carrier_id, "
      "(SELECT COUNT(*) FROM parcels p WHERE p.tenant_id = s.tenant_id AND p.shipment_id = s.id) "
      "FROM shipments s LEFT JOIN routes r ON r.tenant_id = s.tenant_id AND r.id = s.route_id "
      "LEFT JOIN drivers d ON d.tenant_id = r.tenant_id AND d.id = r.driver_id WHERE s.tenant_id = ? AND s.id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant, shipment).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  ShipmentInfo i;
  i.promised_end = stmt->optional_int64(0);
  i.route_id = stmt->text(1);
  i.keys.driver = stmt->text(3);
  i.keys.driver_carrier = stmt->text(4);
  i.keys.carrier = stmt->is_null(2) ? i.keys.driver_carrier : stmt->text(2);
  i.parcels = stmt->int64(5);
  return i;
}

Result<std::vector<analytics::TrackPoint>> route_points(Connection& db, const std::string& driver, int64_t from,
                                                        int64_t to) {
  auto stmt = db.prepare("SELECT data FROM track_chunks WHERE driver_id = ? AND t_max >= ? AND t_min <= ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(driver, from, to);
  std::vector<analytics::TrackPoint> out;
  const core::DriverId driver_id(driver);
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    auto pings = decode_track_chunk(stmt->blob(0), driver_id);
    if (!pings) return corrupt_row("track_chunks");
    for (const auto& p : *pings) out.push_back({p.t.ms, p.position});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.t_ms < b.t_ms; });
  return out;
}

// When every shipment of the route is done with it (by the facts, i.e. in event order) and the
// route was not counted yet: measures it and adds it to the day of `at` (the completing event).
Status finish_route_if_done(Connection& db, const std::string& tenant, const std::string& route, int64_t at) {
  auto open = db.prepare(
      "SELECT COUNT(*) FROM stop_shipments ss LEFT JOIN analytics_facts f ON f.tenant_id = ss.tenant_id AND "
      "f.shipment_id = ss.shipment_id WHERE ss.tenant_id = ? AND ss.route_id = ? AND "
      "(f.outcome IS NULL OR (f.outcome = 'open' AND (f.status IS NULL OR f.status <> 'attempt_failed')))");
  if (!open) return open.error();
  auto row = open->bind_all(tenant, route).step();
  if (!row) return row.error();
  if (open->int64(0) > 0) return {};
  auto info = db.prepare(
      "SELECT r.started_at, r.driver_id, COALESCE(d.carrier_id, ''), "
      "(SELECT COUNT(*) FROM analytics_routes a WHERE a.tenant_id = r.tenant_id AND a.route_id = r.id), "
      "(SELECT COUNT(DISTINCT ss.stop_id) FROM stop_shipments ss JOIN analytics_facts f ON f.tenant_id = "
      "ss.tenant_id AND f.shipment_id = ss.shipment_id WHERE ss.tenant_id = r.tenant_id AND ss.route_id = r.id AND "
      "(f.outcome = 'delivered' OR f.failed_attempts > 0)) "
      "FROM routes r LEFT JOIN drivers d ON d.tenant_id = r.tenant_id AND d.id = r.driver_id "
      "WHERE r.tenant_id = ? AND r.id = ?");
  if (!info) return info.error();
  row = info->bind_all(tenant, route).step();
  if (!row) return row.error();
  if (!*row || info->int64(3) > 0) return {};
  const auto started = info->optional_int64(0);
  const std::string driver = info->text(1), carrier = info->text(2);
  Rollup delta;
  delta.routes = 1;
  delta.stops = info->int64(4);
  if (started && *started < at) {
    auto points = route_points(db, driver, *started, at);
    if (!points) return points.error();
    const auto track = analytics::measure_route(*points, *started, at);
    delta.km = track.km;
    delta.route_s = track.route_s;
    delta.tracked_s = track.tracked_s;
  }
  auto mark = db.prepare(
      "INSERT INTO analytics_routes (tenant_id, route_id, finished_at, km, route_s, tracked_s, stops) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!mark) return mark.error();
  if (auto st = mark->bind_all(tenant, route, at, delta.km, delta.route_s, delta.tracked_s, delta.stops).run(); !st)
    return st;
  return add_to_keys(db, tenant, FactKeys{carrier, driver, carrier}, analytics::utc_day(at), delta);
}

Status add_survey_of(Connection& db, const std::string& tenant, const std::string& shipment, const StoredFact& f) {
  auto stmt = db.prepare("SELECT stars, nps FROM surveys WHERE tenant_id = ? AND shipment_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant, shipment).step();
  if (!row) return row.error();
  if (!*row) return {};
  std::optional<int> nps;
  if (auto v = stmt->optional_int64(1)) nps = static_cast<int>(*v);
  return add_to_keys(db, tenant, f.keys, f.day,
                     analytics::survey_contribution(static_cast<int>(stmt->int64(0)), nps));
}

Status fold_one(Connection& db, const domain::Event& e) {
  const std::string tenant = e.tenant_id.str(), shipment = e.shipment_id.str();
  auto loaded = load_fact(db, tenant, shipment);
  if (!loaded) return loaded.error();
  StoredFact& f = *loaded;
  const bool was_finished = f.fact.outcome != Outcome::kOpen;
  const auto change = analytics::fold_event(f.fact, e);
  if (!e.milestone && !change.new_exception && !change.survey && f.stored) return {};  // the fact is unchanged
  std::optional<ShipmentInfo> info;
  if (change.finished || change.route_may_finish) {
    auto i = shipment_info(db, tenant, shipment);
    if (!i) return i.error();
    info = std::move(*i);
  }
  if (change.finished) {
    f.day = analytics::utc_day(*f.fact.finished_at_ms);
    f.keys = info->keys;
    const Rollup delta = analytics::finished_contribution(f.fact, info->promised_end, info->parcels);
    if (f.fact.outcome != Outcome::kCancelled)
      if (auto st = add_to_keys(db, tenant, f.keys, f.day, delta); !st) return st;
  } else if (was_finished && f.fact.outcome != Outcome::kCancelled) {
    if (change.new_exception) {
      Rollup delta;
      delta.exceptions[*change.new_exception] = 1;
      if (auto st = add_to_keys(db, tenant, f.keys, f.day, delta); !st) return st;
    }
    if (change.survey && f.fact.outcome == Outcome::kDelivered)
      if (auto st = add_survey_of(db, tenant, shipment, f); !st) return st;
  }
  if (auto st = save_fact(db, tenant, shipment, f); !st) return st;
  if (change.route_may_finish && !info->route_id.empty())
    return finish_route_if_done(db, tenant, info->route_id, e.at.ms);
  return {};
}

}  // namespace

Result<int> SqliteStore::aggregate_events(int limit) {
  int consumed = 0;
  Status st = write("aggregate_events", [&](Connection& db, Events&) -> Status {
    consumed = 0;
    auto cursor = db.prepare("SELECT last_seq FROM analytics_cursor WHERE id = 1");
    if (!cursor) return cursor.error();
    auto row = cursor->step();
    if (!row) return row.error();
    const int64_t after = *row ? cursor->int64(0) : 0;
    auto stmt = db.prepare(sql({"SELECT ", kEventColumns, " FROM events WHERE global_seq > ? ORDER BY global_seq LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(after, std::max(1, limit));
    auto events = fetch_all<domain::Event>(*stmt, event_from_row);
    if (!events) return events.error();
    if (events->empty()) return {};
    for (const domain::Event& e : *events)
      if (auto s = fold_one(db, e); !s) return s;
    auto move = db.prepare("UPDATE analytics_cursor SET last_seq = ? WHERE id = 1");
    if (!move) return move.error();
    if (auto s = move->bind_all(events->back().global_seq).run(); !s) return s;
    consumed = static_cast<int>(events->size());
    return {};
  });
  if (!st) return st.error();
  return consumed;
}

Result<int64_t> SqliteStore::analytics_cursor() {
  return read<int64_t>("analytics_cursor", [&](Connection& db) -> Result<int64_t> {
    auto stmt = db.prepare("SELECT last_seq FROM analytics_cursor WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->int64(0) : 0;
  });
}

Result<std::vector<AnalyticsRow>> SqliteStore::analytics_rows(const AnalyticsQuery& q) {
  using Rows = std::vector<AnalyticsRow>;
  return read<Rows>("analytics_rows", [&](Connection& db) -> Result<Rows> {
    // The names once per key (a few hundred), not joined on every daily row.
    auto names_stmt = db.prepare(q.dim == AnalyticsDim::kCarrier ? "SELECT id, name FROM carriers WHERE tenant_id = ?"
                                                                  : "SELECT id, name FROM drivers WHERE tenant_id = ?");
    if (!names_stmt) return names_stmt.error();
    names_stmt->bind_all(q.tenant.str());
    std::unordered_map<std::string, std::string> names;
    for (;;) {
      auto row = names_stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      names.emplace(names_stmt->text(0), names_stmt->text(1));
    }
    auto stmt = db.prepare(sql({"SELECT key_id, carrier_id, day, ", kRollupColumns,
                                " FROM analytics_daily WHERE tenant_id = ? AND dim = ? AND day >= ? AND day <= ? AND "
                                "(? = '' OR carrier_id = ?)"}));
    if (!stmt) return stmt.error();
    const std::string carrier = q.carrier ? q.carrier->str() : "";
    stmt->bind_all(q.tenant.str(), dim_name(q.dim), q.from_day, q.to_day, carrier, carrier);
    Rows out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      AnalyticsRow r{stmt->text(0), "", stmt->text(1), stmt->text(2), {}};
      auto rollup = rollup_from_row(*stmt, 3);
      if (!rollup) return rollup.error();
      r.rollup = *rollup;
      if (auto n = names.find(r.key_id); n != names.end()) r.name = n->second;
      out.push_back(std::move(r));
    }
    return out;
  });
}

Status SqliteStore::add_analytics_rows(const core::TenantId& tenant, AnalyticsDim dim,
                                       const std::vector<AnalyticsRow>& rows) {
  return write("add_analytics_rows", [&](Connection& db, Events&) -> Status {
    std::string last_key;
    for (const AnalyticsRow& r : rows) {
      if (r.key_id != last_key) {
        auto check = db.prepare(dim == AnalyticsDim::kCarrier ? "SELECT 1 FROM carriers WHERE tenant_id = ? AND id = ?"
                                                              : "SELECT 1 FROM drivers WHERE tenant_id = ? AND id = ?");
        if (!check) return check.error();
        auto found = exists(check->bind_all(tenant.str(), r.key_id));
        if (!found) return found.error();
        if (!*found) return Error::not_found(dim == AnalyticsDim::kCarrier ? "carrier" : "driver");
        last_key = r.key_id;
      }
      if (analytics::utc_day(core::parse_date(r.day).value_or(core::Timestamp{}).ms) != r.day)
        return Error::invalid_field("day", "day must be a date (YYYY-MM-DD)");
      if (auto st = add_rollup(db, tenant.str(), dim, r.key_id, r.carrier_id, r.day, r.rollup); !st) return st;
    }
    return {};
  });
}

Result<std::optional<analytics::RateCard>> SqliteStore::get_rate_card(const core::TenantId& tenant,
                                                                     const core::CarrierId& carrier) {
  using Card = std::optional<analytics::RateCard>;
  return read<Card>("get_rate_card", [&](Connection& db) -> Result<Card> {
    auto c = db.prepare("SELECT 1 FROM carriers WHERE tenant_id = ? AND id = ?");
    if (!c) return c.error();
    auto found = exists(c->bind_all(tenant.str(), carrier.str()));
    if (!found) return found.error();
    if (!*found) return Error::not_found("carrier");
    auto stmt = db.prepare(
        "SELECT per_stop, per_km, per_parcel, currency FROM analytics_rate_cards WHERE tenant_id = ? AND carrier_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), carrier.str());
    return fetch_optional<analytics::RateCard>(*stmt, [](const Statement& s) -> Result<analytics::RateCard> {
      return analytics::RateCard{s.real(0), s.real(1), s.real(2), s.text(3)};
    });
  });
}

Status SqliteStore::put_rate_card(const core::TenantId& tenant, const core::CarrierId& carrier,
                                  const analytics::RateCard& card, core::Timestamp at) {
  return write("put_rate_card", [&](Connection& db, Events&) -> Status {
    auto c = db.prepare("SELECT 1 FROM carriers WHERE tenant_id = ? AND id = ?");
    if (!c) return c.error();
    auto found = exists(c->bind_all(tenant.str(), carrier.str()));
    if (!found) return found.error();
    if (!*found) return Error::not_found("carrier");
    static const std::string kPut =
        sql({"INSERT INTO analytics_rate_cards (tenant_id, carrier_id, per_stop, per_km, per_parcel, currency, "
             "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             upsert_tail("tenant_id, carrier_id", "per_stop, per_km, per_parcel, currency, updated_at")});
    auto stmt = db.prepare(kPut);
    if (!stmt) return stmt.error();
    return stmt->bind_all(tenant.str(), carrier.str(), card.per_stop, card.per_km, card.per_parcel, card.currency, at.ms)
        .run();
  });
}

Result<std::vector<std::pair<std::string, analytics::RateCard>>> SqliteStore::list_rate_cards(
    const core::TenantId& tenant) {
  using Cards = std::vector<std::pair<std::string, analytics::RateCard>>;
  return read<Cards>("list_rate_cards", [&](Connection& db) -> Result<Cards> {
    auto stmt = db.prepare(
        "SELECT carrier_id, per_stop, per_km, per_parcel, currency FROM analytics_rate_cards WHERE tenant_id = ? "
        "ORDER BY carrier_id");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str());
    using Card = std::pair<std::string, analytics::RateCard>;
    return fetch_all<Card>(*stmt, [](const Statement& s) -> Result<Card> {
      return Card{s.text(0), analytics::RateCard{s.real(1), s.real(2), s.real(3), s.text(4)}};
    });
  });
}

Result<analytics::Targets> SqliteStore::get_targets(const core::TenantId& tenant) {
  return read<analytics::Targets>("get_targets", [&](Connection& db) -> Result<analytics::Targets> {
    auto stmt = db.prepare(
        "SELECT on_time_rate, first_attempt_rate, csat, nps, tracking_quality, lateness_p90_min, cost_per_delivery "
        "FROM analytics_targets WHERE tenant_id = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str()).step();
    if (!row) return row.error();
    analytics::Targets t;
    if (!*row) return t;
    std::optional<double>* fields[] = {&t.on_time_rate,     &t.first_attempt_rate, &t.csat, &t.nps, &t.tracking_quality,
                                       &t.lateness_p90_min, &t.cost_per_delivery};
    for (int i = 0; i < 7; ++i) *fields[i] = stmt->optional_real(i);
    return t;
  });
}

Status SqliteStore::put_targets(const core::TenantId& tenant, const analytics::Targets& t, core::Timestamp at) {
  return write("put_targets", [&](Connection& db, Events&) -> Status {
    static const std::string kPut =
        sql({"INSERT INTO analytics_targets (tenant_id, on_time_rate, first_attempt_rate, csat, nps, "
             "tracking_quality, lateness_p90_min, cost_per_delivery, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             upsert_tail("tenant_id", "on_time_rate, first_attempt_rate, csat, nps, tracking_quality, "
                                      "lateness_p90_min, cost_per_delivery, updated_at")});
    auto stmt = db.prepare(kPut);
    if (!stmt) return stmt.error();
    return stmt
        ->bind_all(tenant.str(), t.on_time_rate, t.first_attempt_rate, t.csat, t.nps, t.tracking_quality,
                   t.lateness_p90_min, t.cost_per_delivery, at.ms)
        .run();
  });
}

}  // namespace lastmile::storage::sqlite
