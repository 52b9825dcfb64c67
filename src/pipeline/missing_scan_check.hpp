#pragma once
// Missing-scan detection at stop completion (DESIGN.md R15, issue 7): the store side of
// domain::find_missing_scans. When the geofence completes a stop, every delivered shipment of it
// whose parcels lack a `loaded` or `delivered` scan gets a `missing_scan` event (payload: barcodes,
// route_id, stop_id), which opens a `missing_scan` case in the exception queue.
//
// Threading: called on a shard's effects worker after the stop visit is stored.

#include <vector>

#include "core/error.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

// Reads the shipments and their scans, decides, and appends one event per shipment with missing
// scans (actor "system", source "geofence", at = `at`). Returns how many events were stored.
// Errors: the store's.
core::Result<int> record_missing_scans(storage::Store& store, const core::TenantId& tenant,
                                       const storage::StopVisit& visit, const std::vector<core::ShipmentId>& shipments,
                                       core::Timestamp at, core::Timestamp now);

}  // namespace lastmile::pipeline
