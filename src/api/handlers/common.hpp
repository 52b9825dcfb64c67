#pragma once
// Helpers shared by handlers: request bodies, pagination, idempotency, replies.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"

namespace lastmile::api {

// The request body as a JSON object (kInvalidJson otherwise).
core::Result<boost::json::object> body_object(const RequestContext& ctx);

// The media type of a Content-Type header, lower case, without parameters:
// "Text/CSV; charset=utf-8" → "text/csv".
std::string media_type(std::string_view content_type);

// `limit` (1–500, default 50) and `cursor` from the query string; kInvalidField on bad values.
core::Result<storage::PageRequest> page_request(const RequestContext& ctx);
// {"items": [...], "next_cursor": "…" | null}
std::string page_body(boost::json::array items, std::optional<int64_t> next_before);

// The version a client read before a PUT of a versioned document: If-Match ("3", W/"3" or 3), else
// the body's "version". kMissingField "version" when neither is given; kInvalidField "If-Match".
core::Result<int64_t> expected_version(const RequestContext& ctx);

// Idempotency-Key handling for creates. `scope` names the route ("POST /v1/shipments").
class Idempotency {
 public:
  Idempotency(const RequestContext& ctx, std::string scope);
  // kInvalidField when the header is malformed.
  core::Status validate() const;
  // A stored reply for this key: the same reply when the body matches, kIdempotencyConflict when
  // it does not, nullopt when the key is new or absent.
  core::Result<std::optional<Reply>> replay(const Services& services) const;
  // The start of every create: a value when the request is already answered — a malformed key
  // (error), a key reused with another body (error), or the stored reply of an earlier identical
  // request; nullopt when the create should go ahead.
  std::optional<core::Result<Reply>> answer_if_seen(const Services& services) const;
  // The record to store with the create; nullptr when the request carried no key.
  const storage::IdempotencyRecord* record(int status, const std::string& body);

 private:
  const RequestContext& ctx_;
  std::string key_;
  std::string scope_;
  storage::IdempotencyRecord record_;
};

// Finishes a create: on success the 201 reply; on kIdempotencyConflict from the store (a
// concurrent request with the same key won) the stored reply; any other error as is.
core::Result<Reply> finish_create(const Services& services, const Idempotency& idem, core::Status stored,
                                  std::string body);

}  // namespace lastmile::api
