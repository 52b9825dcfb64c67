// POST /v1/pings: the driver app's batches of GPS fixes (device token). Decode, then the live
// pipeline (pipeline/ingest_pipeline.hpp): the reply comes only after the accepted points are on disk.
#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "ingest/protocols/json_batch/json_batch_decoder.hpp"
#include "api/handlers/tracker_common.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "pipeline/tracker_ingest.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;

namespace {
constexpr size_t kMaxPointsPerBatch = 1000;
}  // namespace

json::object ingest_outcome_json(const pipeline::IngestOutcome& o) {
  json::array rejected;
  for (const auto& r : o.rejected)
    rejected.push_back(json::object{{"index", r.index}, {"reason", tracking::reject_reason_name(r.reason)}});
  return json::object{{"received", o.received}, {"accepted", o.accepted}, {"late", o.late},
                      {"duplicates", o.duplicates}, {"stored", o.stored}, {"rejected", std::move(rejected)}};
}

void post_pings(const Services& s, RequestContext& ctx, AsyncDone done) {
  auto batch = ingest::json_batch::decode(ctx.req.body(), kMaxPointsPerBatch);
  if (!batch) return done(batch.error());
  const pipeline::Device device{ctx.tenant(), *ctx.principal->driver_id};
  // The reply waits for the commit, not a thread: the pipeline calls back once the points are durable.
  s.pipeline->submit_async(device, std::move(*batch), ctx.now,
                           [&s, done = std::move(done)](Result<pipeline::IngestOutcome> outcome) {
                             if (!outcome) return done(outcome.error());
                             pipeline::count_outcome(metrics_counter(s.metrics), "json_batch", *outcome);
                             done(json_reply(200, to_json(ingest_outcome_json(*outcome))));
                           });
}

}  // namespace lastmile::api::handlers
