// Post-delivery surveys (storage/survey_store.hpp): the survey row and its events in one transaction.
#include <sstream>

#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::Error;

constexpr std::string_view kSurveyColumns =
    "v.seq, v.tenant_id, v.shipment_id, s.tracking_number, v.stars, v.nps, v.comment, v.tags, v.source, "
    "v.carrier_id, v.driver_id, v.created_at";

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string t; std::getline(in, t, ',');)
    if (!t.empty()) out.push_back(t);
  return out;
}

Result<SurveyRecord> survey_from_row(Statement& st) {
  SurveyRecord r;
  r.seq = st.int64(0);
  r.tenant_id = core::TenantId(st.text(1));
  r.shipment_id = core::ShipmentId(st.text(2));
  r.tracking_number = st.text(3);
  r.answer.stars = static_cast<int>(st.int64(4));
  if (auto nps = st.optional_int64(5)) r.answer.nps = static_cast<int>(*nps);
  r.answer.comment = st.text(6);
  r.answer.tags = split_tags(st.text(7));
  r.answer.source = domain::parse_survey_source(st.text(8)).value_or(domain::SurveySource::kPage);
  if (auto c = st.optional_text(9)) r.carrier_id = core::CarrierId(*c);
  if (auto d = st.optional_text(10)) r.driver_id = core::DriverId(*d);
  r.created_at = core::Timestamp{st.int64(11)};
  return r;
}

struct ShipmentFacts {
  std::string status;
  std::string tracking_number;
  std::optional<std::string> carrier_id;
  std::optional<std::string> driver_id;
};

Result<ShipmentFacts> shipment_facts(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id) {
  auto stmt = db.prepare(
      "SELECT s.status, s.tracking_number, s.carrier_id, r.driver_id FROM shipments s "
      "LEFT JOIN routes r ON r.tenant_id = s.tenant_id AND r.id = s.route_id WHERE s.tenant_id = ? AND s.id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  return ShipmentFacts{stmt->text(0), stmt->text(1), stmt->optional_text(2), stmt->optional_text(3)};
}

Result<std::optional<SurveyRecord>> find_survey(Connection& db, const core::TenantId& tenant,
                                                const core::ShipmentId& id) {
  auto stmt = db.prepare(sql({"SELECT ", kSurveyColumns,
                              " FROM surveys v JOIN shipments s ON s.tenant_id = v.tenant_id AND s.id = v.shipment_id "
                              "WHERE v.tenant_id = ? AND v.shipment_id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), id.str());
  return fetch_optional<SurveyRecord>(*stmt, survey_from_row);
}

}  // namespace

Result<SurveyRecord> SqliteStore::add_survey(const SurveyRecord& survey, const std::vector<domain::Event>& events) {
  SurveyRecord out = survey;
  Status st = write("add_survey", [&](Connection& db, Events& committed) -> Status {
    auto facts = shipment_facts(db, survey.tenant_id, survey.shipment_id);
    if (!facts) return facts.error();
    if (facts->status != domain::milestone_name(domain::Milestone::kDelivered))
      return Error{core::ErrorCode::kIllegalTransition,
                   "a shipment can be rated once it is delivered; it is " + facts->status, ""};
    auto seen = find_survey(db, survey.tenant_id, survey.shipment_id);
    if (!seen) return seen.error();
    if (*seen) return Error{core::ErrorCode::kConflict, "this delivery has already been rated", ""};
    const auto& a = survey.answer;
    auto insert = db.prepare(
        "INSERT INTO surveys (tenant_id, shipment_id, stars, nps, comment, tags, source, carrier_id, driver_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq");
    if (!insert) return insert.error();
    std::optional<int64_t> nps;
    if (a.nps) nps = *a.nps;
    auto row = insert
                   ->bind_all(survey.tenant_id.str(), survey.shipment_id.str(), static_cast<int64_t>(a.stars), nps,
                              a.comment, join_tags(a.tags), domain::survey_source_name(a.source), facts->carrier_id,
                              facts->driver_id, survey.created_at.ms)
                   .step();
    if (!row) return row.error();
    if (!*row) return Error::internal();
    out.seq = insert->int64(0);
    if (auto st = insert->run(); !st) return st;
    out.tracking_number = facts->tracking_number;
    out.carrier_id = facts->carrier_id ? std::optional(core::CarrierId(*facts->carrier_id)) : std::nullopt;
    out.driver_id = facts->driver_id ? std::optional(core::DriverId(*facts->driver_id)) : std::nullopt;
    for (domain::Event e : events) {
      e.tenant_id = survey.tenant_id;
      e.shipment_id = survey.shipment_id;
      e.milestone.reset();
      auto stored = insert_event_row(db, std::move(e));
      if (!stored) return stored.error();
      committed.push_back(*stored);
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::optional<SurveyRecord>> SqliteStore::get_survey(const core::TenantId& tenant,
                                                            const core::ShipmentId& shipment) {
  using Found = std::optional<SurveyRecord>;
  return read<Found>("get_survey", [&](Connection& db) -> Result<Found> {
    auto facts = shipment_facts(db, tenant, shipment);
    if (!facts) return facts.error();
    return find_survey(db, tenant, shipment);
  });
}

Result<std::vector<SurveyRecord>> SqliteStore::list_surveys(const core::TenantId& tenant, const SurveyFilter& f,
                                                            int limit) {
  using Rows = std::vector<SurveyRecord>;
  return read<Rows>("list_surveys", [&](Connection& db) -> Result<Rows> {
    auto stmt = db.prepare(sql({"SELECT ", kSurveyColumns,
                                " FROM surveys v JOIN shipments s ON s.tenant_id = v.tenant_id AND s.id = v.shipment_id "
                                "WHERE v.tenant_id = ? AND v.created_at >= ? AND v.created_at < ? "
                                "AND (CAST(? AS TEXT) IS NULL OR v.carrier_id = ?) AND (CAST(? AS TEXT) IS NULL OR v.driver_id = ?) "
                                "ORDER BY v.seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    std::optional<std::string> carrier, driver;
    if (f.carrier_id) carrier = f.carrier_id->str();
    if (f.driver_id) driver = f.driver_id->str();
    stmt->bind_all(tenant.str(), f.from ? f.from->ms : std::numeric_limits<int64_t>::min(),
                   f.to ? f.to->ms : std::numeric_limits<int64_t>::max(), carrier, carrier, driver, driver,
                   static_cast<int64_t>(std::clamp(limit, 1, 10000)));
    return fetch_all<SurveyRecord>(*stmt, survey_from_row);
  });
}

}  // namespace lastmile::storage::sqlite
