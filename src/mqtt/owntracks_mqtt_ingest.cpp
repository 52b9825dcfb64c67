#include "mqtt/owntracks_mqtt_ingest.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

#include "ingest/protocols/owntracks/owntracks_decoder.hpp"

namespace lastmile::mqtt {
namespace {

struct TopicIdentity {
  std::string_view user;
  std::string_view device;
};

// "owntracks/<user>/<device>" → user and device; nullopt for any other shape.
std::optional<TopicIdentity> identity_of(std::string_view topic) {
  constexpr std::string_view kRoot = "owntracks/";
  if (!topic.starts_with(kRoot)) return std::nullopt;
  topic.remove_prefix(kRoot.size());
  const size_t slash = topic.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  TopicIdentity id{topic.substr(0, slash), topic.substr(slash + 1)};
  if (id.user.empty() || id.device.empty() || id.device.find('/') != std::string_view::npos)
    return std::nullopt;
  return id;
}

}  // namespace

OwnTracksMqttIngest::OwnTracksMqttIngest(pipeline::TrackerIngest ingest, const core::Clock& clock)
    : ingest_(std::move(ingest)), clock_(clock) {}

Disposition OwnTracksMqttIngest::handle(std::string_view topic, std::string_view payload) {
  const core::Timestamp received_at = clock_.now();
  auto id = identity_of(topic);
  if (!id) {
    ingest_.count_invalid();
    spdlog::debug("mqtt: ignored a message on topic {}", topic);
    return Disposition::kAcknowledge;
  }
  auto message = ingest::owntracks::decode(payload, id->user, id->device);
  if (!message) {
    ingest_.count_invalid();
    spdlog::debug("mqtt: undecodable OwnTracks message on {}: {}", topic, message.error().message);
    return Disposition::kAcknowledge;
  }
  if (!*message) return Disposition::kAcknowledge;  // not a position

  auto outcome = ingest_.submit_trusted(**message, received_at);
  if (outcome) return Disposition::kAcknowledge;
  switch (outcome.error().code) {
    case core::ErrorCode::kUnavailable:
    case core::ErrorCode::kInternal:
      spdlog::warn("mqtt: position on {} not stored ({}); the broker will resend it", topic,
                   outcome.error().message);
      return Disposition::kRedeliver;
    default:
      spdlog::debug("mqtt: position on {} dropped: {}", topic, outcome.error().message);
      return Disposition::kAcknowledge;
  }
}

}  // namespace lastmile::mqtt
