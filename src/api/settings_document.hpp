#pragma once
// The tenant settings document (GET/PUT /v1/tenant/settings, docs/settings.md): its JSON, the
// merge patch a PUT applies, validation with the JSON path of every error, and the diff that the
// audit trail keeps. Pure: no I/O, no clock.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/settings_defaults.hpp"
#include "core/error.hpp"
#include "storage/settings_store.hpp"

namespace lastmile::api::settings {

// Limits of the values (also in docs/settings.md).
inline constexpr double kMinRadiusM = 10, kMaxRadiusM = 2000;
inline constexpr int kMaxDwellS = 3600;
inline constexpr int kMaxThresholdMinutes = 1440;
inline constexpr int kMaxStaleHours = 720;
inline constexpr int kMaxWithinStops = 100;
inline constexpr double kMinPodDistanceM = 10, kMaxPodDistanceM = 100000;
inline constexpr int kMaxRetentionDays = 36'500;

// The "settings" object of the document: sections milestones, delivery, geofence, privacy, exceptions,
// devices, proof, branding, rerouting, retention, notifications (every member present; null where the
// server's default applies).
boost::json::object settings_json(const storage::TenantSettingsRecord& r);

// The whole GET answer: {"version","updated_at","updated_by":{"id","name"}|null,"settings",
// "defaults"}.
boost::json::object document_json(const storage::TenantSettingsRecord& r, const ServerDefaults& d);

// A PUT body: {"version"?: n, "settings": {…a merge patch…}}. Errors: kInvalidJson; kWrongType
// for a non-object body, settings or a non-integer version; kMissingField "settings"; kInvalidField
// for any other top-level member.
struct PutRequest {
  std::optional<int64_t> version;
  boost::json::object patch;
};
core::Result<PutRequest> parse_put(std::string_view body);

// Applies `patch` as a JSON merge patch (RFC 7386: objects merge member by member, null removes a
// member — which restores its default — anything else replaces) to `current`'s settings and
// validates the result. Errors name the JSON path in `field` ("geofence.radius_m"):
// kInvalidField for an unknown member or a value out of range, kWrongType, kInvalidTemplate for a
// notification template. `current` is not changed; on success the returned record holds the new
// settings (version and audit members as in `current`).
core::Result<storage::TenantSettingsRecord> apply_patch(const storage::TenantSettingsRecord& current,
                                                        const boost::json::object& patch);

// The leaves that differ between two "settings" objects, in document order:
// [{"path":"geofence.radius_m","old":75,"new":120}, …]. Arrays are compared whole.
boost::json::array diff(const boost::json::object& before, const boost::json::object& after);

}  // namespace lastmile::api::settings
