#include "pipeline/missing_scan_check.hpp"

#include <boost/json.hpp>

#include "core/json_writer.hpp"
#include "core/new_id.hpp"
#include "domain/custody.hpp"

namespace lastmile::pipeline {

namespace json = boost::json;

core::Result<int> record_missing_scans(storage::Store& store, const core::TenantId& tenant,
                                       const storage::StopVisit& visit, const std::vector<core::ShipmentId>& shipments,
                                       core::Timestamp at, core::Timestamp now) {
  std::vector<domain::ShipmentScans> input;
  for (const auto& id : shipments) {
    auto sh = store.get_shipment(tenant, id);
    if (!sh) return sh.error();
    if (sh->status != domain::Milestone::kDelivered) continue;
    auto scans = store.list_scans(tenant, id);
    if (!scans) return scans.error();
    input.push_back({id, sh->status, sh->parcels, std::move(*scans)});
  }
  int stored = 0;
  for (const auto& missing : domain::find_missing_scans(input)) {
    domain::Event e;
    e.id = core::new_id<core::EventId>();
    e.tenant_id = tenant;
    e.shipment_id = missing.shipment_id;
    e.type = "missing_scan";
    e.at = at;
    e.recorded_at = now;
    e.actor = "system";
    e.source = "geofence";
    json::array barcodes;
    for (const auto& b : missing.barcodes) barcodes.push_back(json::string(b));
    e.payload_json = core::to_json(json::object{
        {"barcodes", std::move(barcodes)}, {"route_id", visit.route_id.str()}, {"stop_id", visit.stop_id.str()}});
    auto st = store.append_event(e, domain::Milestone::kDelivered);
    if (!st) return st.error();
    ++stored;
  }
  return stored;
}

}  // namespace lastmile::pipeline
