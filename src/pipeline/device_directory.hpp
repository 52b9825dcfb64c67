#pragma once
// The device directory: which driver a tracker is, and whether it proved it (DESIGN.md §6, issue 3).
//
// Tracker protocols (OsmAnd / Traccar Client, OwnTracks over HTTP and MQTT) name their device by an
// identifier the device sends (OsmAnd `id`, OwnTracks "<user>/<device>"). A driver's `device_id` is
// that identifier. Unlike Traccar, where the identifier alone lets anyone post positions, a tenant
// may require (`require_device_secret`, on by default) that HTTP devices also present the driver's
// own device token ("lmd_<prefix>_<secret>", the `device_token` returned when the driver was
// created). MQTT devices are authenticated by the broker instead (resolve_trusted).
//
// Caches, so a busy tracker does not cost database reads on every request:
//  - positive: device id → driver and tenant setting, for `positive_ttl_ms`. A changed tenant
//    setting takes effect within that time. The device token is not cached here: it is checked on
//    every request against the store's credential row (kept in memory by storage/credential_cache.hpp,
//    emptied when a credential is revoked or rotated), so a revoked or rotated token stops at once.
//  - negative: device ids the database did not know, for `negative_ttl_ms`, at most
//    `max_negative` of them (the oldest are forgotten first). A device that keeps retrying under an
//    unknown id costs one read per TTL; a flood of ever-new random ids still reads each once.
// Ids longer than kMaxDeviceIdLen are unknown without a read (no driver can have one).
//
// Threading: every method is thread-safe; database reads happen outside the cache lock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "core/time.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

struct DeviceDirectoryOptions {
  int64_t positive_ttl_ms = 30'000;
  int64_t negative_ttl_ms = 10'000;  // also how long a newly created driver's id may stay unknown
  size_t max_positive = 100'000;     // when full, expired entries are dropped, then everything
  size_t max_negative = 10'000;
};

class DeviceDirectory {
 public:
  static constexpr size_t kMaxDeviceIdLen = 256;

  // `store` and `clock` outlive the directory.
  DeviceDirectory(storage::Store& store, const core::Clock& clock, DeviceDirectoryOptions options = {});

  // The driver whose tracker reports as `device_id`, for a device that may have to prove itself:
  // when the driver's tenant requires device secrets, `presented_secret` must be a device token of
  // that same driver, not revoked (hash compared in constant time); otherwise it is ignored.
  // Errors: kNotFound "unknown device" (no driver has that id; empty ids included);
  //         kUnauthenticated when a required secret is missing, malformed, unknown, revoked or
  //         another driver's; the store's kUnavailable / kInternal.
  core::Result<Device> resolve(std::string_view device_id, std::string_view presented_secret);

  // As resolve(), for transports that authenticate devices themselves (MQTT: the broker checked
  // the client's credentials and its topic). Never kUnauthenticated.
  core::Result<Device> resolve_trusted(std::string_view device_id);

  // Forgets the cached devices of `tenant`, so a changed tenant setting (require_device_secret)
  // applies to their next request.
  void forget_tenant(const core::TenantId& tenant);

  // Cache sizes, for tests and metrics.
  size_t cached_devices() const;
  size_t cached_unknown() const;

 private:
  struct Entry {
    Device device;
    bool require_secret = true;
    core::Timestamp expires;
  };

  // The cached or freshly read entry. Errors: kNotFound "unknown device", the store's.
  core::Result<Entry> lookup(std::string_view device_id);
  core::Status verify_secret(const Entry& entry, std::string_view secret);
  void remember(const std::string& device_id, Entry entry);
  void remember_unknown(const std::string& device_id);

  storage::Store& store_;
  const core::Clock& clock_;
  DeviceDirectoryOptions options_;

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> known_;              // GUARDED_BY(mu_)
  std::unordered_map<std::string, core::Timestamp> unknown_;  // GUARDED_BY(mu_), id → expiry
  std::deque<std::string> unknown_order_;                     // GUARDED_BY(mu_), oldest first
};

}  // namespace lastmile::pipeline
