#include "pipeline/retention.hpp"

#include <spdlog/spdlog.h>

namespace lastmile::pipeline {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

bool stop_requested(const std::atomic<bool>* stopping) { return stopping && stopping->load(); }

// Calls `step(limit)` until it returns fewer than `chunk`; adds to `total`.
template <typename F>
core::Status in_chunks(int chunk, const std::atomic<bool>* stopping, int64_t& total, F&& step) {
  for (;;) {
    core::Result<int> n = step(chunk);
    if (!n) return n.error();
    total += *n;
    if (*n < chunk || stop_requested(stopping)) return {};
  }
}

}  // namespace

Retention::Retention(storage::Store& store, const core::Clock& clock, RetentionOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  // Without per-tenant settings, nothing to do when the one default keeps everything.
  if (!store_.privacy() && options_.keep_days <= 0) return;
  job_ = std::make_unique<PeriodicJob>(options_.interval, [this](const std::atomic<bool>& stopping) {
    auto r = run_once(&stopping);
    if (!r) {
      spdlog::warn("retention failed: {}", r.error().message);
    } else if (r->track_points + r->photos_expired + r->messages_expired + r->blobs_removed > 0) {
      spdlog::info("retention: deleted {} track points, expired {} photos and {} chat messages, removed {} blobs",
                   r->track_points, r->photos_expired, r->messages_expired, r->blobs_removed);
    }
  });
}

Retention::~Retention() = default;

storage::RetentionDefaults Retention::defaults() const {
  return storage::RetentionDefaults{options_.keep_days, options_.photo_days, options_.chat_days, options_.blob_idle};
}

core::Result<int64_t> Retention::purge_all_tenants(core::Timestamp cutoff, const std::atomic<bool>* stopping) {
  int64_t total = 0;
  if (auto st = in_chunks(options_.chunk, stopping, total,
                          [&](int limit) { return store_.delete_track_points_before(cutoff, limit); });
      !st)
    return st.error();
  return total;
}

core::Status Retention::purge_tenant(storage::PrivacyStore& p, const storage::TenantRetention& t,
                                     RetentionReport& report, const std::atomic<bool>* stopping) {
  const auto days = storage::effective_retention(t.settings, defaults());
  const core::Timestamp now = clock_.now();
  auto cutoff = [&](int d) { return core::Timestamp{now.ms - int64_t{d} * kDayMs}; };
  if (days.track_days > 0) {
    if (auto st = in_chunks(options_.chunk, stopping, report.track_points, [&](int limit) {
          return p.delete_tenant_track_points_before(t.tenant, cutoff(days.track_days), limit);
        });
        !st)
      return st;
  }
  if (days.photo_days > 0) {
    if (auto st = in_chunks(options_.chunk, stopping, report.photos_expired, [&](int limit) {
          return p.expire_photos_before(t.tenant, cutoff(days.photo_days), now, limit);
        });
        !st)
      return st;
  }
  if (days.chat_days > 0) {
    if (auto st = in_chunks(options_.chunk, stopping, report.messages_expired, [&](int limit) {
          return p.expire_chat_messages_before(t.tenant, cutoff(days.chat_days), limit);
        });
        !st)
      return st;
  }
  return {};
}

core::Result<RetentionReport> Retention::run_once(const std::atomic<bool>* stopping) {
  RetentionReport report;
  storage::PrivacyStore* p = store_.privacy();
  if (!p) {
    if (options_.keep_days <= 0) return report;
    auto n = purge_all_tenants(core::Timestamp{clock_.now().ms - int64_t{options_.keep_days} * kDayMs}, stopping);
    if (!n) return n.error();
    report.track_points = *n;
  } else {
    auto tenants = p->list_retention();
    if (!tenants) return tenants.error();
    for (const auto& t : *tenants) {
      if (stop_requested(stopping)) break;
      if (auto st = purge_tenant(*p, t, report, stopping); !st) return st.error();
    }
    if (options_.blobs && !stop_requested(stopping)) {
      auto n = remove_unreferenced_blobs(*p, *options_.blobs, options_.blob_idle, options_.chunk, stopping);
      if (!n) return n.error();
      report.blobs_removed = *n;
    }
  }
  if (report.track_points > 0 && options_.on_purged) options_.on_purged(report.track_points);
  return report;
}

core::Result<int64_t> Retention::purge_once(const std::atomic<bool>* stopping) {
  auto r = run_once(stopping);
  if (!r) return r.error();
  return r->track_points;
}

namespace {

struct FileRemoval {
  int64_t removed = 0;  // files deleted now
  size_t gone = 0;      // of `shas`, no file remains (recorded in the store)
};

core::Result<FileRemoval> remove_files(storage::PrivacyStore& p, const storage::BlobStore& blobs,
                                       const std::vector<std::string>& shas, std::chrono::seconds idle) {
  FileRemoval out;
  std::vector<std::string> gone;
  for (const auto& sha : shas) {
    auto r = blobs.remove_if_idle(sha, idle);
    if (!r) return r.error();
    if (r->removed) ++out.removed;
    if (r->gone) gone.push_back(sha);
  }
  if (!gone.empty())
    if (auto st = p.mark_blobs_removed(gone); !st) return st.error();
  out.gone = gone.size();
  return out;
}

}  // namespace

core::Result<int64_t> remove_blob_files(storage::PrivacyStore& p, const storage::BlobStore& blobs,
                                        const std::vector<std::string>& shas, std::chrono::seconds idle) {
  auto r = remove_files(p, blobs, shas, idle);
  if (!r) return r.error();
  return r->removed;
}

core::Result<int64_t> remove_unreferenced_blobs(storage::PrivacyStore& p, const storage::BlobStore& blobs,
                                                std::chrono::seconds idle, int chunk,
                                                const std::atomic<bool>* stopping) {
  int64_t removed = 0;
  for (;;) {
    auto shas = p.unreferenced_expired_blobs(chunk);
    if (!shas) return shas.error();
    auto r = remove_files(p, blobs, *shas, idle);
    if (!r) return r.error();
    removed += r->removed;
    // Fewer than a chunk, or only recent files left (they wait for a later pass).
    if (static_cast<int>(shas->size()) < chunk || r->gone == 0 || stop_requested(stopping)) return removed;
  }
}

}  // namespace lastmile::pipeline
