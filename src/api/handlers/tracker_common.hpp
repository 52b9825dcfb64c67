#pragma once
// What the tracker protocol handlers (osmand_handler.cpp, owntracks_handler.cpp) share: reading a
// device's secret from the Authorization header, and counting into the process's metrics.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"
#include "pipeline/tracker_ingest.hpp"

namespace lastmile::api {

// "Bearer <token>" (scheme case-insensitive) → the token; empty for anything else.
std::string_view bearer_token(std::string_view authorization);

struct BasicCredentials {
  std::string user;
  std::string password;
};
// "Basic <base64(user:password)>" → user and password; nullopt for anything else.
std::optional<BasicCredentials> basic_credentials(std::string_view authorization);

// Counts into `metrics` (which must outlive the returned function).
pipeline::CountFn metrics_counter(Metrics& metrics);

// The TrackerIngest for `protocol`, or kUnavailable when the server runs without the pipeline or
// the device directory (a wiring error, or a test that does not need them).
core::Result<pipeline::TrackerIngest> tracker_ingest(const Services& services, std::string_view protocol);

// Called with an ingest error: an unknown device or a wrong device secret counts as a failed lookup
// of the request's address (api/rate_limiter.hpp), so device ids and secrets cannot be guessed at
// speed. Holds a copy of the address; `services` must outlive it.
std::function<void(const core::Error&)> failed_lookup_counter(const Services& services, const RequestContext& ctx);

}  // namespace lastmile::api
