#include "api/handlers/common.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "api/json_io.hpp"
#include "core/crypto.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

core::Result<json::object> body_object(const RequestContext& ctx) { return parse_object(ctx.req.body()); }

core::Result<storage::PageRequest> page_request(const RequestContext& ctx) {
  storage::PageRequest page;
  if (auto limit = ctx.query("limit")) {
    int v = 0;
    auto [p, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
    if (ec != std::errc() || p != limit->data() + limit->size() || v < 1 || v > 500)
      return Error::invalid_field("limit", "limit must be an integer from 1 to 500");
    page.limit = v;
  }
  if (auto cursor = ctx.query("cursor")) {
    int64_t v = 0;
    const char* first = cursor->data() + 1;
    const char* last = cursor->data() + cursor->size();
    auto [p, ec] = std::from_chars(first, last, v);
    if (cursor->size() < 2 || (*cursor)[0] != 'c' || ec != std::errc() || p != last || v < 1)
      return Error::invalid_field("cursor", "cursor is not one this server issued");
    page.before_seq = v;
  }
  return page;
}

// The version the client read: If-Match ("3" or 3), else the body's "version".
core::Result<int64_t> expected_version(const RequestContext& ctx) {
  std::string_view v = ctx.header(http::field::if_match);
  if (v.empty()) {
    boost::system::error_code ec;
    json::value doc = json::parse(ctx.req.body(), ec);
    if (!ec && doc.is_object()) {
      if (const auto* x = doc.as_object().if_contains("version"); x && x->is_int64()) return x->as_int64();
    }
    return Error{core::ErrorCode::kMissingField,
                 "send the version you read in If-Match (or as \"version\"), so a concurrent change is not lost",
                 "version"};
  }
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t n = 0;
  if (v.empty() || v.size() > 12) return Error::invalid_field("If-Match", "If-Match must be the settings' version");
  for (char c : v) {
    if (c < '0' || c > '9') return Error::invalid_field("If-Match", "If-Match must be the settings' version");
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string page_body(json::array items, std::optional<int64_t> next_before) {
  json::object out{{"items", std::move(items)}};
  if (next_before)
    out["next_cursor"] = std::string("c").append(std::to_string(*next_before));
  else
    out["next_cursor"] = nullptr;
  return to_json(out);
}

Idempotency::Idempotency(const RequestContext& ctx, std::string scope)
    : ctx_(ctx), key_(ctx.header("Idempotency-Key")), scope_(std::move(scope)) {}

core::Status Idempotency::validate() const {
  if (ctx_.req.find("Idempotency-Key") == ctx_.req.end()) return {};
  if (key_.empty() || key_.size() > 200)
    return Error::invalid_field("Idempotency-Key", "Idempotency-Key must be 1 to 200 characters");
  return {};
}

core::Result<std::optional<Reply>> Idempotency::replay(const Services& services) const {
  if (key_.empty()) return std::optional<Reply>{};
  auto found = services.store.find_idempotency(ctx_.tenant(), scope_, key_);
  if (!found) return found.error();
  if (!found.value()) return std::optional<Reply>{};
  const auto& rec = *found.value();
  if (rec.request_hash != core::sha256_hex(ctx_.req.body()))
    return Error{ErrorCode::kIdempotencyConflict,
                 "Idempotency-Key was already used with a different request body", "Idempotency-Key"};
  Reply r = json_reply(rec.status, rec.body);
  r.headers.emplace_back("Idempotent-Replayed", "true");
  return std::optional<Reply>{std::move(r)};
}

std::optional<core::Result<Reply>> Idempotency::answer_if_seen(const Services& services) const {
  if (auto st = validate(); !st) return core::Result<Reply>(st.error());
  auto seen = replay(services);
  if (!seen) return core::Result<Reply>(seen.error());
  if (*seen) return core::Result<Reply>(std::move(**seen));
  return std::nullopt;
}

const storage::IdempotencyRecord* Idempotency::record(int status, const std::string& body) {
  if (key_.empty()) return nullptr;
  record_ = {key_, scope_, core::sha256_hex(ctx_.req.body()), status, body};
  return &record_;
}

core::Result<Reply> finish_create(const Services& services, const Idempotency& idem, core::Status stored,
                                  std::string body) {
  if (stored) return json_reply(201, std::move(body));
  if (stored.error().code == ErrorCode::kIdempotencyConflict) {
    auto again = idem.replay(services);
    if (!again) return again.error();
    if (*again) return std::move(**again);
  }
  return stored.error();
}

std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  std::string out(content_type);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace lastmile::api
