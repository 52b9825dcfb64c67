// POST /v1/owntracks: the OwnTracks app in HTTP mode (https://owntracks.org/booklet/tech/http/).
// The app posts one JSON message per request; its user and device come from `?u=&d=` or the
// X-Limit-U / X-Limit-D headers it sends (the user also from the Basic credentials), and the
// driver whose device_id is "<user>/<device>" gets the position. The device secret (the driver's
// device token, required when the tenant requires device secrets) is the Basic password — what the
// app sends when a password is configured — or `Authorization: Bearer <token>`.
// Replies: 200 `[]` (the app reads the body as a list of messages for it) for a position taken —
// stored or refused by the filter — and for messages that are not positions (ignored); 400 for an
// undecodable message or missing user/device; 401 for a missing or wrong secret; 404 for an
// unknown device; 503 / 500 when the store could not take it (the app queues and retries).
#include "api/handlers/handlers.hpp"
#include "api/handlers/tracker_common.hpp"
#include "ingest/protocols/owntracks/owntracks_decoder.hpp"

namespace lastmile::api::handlers {

namespace {

constexpr std::string_view kProtocol = "owntracks_http";

Reply empty_list() { return json_reply(200, "[]"); }

}  // namespace

void post_owntracks(const Services& s, RequestContext& ctx, AsyncDone done) {
  auto ingest = tracker_ingest(s, kProtocol);
  if (!ingest) return done(ingest.error());

  const auto basic = basic_credentials(ctx.header(http::field::authorization));
  std::string user = ctx.query("u").value_or(std::string(ctx.header("X-Limit-U")));
  if (user.empty() && basic) user = basic->user;
  const std::string device = ctx.query("d").value_or(std::string(ctx.header("X-Limit-D")));
  if (user.empty())
    return done(core::Error{core::ErrorCode::kMissingField, "the OwnTracks user is required (?u= or X-Limit-U)",
                            "u"});
  if (device.empty())
    return done(core::Error{core::ErrorCode::kMissingField,
                            "the OwnTracks device is required (?d= or X-Limit-D)", "d"});

  auto message = ingest::owntracks::decode(ctx.req.body(), user, device);
  if (!message) {
    ingest->count_invalid();
    return done(message.error());
  }
  if (!*message) return done(empty_list());  // not a position: ignored

  const std::string_view secret =
      basic ? std::string_view(basic->password) : bearer_token(ctx.header(http::field::authorization));
  // Answered once the position is durable; no thread waits for the commit.
  ingest->submit_async(**message, secret, ctx.now, [done = std::move(done), failed = failed_lookup_counter(s, ctx)](
                                                     Result<pipeline::IngestOutcome> outcome) {
    if (!outcome) {
      failed(outcome.error());
      return done(outcome.error());
    }
    done(empty_list());
  });
}

}  // namespace lastmile::api::handlers
