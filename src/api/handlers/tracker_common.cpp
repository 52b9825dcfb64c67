#include "api/handlers/tracker_common.hpp"

#include <algorithm>
#include <cctype>

#include "api/rate_limiter.hpp"
#include "core/crypto.hpp"

namespace lastmile::api {
namespace {

// `header` = "<scheme> <rest>" with the scheme compared case-insensitively → rest without leading
// spaces; nullopt otherwise.
std::optional<std::string_view> credentials_of(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return std::nullopt;
  if (!std::equal(scheme.begin(), scheme.end(), header.begin(),
                  [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); }))
    return std::nullopt;
  std::string_view rest = header.substr(scheme.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  return rest;
}

}  // namespace

std::string_view bearer_token(std::string_view authorization) {
  return credentials_of(authorization, "Bearer").value_or(std::string_view{});
}

std::optional<BasicCredentials> basic_credentials(std::string_view authorization) {
  auto encoded = credentials_of(authorization, "Basic");
  if (!encoded) return std::nullopt;
  auto decoded = core::base64_decode(*encoded);
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

pipeline::CountFn metrics_counter(Metrics& metrics) {
  return
      [&metrics](std::string_view name, std::string_view help, uint64_t n) { metrics.count(name, help, n); };
}

core::Result<pipeline::TrackerIngest> tracker_ingest(const Services& services, std::string_view protocol) {
  if (!services.pipeline || !services.devices)
    return core::Error{core::ErrorCode::kUnavailable, "position ingest is not available", ""};
  return pipeline::TrackerIngest(*services.pipeline, *services.devices, metrics_counter(services.metrics),
                                 protocol);
}

std::function<void(const core::Error&)> failed_lookup_counter(const Services& services, const RequestContext& ctx) {
  return [limits = services.rate_limits, &clock = services.clock, peer = std::string(ctx.peer)](const core::Error& e) {
    if (e.code == core::ErrorCode::kNotFound || e.code == core::ErrorCode::kUnauthenticated)
      count_failed_lookup(limits, peer, clock.now().ms);
  };
}

}  // namespace lastmile::api
