#pragma once
// What the live hub carries: a message already serialised for its audiences, and the topics that
// say who receives it. Publishers (the event bus subscriber in app/, the ingest pipeline) build
// LiveMessages; the hub never looks inside the JSON and applies no privacy rule of its own — a
// publisher that must not show something to customers leaves `public_json` null or does not name
// the shipment topic.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.hpp"

namespace lastmile::push {

// A subscription key. `id` is the public id of the tenant, route or shipment it names.
struct Topic {
  enum class Kind : uint8_t { kTenant, kRoute, kShipment };
  Kind kind = Kind::kTenant;
  std::string id;

  static Topic tenant(const core::TenantId& id) { return {Kind::kTenant, id.str()}; }
  static Topic route(const core::RouteId& id) { return {Kind::kRoute, id.str()}; }
  static Topic shipment(const core::ShipmentId& id) { return {Kind::kShipment, id.str()}; }

  bool operator==(const Topic&) const = default;
};

// Who a subscriber is: staff (tenant and route subscriptions) see `staff_json`; the public (a
// customer holding a tracking token) sees `public_json` only and nothing when it is null.
enum class Audience : uint8_t { kStaff, kPublic };

struct LiveMessage {
  enum class Kind : uint8_t { kPosition, kEvent, kStop, kException, kEta, kMessage };  // kMessage: a chat message
  Kind kind = Kind::kEvent;
  // Events only: the event's global_seq, the resume cursor (strictly increasing in publish order).
  int64_t event_seq = 0;
  // Positions only: the driver id. A newer position replaces an older one its subscriber has not
  // been sent yet; other kinds are never replaced or dropped.
  std::string coalesce_key;
  // Who receives it: every subscriber with at least one of these topics (once, however many match).
  std::vector<Topic> topics;
  // The message text, serialised once and shared by every subscriber. Either may be null: nobody
  // of that audience receives the message.
  std::shared_ptr<const std::string> staff_json;
  std::shared_ptr<const std::string> public_json;

  const std::shared_ptr<const std::string>& json_for(Audience a) const {
    return a == Audience::kPublic ? public_json : staff_json;
  }
};

using LiveMessagePtr = std::shared_ptr<const LiveMessage>;

}  // namespace lastmile::push

template <>
struct std::hash<lastmile::push::Topic> {
  size_t operator()(const lastmile::push::Topic& t) const noexcept {
    return std::hash<std::string>{}(t.id) * 31 + static_cast<size_t>(t.kind);
  }
};
