#pragma once
// The tracker protocol listeners of `lastmile serve`, next to the main HTTP server:
//  - the OsmAnd / Traccar Client listener (--osmand HOST:PORT; default: the --http host, port 5055;
//    "off" disables it): a second api::Server with its own router (api/osmand_routes.hpp) on the
//    same services; every request runs on the blocking pool (GET writes). Prints
//    "osmand listening on HOST:PORT" to stdout once bound (port 0 shows the port chosen).
//  - the OwnTracks MQTT subscriber (--mqtt mqtt://[user:pass@]HOST:PORT; off when empty): subscribes
//    to owntracks/+/+ with QoS 1 and feeds mqtt::OwnTracksMqttIngest. Prints "mqtt subscribed to
//    owntracks/+/+ on mqtt://HOST:PORT" to stdout after each (re)subscription, and keeps the gauge
//    lastmile_mqtt_connected (1 while connected).
//
// Threading: start() and join() from the thread that runs serve(); stop() from any thread (the
// signal handler). Lifetime: `services` and everything it refers to outlive this object.

#include <memory>
#include <string>
#include <thread>

#include "api/context.hpp"
#include "app/serve_command.hpp"

namespace lastmile::api {
class Router;
class Server;
}  // namespace lastmile::api
namespace lastmile::mqtt {
class MqttSubscriber;
class OwnTracksMqttIngest;
}  // namespace lastmile::mqtt

namespace lastmile::app {

class TrackerListeners {
 public:
  // `http_host` is the main server's host (the OsmAnd listener's default host).
  // REQUIRES: services.pipeline and services.devices set.
  TrackerListeners(const ServeOptions& options, const std::string& http_host, const api::Services& services);
  ~TrackerListeners();  // stop() and join()
  TrackerListeners(const TrackerListeners&) = delete;
  TrackerListeners& operator=(const TrackerListeners&) = delete;

  // Binds the OsmAnd listener and starts serving on a thread of its own, then starts the MQTT
  // subscriber (which connects in the background). Throws std::runtime_error on a malformed
  // --osmand or --mqtt, std::system_error when the OsmAnd address cannot be bound.
  void start();
  // Stops the OsmAnd listener (returns at once; requests in flight finish) and the MQTT subscriber
  // (returns once its thread ended; a message being stored finishes first). Idempotent.
  void stop();
  // Waits until the OsmAnd listener has drained.
  void join();

 private:
  void start_osmand();
  void start_mqtt();

  const ServeOptions& options_;
  std::string http_host_;
  const api::Services& services_;
  std::unique_ptr<api::Router> osmand_router_;
  std::unique_ptr<api::Server> osmand_server_;
  std::thread osmand_thread_;
  std::unique_ptr<mqtt::OwnTracksMqttIngest> owntracks_;
  std::unique_ptr<mqtt::MqttSubscriber> subscriber_;
};

}  // namespace lastmile::app
