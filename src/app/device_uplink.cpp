#include "app/device_uplink.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/json.hpp>

#include <chrono>
#include <exception>

#include "mqtt/mqtt_publisher.hpp"
#include "sim/device_messages.hpp"

namespace lastmile::app {
namespace {

namespace json = boost::json;
constexpr std::chrono::seconds kTimeout{30};

std::string basic_credentials(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  std::string out(4 * ((plain.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(plain.data()),
                  static_cast<int>(plain.size()));
  return "Basic " + out;
}

std::string http_failure(const char* what, const core::Result<HttpReply>& reply) {
  return reply ? fmt::format("{}: HTTP {} {}", what, reply->status, reply->body.substr(0, 300))
               : fmt::format("{}: {}", what, reply.error().message);
}

}  // namespace

DeviceUplink::DeviceUplink(const UplinkTargets& t, const std::string& client_id) : api_(t.api, kTimeout) {
  if (t.osmand) osmand_ = std::make_unique<HttpClient>(*t.osmand, kTimeout);
  if (t.mqtt) {
    mqtt::MqttUrl broker = *t.mqtt;
    broker.client_id = client_id;
    try {
      mqtt_ = std::make_unique<mqtt::MqttPublisher>(std::move(broker), kTimeout);
    } catch (const std::exception& e) {  // libmosquitto could not create a client: every publish fails
      mqtt_error_ = e.what();
    }
  }
}

DeviceUplink::~DeviceUplink() = default;

UplinkReply DeviceUplink::send(const SimDevice& device, const std::vector<sim::SimPing>& fixes, int battery_pct) {
  if (device.protocol == sim::DeviceProtocol::kJson) return send_json(device, fixes, battery_pct);
  UplinkReply out;
  for (const sim::SimPing& fix : fixes) {
    out.error = send_one(device, fix, battery_pct);
    if (out.error) break;
    ++out.acknowledged;
  }
  return out;
}

UplinkReply DeviceUplink::send_json(const SimDevice& device, const std::vector<sim::SimPing>& fixes,
                                    int battery_pct) {
  UplinkReply out;
  auto reply = api_.request("POST", "/v1/pings", device.token, sim::json_batch_body(fixes, battery_pct));
  if (!reply || reply->status != 200) return out.error = http_failure("pings", reply), out;
  boost::system::error_code ec;
  const json::value v = json::parse(reply->body, ec);
  if (ec || !v.is_object()) return out.error = "pings: answer is not a JSON object", out;
  const json::object& o = v.as_object();
  for (const char* k : {"accepted", "late", "duplicates"}) {
    if (const json::value* x = o.if_contains(k); x != nullptr && x->is_int64())
      out.acknowledged += static_cast<uint64_t>(x->as_int64());
  }
  if (const json::value* r = o.if_contains("rejected"); r != nullptr && r->is_array()) {
    for (const json::value& x : r->as_array()) {
      const json::value* reason = x.is_object() ? x.as_object().if_contains("reason") : nullptr;
      out.rejected.push_back(reason != nullptr && reason->is_string() ? reason->as_string().c_str() : "?");
    }
  }
  return out;
}

// One fix of a tracker app; the error, if any.
std::optional<std::string> DeviceUplink::send_one(const SimDevice& device, const sim::SimPing& fix,
                                                  int battery_pct) {
  switch (device.protocol) {
    case sim::DeviceProtocol::kOsmand: {
      if (!osmand_) return std::string("osmand: no OsmAnd listener given");
      // Traccar Client: a POST with the fix in the query string and no body; 200 = taken.
      auto reply = osmand_->request("POST", sim::osmand_target(device.device_id, device.token, fix, battery_pct), "");
      if (!reply || reply->status != 200) return http_failure("osmand", reply);
      return std::nullopt;
    }
    case sim::DeviceProtocol::kOwntracksHttp: {
      const size_t slash = device.device_id.find('/');
      const std::string user = device.device_id.substr(0, slash), phone = device.device_id.substr(slash + 1);
      auto reply = api_.request("POST", "/v1/owntracks", "", sim::owntracks_location(fix, device.tid, battery_pct),
                                {{"Authorization", basic_credentials(user, device.token)},
                                 {"X-Limit-U", user},
                                 {"X-Limit-D", phone}});
      if (!reply || reply->status != 200) return http_failure("owntracks", reply);
      return std::nullopt;
    }
    case sim::DeviceProtocol::kOwntracksMqtt: {
      if (!mqtt_) return "mqtt: " + (mqtt_error_.empty() ? std::string("no broker given") : mqtt_error_);
      const core::Status s = mqtt_->publish(sim::owntracks_topic(device.device_id),
                                            sim::owntracks_location(fix, device.tid, battery_pct));
      if (!s) return "mqtt: " + s.error().message;
      return std::nullopt;
    }
    case sim::DeviceProtocol::kJson:
      break;
  }
  return "json fixes go in batches";
}

}  // namespace lastmile::app
