// The OsmAnd / Traccar Client protocol, served by its own listener (default port 5055) as Traccar
// serves it: any method, any path, the position in the query string, a form body or the JSON body
// of Traccar Client 9+ (ingest/protocols/osmand/osmand_decoder.hpp). Replies, as Traccar's:
//   200, empty body  the position was taken: stored, or refused by the filter (a device must not
//                    resend a fix the filter will refuse again; refusals are counted)
//   400              an undecodable request, or an unknown device (nothing stored)
//   401              the tenant requires device secrets and the device token is missing or wrong;
//                    it is read from `Authorization: Bearer <token>`, else from the `token` parameter
//   413              a request over the decoder's limits
//   503 / 500        the store could not take it: the device keeps it and retries
// Error replies carry the usual JSON error body.
#include "api/handlers/handlers.hpp"
#include "api/handlers/tracker_common.hpp"
#include "api/http_error.hpp"
#include "ingest/protocols/osmand/osmand_decoder.hpp"

namespace lastmile::api::handlers {

namespace {

constexpr std::string_view kProtocol = "osmand";

Reply error_reply(int status, const core::Error& e) {
  Reply r;
  r.status = status;
  r.body = error_body(e);
  return r;
}

}  // namespace

void osmand(const Services& s, RequestContext& ctx, AsyncDone done) {
  auto ingest = tracker_ingest(s, kProtocol);
  if (!ingest) return done(ingest.error());

  auto ping = ingest::osmand::decode(ctx.url.encoded_query(), ctx.header(http::field::content_type),
                                     ctx.req.body(), ctx.now);
  if (!ping) {
    ingest->count_invalid();
    return done(ping.error());
  }
  std::string_view secret = bearer_token(ctx.header(http::field::authorization));
  if (secret.empty()) secret = ping->device_secret;

  // Answered once the position is durable; no thread waits for the commit.
  ingest->submit_async(*ping, secret, ctx.now, [done = std::move(done), failed = failed_lookup_counter(s, ctx)](
                                                   Result<pipeline::IngestOutcome> outcome) {
    if (!outcome) {
      failed(outcome.error());
      // Traccar answers an unknown device with 400 (not 404: the path does not matter here).
      if (outcome.error().code == core::ErrorCode::kNotFound) return done(error_reply(400, outcome.error()));
      return done(outcome.error());
    }
    Reply ok;
    ok.content_type = "text/plain; charset=utf-8";
    done(std::move(ok));
  });
}

}  // namespace lastmile::api::handlers
