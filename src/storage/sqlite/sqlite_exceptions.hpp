#pragma once
// The exception queue's rows and the derivation of cases from events. Every function runs on the
// connection it is given, inside the caller's transaction: apply_exception_signals is called by
// insert_event_row for every stored event, so a case is committed with the event that raised or
// cleared it (nothing to lose between the two).

#include <optional>
#include <string_view>
#include <vector>

#include "domain/exception_queue.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

inline constexpr std::string_view kExceptionColumns =
    "seq, id, tenant_id, kind, status, shipment_id, driver_id, route_id, first_seen_at, last_seen_at, raise_count, "
    "details, acknowledged_at, acknowledged_by, acknowledged_role, resolved_at, resolved_by, resolved_role, "
    "resolution, revision, created_at, updated_at";
inline constexpr std::string_view kExceptionEntryColumns = "kind, at, actor, role, note, event_id, resolution";

Result<domain::ExceptionCase> exception_from_row(const Statement& s);
Result<domain::ExceptionEntry> exception_entry_from_row(const Statement& s);

// Opens, counts or resolves the cases `event` signals (domain::exception_signals). REQUIRES: the
// event is stored (it has its shipment in its tenant).
Status apply_exception_signals(Connection& db, const domain::Event& event);

// Appends one line to a case's history.
Status insert_exception_entry(Connection& db, const core::TenantId& tenant, const core::ExceptionId& id,
                              const domain::ExceptionEntry& entry);

// The case, or kNotFound ("exception not found") when not this tenant's.
Result<domain::ExceptionCase> load_exception(Connection& db, const core::TenantId& tenant,
                                             const core::ExceptionId& id);

}  // namespace lastmile::storage::sqlite
