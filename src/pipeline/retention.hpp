#pragma once
// Retention (docs/privacy.md): a background thread deletes what the tenants keep no longer, in
// bounded chunks (so the writer is never held for long), once at start and then every `interval`:
// - raw track points whose fix time is older than the tenant's track days;
// - proof images whose delivery (event time) is older than the tenant's photo days: the image is
//   marked expired (the proof, its event and the hash chain are untouched) and its file is deleted
//   once no live proof of any tenant refers to it and it has not been written for `blob_idle`;
// - the text of chat messages older than the tenant's chat days.
// A tenant's days come from its settings (storage/privacy_store.hpp), else from the defaults here
// (serve flags); 0 keeps forever. A store without PrivacyStore: track points only, all tenants.
//
// Threading: owns one thread; the destructor stops it (waiting for at most one chunk).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "pipeline/periodic_job.hpp"
#include "storage/blob_store.hpp"
#include "storage/privacy_store.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

struct RetentionOptions {
  int keep_days = 90;  // track points (serve --track-retention-days)
  int photo_days = 0;  // serve --photo-retention-days
  int chat_days = 0;   // serve --chat-retention-days
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  std::chrono::seconds blob_idle{3600};   // see BlobStore::remove_if_idle
  const storage::BlobStore* blobs = nullptr;  // null: expired images are marked, files kept
  int chunk = 10'000;
  std::function<void(int64_t deleted)> on_purged;  // called after each pass that deleted points
};

struct RetentionReport {
  int64_t track_points = 0;
  int64_t photos_expired = 0;
  int64_t messages_expired = 0;
  int64_t blobs_removed = 0;
};

class Retention {
 public:
  Retention(storage::Store& store, const core::Clock& clock, RetentionOptions options);
  ~Retention();
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // One pass now, on the caller's thread (stopping between chunks when `stopping` is set).
  core::Result<RetentionReport> run_once(const std::atomic<bool>* stopping = nullptr);
  // run_once, reporting the track points deleted.
  core::Result<int64_t> purge_once(const std::atomic<bool>* stopping = nullptr);

  storage::RetentionDefaults defaults() const;

 private:
  core::Result<int64_t> purge_all_tenants(core::Timestamp cutoff, const std::atomic<bool>* stopping);
  core::Status purge_tenant(storage::PrivacyStore& p, const storage::TenantRetention& t, RetentionReport& report,
                            const std::atomic<bool>* stopping);

  storage::Store& store_;
  const core::Clock& clock_;
  RetentionOptions options_;
  std::unique_ptr<PeriodicJob> job_;  // last: stopped first
};

// Deletes the files of `shas` (blobs the caller found unreferenced), leaving those written less
// than `idle` ago, and records the ones gone; returns how many files were removed.
core::Result<int64_t> remove_blob_files(storage::PrivacyStore& p, const storage::BlobStore& blobs,
                                        const std::vector<std::string>& shas, std::chrono::seconds idle);

// remove_blob_files for every blob no live proof refers to any more (at most `chunk` per call to
// the store) until none is left or only recent files remain.
core::Result<int64_t> remove_unreferenced_blobs(storage::PrivacyStore& p, const storage::BlobStore& blobs,
                                                std::chrono::seconds idle, int chunk,
                                                const std::atomic<bool>* stopping = nullptr);

}  // namespace lastmile::pipeline
