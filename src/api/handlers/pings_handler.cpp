// POST /v1/pings: the driver app's batches of GPS fixes (device token). Decode → filter → durable
// write → acknowledge: the reply comes only after the accepted points are on disk.
#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "ingest/protocols/json_batch/json_batch_decoder.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;

namespace {
constexpr size_t kMaxPointsPerBatch = 1000;
}  // namespace

Result<Reply> post_pings(const Services& s, RequestContext& ctx) {
  auto batch = ingest::json_batch::decode(ctx.req.body(), kMaxPointsPerBatch);
  if (!batch) return batch.error();
  const core::DriverId driver = *ctx.principal->driver_id;

  auto entry = s.driver_states->entry(driver);
  std::lock_guard lock(entry->mu);  // this driver's batches apply one at a time, in order
  const tracking::DriverTrackState before = entry->state;
  std::vector<ingest::Ping> keep;
  json::array rejected;
  int accepted = 0, late = 0, duplicates = 0;
  for (size_t i = 0; i < batch->size(); ++i) {
    auto r = tracking::filter_ping(entry->state, (*batch)[i], driver, ctx.now, s.filter_params);
    switch (r.verdict) {
      case tracking::Verdict::kAccepted: ++accepted; keep.push_back(std::move(*r.ping)); break;
      case tracking::Verdict::kLate: ++late; keep.push_back(std::move(*r.ping)); break;
      case tracking::Verdict::kDuplicate: ++duplicates; break;
      case tracking::Verdict::kRejected:
        rejected.push_back(json::object{{"index", i}, {"reason", tracking::reject_reason_name(*r.reason)}});
        break;
    }
  }
  int stored = 0;
  if (!keep.empty()) {
    auto written = s.store.append_track_points(ctx.tenant(), driver, keep);
    if (!written) {
      entry->state = before;  // not durable: a retry must not be mistaken for duplicates
      return written.error();
    }
    stored = *written;
  }
  json::object out{{"received", batch->size()}, {"accepted", accepted}, {"late", late},
                   {"duplicates", duplicates}, {"stored", stored}, {"rejected", std::move(rejected)}};
  return json_reply(200, to_json(out));
}

}  // namespace lastmile::api::handlers
