#include "app/tracker_listeners.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "api/handlers/tracker_common.hpp"
#include "api/osmand_routes.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "app/listen_address.hpp"
#include "ingest/protocols/osmand/osmand_decoder.hpp"
#include "mqtt/mqtt_subscriber.hpp"
#include "mqtt/mqtt_url.hpp"
#include "mqtt/owntracks_mqtt_ingest.hpp"

namespace lastmile::app {
namespace {

constexpr unsigned short kDefaultOsmandPort = 5055;  // Traccar's port for this protocol
constexpr std::string_view kConnectedGauge = "lastmile_mqtt_connected";
constexpr std::string_view kConnectedHelp = "1 while the MQTT subscriber is connected to its broker.";

}  // namespace

TrackerListeners::TrackerListeners(const ServeOptions& options, const std::string& http_host,
                                   const api::Services& services)
    : options_(options), http_host_(http_host), services_(services) {}

TrackerListeners::~TrackerListeners() {
  stop();
  join();
}

void TrackerListeners::start() {
  if (!services_.pipeline || !services_.devices)
    throw std::logic_error("tracker listeners need the pipeline");
  // A malformed --mqtt fails the start before anything listens.
  if (!options_.mqtt.empty()) {
    auto url = mqtt::parse_mqtt_url(options_.mqtt);
    if (!url) throw std::runtime_error(url.error().message);
  }
  start_osmand();
  start_mqtt();
}

void TrackerListeners::start_osmand() {
  if (options_.osmand == "off") {
    spdlog::info("osmand listener off");
    return;
  }
  auto [host, port] = options_.osmand.empty() ? std::pair{http_host_, kDefaultOsmandPort}
                                              : split_host_port(options_.osmand, "--osmand");
  api::ServerOptions so;
  so.host = host;
  so.port = port;
  so.threads = std::clamp(options_.threads, 1, 2);  // parsing only: the work runs on the blocking pool
  so.blocking_threads = options_.blocking_threads;
  so.max_body_bytes = ingest::osmand::kMaxBytes;
  so.read_timeout = std::chrono::seconds(options_.read_timeout_s);
  apply_connection_limits(options_, so);
  so.every_request_blocks = true;  // OsmAnd writes on GET

  osmand_router_ = std::make_unique<api::Router>(api::osmand_route_table(), services_);
  osmand_server_ = std::make_unique<api::Server>(so, *osmand_router_, services_.metrics);
  osmand_server_->listen();
  const std::string shown_host = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host;
  spdlog::info("osmand listening on {}:{}", host, osmand_server_->bound_port());
  std::cout << "osmand listening on " << shown_host << ":" << osmand_server_->bound_port() << std::endl;
  osmand_thread_ = std::thread([this] { osmand_server_->run(); });
}

void TrackerListeners::start_mqtt() {
  if (options_.mqtt.empty()) return;
  auto url = mqtt::parse_mqtt_url(options_.mqtt);
  if (!url) throw std::runtime_error(url.error().message);

  owntracks_ = std::make_unique<mqtt::OwnTracksMqttIngest>(
      pipeline::TrackerIngest(*services_.pipeline, *services_.devices,
                              api::metrics_counter(services_.metrics), mqtt::OwnTracksMqttIngest::kProtocol),
      services_.clock);
  mqtt::SubscriberOptions so;
  so.broker = *url;
  const std::string where = mqtt::display_url(so.broker);
  const std::string filter = so.topic_filter;
  api::Metrics& metrics = services_.metrics;
  metrics.gauge_add(kConnectedGauge, kConnectedHelp, 0);
  subscriber_ = std::make_unique<mqtt::MqttSubscriber>(
      so,
      [this](std::string_view topic, std::string_view payload) { return owntracks_->handle(topic, payload); },
      [&metrics, where, filter, connected = false](mqtt::ConnectionState state) mutable {
        if (state == mqtt::ConnectionState::kConnected && !connected)
          metrics.gauge_add(kConnectedGauge, kConnectedHelp, 1);
        if (state == mqtt::ConnectionState::kDisconnected && connected)
          metrics.gauge_add(kConnectedGauge, kConnectedHelp, -1);
        if (state != mqtt::ConnectionState::kSubscribed)
          connected = state == mqtt::ConnectionState::kConnected;
        if (state == mqtt::ConnectionState::kSubscribed)
          std::cout << "mqtt subscribed to " << filter << " on " << where << std::endl;
      });
  spdlog::info("mqtt: subscribing to {} on {}", filter, where);
  subscriber_->start();
}

void TrackerListeners::stop() {
  if (osmand_server_) osmand_server_->stop();
  if (subscriber_) subscriber_->stop();
}

void TrackerListeners::join() {
  if (osmand_thread_.joinable()) osmand_thread_.join();
}

}  // namespace lastmile::app
