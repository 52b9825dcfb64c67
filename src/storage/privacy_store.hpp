#pragma once
// Privacy (docs/privacy.md): per-tenant retention of raw positions, proof photos and chat messages,
// and erasure of one recipient's personal data.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp: nothing of
// another tenant is read or changed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::storage {

using core::Result;
using core::Status;

// A tenant's retention in days; nullopt: the server's default (serve --track-retention-days,
// --photo-retention-days, --chat-retention-days). 0 keeps forever.
struct RetentionSettings {
  std::optional<int> track_days;
  std::optional<int> photo_days;
  std::optional<int> chat_days;
  std::optional<core::Timestamp> updated_at;  // nullopt: never set
};

// The server's defaults (serve flags) and how long a just-written blob is protected from deletion.
struct RetentionDefaults {
  int track_days = 90;
  int photo_days = 0;
  int chat_days = 0;
  std::chrono::seconds blob_idle{3600};
};

// The days that apply to a tenant: its own setting, else the default.
inline RetentionDefaults effective_retention(const RetentionSettings& s, const RetentionDefaults& d) {
  return RetentionDefaults{s.track_days.value_or(d.track_days), s.photo_days.value_or(d.photo_days),
                           s.chat_days.value_or(d.chat_days), d.blob_idle};
}

struct TenantRetention {
  core::TenantId tenant;
  RetentionSettings settings;
};

// Who a recipient is: exactly one of the two is non-empty. The e-mail matches case-insensitively,
// the phone exactly (as stored, E.164).
struct RecipientKey {
  std::string email;
  std::string phone;
};

// A proof image that is no longer kept, with why ("retention" | "erasure").
struct ExpiredBlob {
  std::string sha256;
  std::string reason;
  core::Timestamp at;
};

struct ErasureResult {
  std::vector<core::ShipmentId> shipments;  // the shipments that named the recipient
  int events_redacted = 0;
  int messages_redacted = 0;
  int surveys_redacted = 0;
  int notifications_redacted = 0;  // e-mail/SMS outbox rows (pending ones are cancelled)
  int images_expired = 0;          // proof_blobs rows marked expired
  std::vector<std::string> unreferenced_blobs;  // no live proof refers to them any more: delete the files
  std::vector<domain::Event> erasure_events;    // one personal_data_erased event per shipment with redactions
};

inline constexpr std::string_view kErasedMarker = "[erased]";

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;

  virtual Result<RetentionSettings> get_retention(const core::TenantId& tenant) = 0;
  // Replaces the tenant's settings (every field; nullopt = the default). Returns what is stored.
  virtual Result<RetentionSettings> put_retention(const core::TenantId& tenant, const RetentionSettings& s,
                                                  core::Timestamp at) = 0;
  // Every tenant with its settings (tenants without a row have all-nullopt settings).
  virtual Result<std::vector<TenantRetention>> list_retention() = 0;

  // Deletes at most `limit` of the tenant's track points older than `cutoff`; returns how many.
  virtual Result<int> delete_tenant_track_points_before(const core::TenantId& tenant, core::Timestamp cutoff,
                                                        int limit) = 0;
  // Replaces the text of at most `limit` of the tenant's chat messages created before `cutoff` by
  // "[expired]" (the message stays: its seq orders the thread and is the clients' cursor).
  virtual Result<int> expire_chat_messages_before(const core::TenantId& tenant, core::Timestamp cutoff, int limit) = 0;
  // Marks at most `limit` images of the tenant's proofs whose event occurred before `cutoff` as
  // expired ("retention", at `now`). Proof rows, events and their hashes are untouched.
  virtual Result<int> expire_photos_before(const core::TenantId& tenant, core::Timestamp cutoff, core::Timestamp now,
                                           int limit) = 0;
  // Blobs every proof reference to which (in every tenant) is expired: their files may be deleted.
  // Blobs already marked removed are not listed again.
  virtual Result<std::vector<std::string>> unreferenced_expired_blobs(int limit) = 0;
  // Records that the files of `shas` are gone (skipping any a live proof refers to again).
  virtual Status mark_blobs_removed(const std::vector<std::string>& shas) = 0;
  // The expired images of a shipment's proofs.
  virtual Result<std::vector<ExpiredBlob>> expired_blobs(const core::TenantId& tenant,
                                                         const core::ShipmentId& shipment) = 0;

  // The tenant's shipments whose recipient is `key`, oldest first (at most `limit`).
  virtual Result<std::vector<core::ShipmentId>> find_recipient_shipments(const core::TenantId& tenant,
                                                                         const RecipientKey& key, int limit) = 0;
  // Erases the recipient's personal data from the tenant's shipments in one transaction
  // (docs/privacy.md): names, contacts, address lines and instructions become kErasedMarker or
  // empty, chat bodies and survey comments kErasedMarker, personal fields of event payloads are
  // redacted (each such event sealed by one appended personal_data_erased event, actor `actor`),
  // pending e-mails/SMS are cancelled and sent ones redacted, proof images expired ("erasure").
  // Idempotent: a second call finds no shipment (the contact is gone) and changes nothing.
  virtual Result<ErasureResult> erase_recipient(const core::TenantId& tenant, const RecipientKey& key,
                                                core::Timestamp at, const std::string& actor) = 0;
};

}  // namespace lastmile::storage
