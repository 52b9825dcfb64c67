#include "pipeline/device_directory.hpp"

#include <utility>

#include "core/crypto.hpp"

namespace lastmile::pipeline {
namespace {

using core::Error;
using core::ErrorCode;

Error unknown_device() { return Error{ErrorCode::kNotFound, "unknown device", ""}; }

Error unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), ""};
}

}  // namespace

DeviceDirectory::DeviceDirectory(storage::Store& store, const core::Clock& clock,
                                 DeviceDirectoryOptions options)
    : store_(store), clock_(clock), options_(options) {}

core::Result<Device> DeviceDirectory::resolve(std::string_view device_id, std::string_view presented_secret) {
  auto entry = lookup(device_id);
  if (!entry) return entry.error();
  if (entry->require_secret) {
    if (auto st = verify_secret(*entry, presented_secret); !st) return st.error();
  }
  return entry->device;
}

core::Result<Device> DeviceDirectory::resolve_trusted(std::string_view device_id) {
  auto entry = lookup(device_id);
  if (!entry) return entry.error();
  return entry->device;
}

void DeviceDirectory::forget_tenant(const core::TenantId& tenant) {
  std::lock_guard lock(mu_);
  std::erase_if(known_, [&](const auto& kv) { return kv.second.device.tenant == tenant; });
}

size_t DeviceDirectory::cached_devices() const {
  std::lock_guard lock(mu_);
  return known_.size();
}

size_t DeviceDirectory::cached_unknown() const {
  std::lock_guard lock(mu_);
  return unknown_.size();
}

core::Result<DeviceDirectory::Entry> DeviceDirectory::lookup(std::string_view device_id) {
  if (device_id.empty() || device_id.size() > kMaxDeviceIdLen) return unknown_device();
  const core::Timestamp now = clock_.now();
  const std::string id(device_id);
  {
    std::lock_guard lock(mu_);
    if (auto it = known_.find(id); it != known_.end() && now.ms < it->second.expires.ms) return it->second;
    if (auto it = unknown_.find(id); it != unknown_.end() && now.ms < it->second.ms) return unknown_device();
  }

  auto driver = store_.find_driver_by_device(device_id);
  if (!driver) {
    if (driver.error().code == ErrorCode::kNotFound) {
      remember_unknown(id);
      return unknown_device();
    }
    return driver.error();
  }
  auto tenant = store_.get_tenant(driver->tenant_id);
  if (!tenant) {
    // A driver whose tenant is gone cannot report; anything else is the store's failure.
    if (tenant.error().code == ErrorCode::kNotFound) return unknown_device();
    return tenant.error();
  }

  Entry entry;
  entry.device = Device{driver->tenant_id, driver->id};
  entry.require_secret = tenant->require_device_secret;
  entry.expires = core::Timestamp{now.ms + options_.positive_ttl_ms};
  remember(id, entry);
  return entry;
}

core::Status DeviceDirectory::verify_secret(const Entry& entry, std::string_view secret) {
  if (secret.empty()) return unauthenticated("this device must send its device token");
  const std::string_view prefix = core::credential_prefix(secret);
  if (prefix.empty() || secret.substr(0, 4) != "lmd_") return unauthenticated("invalid device token");

  auto found = store_.find_credential(prefix);
  if (!found) return found.error();
  const auto& cred = *found;
  if (!cred || cred->revoked || cred->role != domain::Role::kDriver ||
      cred->driver_id != entry.device.driver || cred->tenant_id != entry.device.tenant ||
      !core::secret_matches(secret, cred->secret_hash))
    return unauthenticated("invalid device token");
  return {};
}

void DeviceDirectory::remember(const std::string& device_id, Entry entry) {
  std::lock_guard lock(mu_);
  if (known_.size() >= options_.max_positive && !known_.contains(device_id)) {
    const core::Timestamp now = clock_.now();
    std::erase_if(known_, [&](const auto& kv) { return kv.second.expires.ms <= now.ms; });
    if (known_.size() >= options_.max_positive) known_.clear();
  }
  known_.insert_or_assign(device_id, std::move(entry));
  unknown_.erase(device_id);
}

void DeviceDirectory::remember_unknown(const std::string& device_id) {
  if (options_.max_negative == 0) return;
  const core::Timestamp expires{clock_.now().ms + options_.negative_ttl_ms};
  std::lock_guard lock(mu_);
  if (auto it = unknown_.find(device_id); it != unknown_.end()) {
    it->second = expires;
    return;
  }
  while (unknown_.size() >= options_.max_negative && !unknown_order_.empty()) {
    unknown_.erase(unknown_order_.front());
    unknown_order_.pop_front();
  }
  unknown_.emplace(device_id, expires);
  unknown_order_.push_back(device_id);
}

}  // namespace lastmile::pipeline
