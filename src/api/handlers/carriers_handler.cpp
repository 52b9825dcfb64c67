// Carriers: the companies and independent couriers a shipper hands parcels to.
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

// "Riviera Couriers SARL" → "riviera-couriers-sarl"
std::string slug(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.substr(0, 64);
}

bool valid_code(std::string_view code) {
  for (unsigned char c : code)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  return !code.empty();
}

}  // namespace

Result<Reply> create_carrier(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/carriers");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);

  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  domain::Carrier c;
  c.name = r.string("name", {.required = true, .max_len = 200});
  c.code = r.string("code", {.max_len = 64});
  c.contact_email = r.string("contact_email", {.max_len = 254});
  c.contact_phone = r.string("contact_phone", {.max_len = 32});
  if (r.error()) return *r.error();
  if (c.code.empty()) c.code = slug(c.name);
  if (!valid_code(c.code))
    return Error::invalid_field("code", "code may contain letters, digits, '-', '_' and '.' only");
  c.id = core::new_id<core::CarrierId>();
  c.tenant_id = ctx.tenant();
  c.created_at = ctx.now;

  auto out = to_json(carrier_json(c));
  auto stored = s.store.create_carrier(c, idem.record(201, out));
  return finish_create(s, idem, std::move(stored), std::move(out));
}

Result<Reply> list_carriers(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  json::array items;
  std::optional<int64_t> next;
  if (ctx.role() == domain::Role::kCarrier) {  // a carrier sees itself only
    auto c = s.store.get_carrier(ctx.tenant(), *ctx.principal->carrier_id);
    if (c && !page->before_seq) items.push_back(carrier_json(*c));
  } else {
    auto res = s.store.list_carriers(ctx.tenant(), *page);
    if (!res) return res.error();
    for (const auto& c : res->items) items.push_back(carrier_json(c));
    next = res->next_before;
  }
  return json_reply(200, page_body(std::move(items), next));
}

Result<Reply> get_carrier(const Services& s, RequestContext& ctx) {
  core::CarrierId id(ctx.param(0));
  if (ctx.role() == domain::Role::kCarrier && id != *ctx.principal->carrier_id)
    return Error::not_found("carrier");
  auto c = s.store.get_carrier(ctx.tenant(), id);
  if (!c) return c.error();
  return json_reply(200, to_json(carrier_json(*c)));
}

}  // namespace lastmile::api::handlers
