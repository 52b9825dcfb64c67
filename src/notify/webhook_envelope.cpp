#include "notify/webhook_envelope.hpp"

#include <boost/json.hpp>

#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace lastmile::notify {

namespace json = boost::json;

namespace {

json::object event_json(const domain::Event& e) {
  json::value payload = json::object{};
  boost::system::error_code ec;
  if (!e.payload_json.empty()) {
    auto parsed = json::parse(e.payload_json, ec);
    if (!ec) payload = std::move(parsed);
  }
  json::value location = nullptr;
  if (e.location) location = json::object{{"lat", e.location->lat()}, {"lon", e.location->lon()}};
  return {{"id", e.id.str()},
          {"shipment_id", e.shipment_id.str()},
          {"type", e.type},
          {"at", core::format_iso8601(e.at)},
          {"recorded_at", core::format_iso8601(e.recorded_at)},
          {"actor", e.actor},
          {"source", e.source},
          {"location", std::move(location)},
          {"payload", std::move(payload)}};
}

}  // namespace

std::string webhook_envelope(const domain::Event& e, std::string_view type, const ShipmentSummary& shipment) {
  json::object s{{"id", shipment.id.str()},
                 {"tracking_number", shipment.tracking_number},
                 {"status", shipment.status}};
  if (shipment.external_order_id) s["external_order_id"] = *shipment.external_order_id;
  return core::to_json(json::object{{"event_id", e.id.str()},
                                    {"type", type},
                                    {"occurred_at", core::format_iso8601(e.at)},
                                    {"version", kWebhookVersion},
                                    {"tenant_id", e.tenant_id.str()},
                                    {"data", json::object{{"shipment", std::move(s)}, {"event", event_json(e)}}}});
}

std::string validation_body(std::string_view check) {
  return core::to_json(json::object{{"type", "webhook.validation"}, {"check", check}});
}

}  // namespace lastmile::notify
