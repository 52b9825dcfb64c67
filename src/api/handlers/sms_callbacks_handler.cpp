// The SMS provider's callbacks (docs/notifications.md): delivery status and inbound messages, both
// signed with X-Twilio-Signature; and the e-mail unsubscribe link (RFC 8058 one-click).
//
// Bad input changes nothing: a malformed body is 400 invalid_field, a missing or wrong signature
// 403 invalid_signature, both before any write.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "domain/masking.hpp"
#include "notify/form_params.hpp"
#include "notify/message_template.hpp"
#include "notify/sms_keywords.hpp"
#include "notify/sms_signature.hpp"
#include "storage/notification_store.hpp"

namespace lastmile::api::handlers {

using core::Error;

namespace {

Result<storage::NotificationStore*> notification_store(const Services& s) {
  if (!s.notifications) return Error{core::ErrorCode::kUnavailable, "notifications are not available", ""};
  return s.notifications;
}

// The form body, signature-checked against the public URL of this request.
Result<notify::FormParams> signed_form(const Services& s, const RequestContext& ctx) {
  const std::string_view type = ctx.header(http::field::content_type);
  if (!type.starts_with("application/x-www-form-urlencoded"))
    return Error{core::ErrorCode::kUnsupportedMediaType, "the body must be application/x-www-form-urlencoded", ""};
  auto form = notify::parse_form(ctx.req.body());
  if (!form) return form.error();
  const std::string url = s.public_url + std::string(ctx.req.target());
  const std::string_view signature = ctx.header("X-Twilio-Signature");
  if (!notify::sms_signature_valid(s.sms_auth_token, url, *form, signature))
    return Error{core::ErrorCode::kInvalidSignature, "the X-Twilio-Signature header is missing or wrong", ""};
  return form;
}

Result<std::string> required(const notify::FormParams& form, const char* key, size_t max_len) {
  auto v = notify::form_value(form, key);
  if (!v || v->empty()) return Error::missing_field(key);
  if (v->size() > max_len) return Error::invalid_field(key, std::string(key) + " is too long");
  return *v;
}

Reply html_reply(int status, const std::string& title, const std::string& body) {
  Reply r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width\"><title>" + title + "</title></head><body style=\"font-family:sans-serif;"
           "max-width:30em;margin:2em auto\"><h1>" + title + "</h1>" + body + "</body></html>";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

Result<Reply> sms_status_callback(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto form = signed_form(s, ctx);
  if (!form) return form.error();
  auto sid = required(*form, "MessageSid", 64);
  if (!sid) return sid.error();
  auto status = required(*form, "MessageStatus", 32);
  if (!status) return status.error();
  static const char* kKnown[] = {"accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed",
                                 "read", "canceled", "scheduled"};
  if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return *status == k; }) ==
      std::end(kKnown))
    return Error::invalid_field("MessageStatus", "unknown MessageStatus '" + *status + "'");
  const std::string code = notify::form_value(*form, "ErrorCode").value_or("").substr(0, 16);
  auto found = (*store)->update_sms_status(*sid, *status, code);
  if (!found) return found.error();
  if (!*found) return Error::not_found("message");
  Reply r;
  r.status = 204;
  r.content_type = "";
  return r;
}

Result<Reply> sms_inbound(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto form = signed_form(s, ctx);
  if (!form) return form.error();
  auto from = required(*form, "From", 32);
  if (!from) return from.error();
  auto sid = required(*form, "MessageSid", 64);
  if (!sid) return sid.error();
  const std::string body = notify::form_value(*form, "Body").value_or("");
  if (body.size() > 1600) return Error::invalid_field("Body", "Body is too long");
  auto sender = (*store)->find_sms_sender(*from);
  if (!sender) return sender.error();
  const notify::SmsKeyword keyword = notify::sms_keyword(body);
  std::string action(notify::sms_keyword_name(keyword));
  if (*sender && (keyword == notify::SmsKeyword::kStop || keyword == notify::SmsKeyword::kStart)) {
    if (auto st = (*store)->set_opt_out((*sender)->tenant_id, "sms", *from, keyword == notify::SmsKeyword::kStop,
                                        ctx.now);
        !st)
      return st.error();
  } else if (keyword == notify::SmsKeyword::kNone) {
    action = "stored";
    if (*sender && s.store.chat()) {
      if (auto st = relay_sms_to_chat(s, (*sender)->tenant_id, (*sender)->shipment_id, body, *sid, ctx.now); st)
        action = "relayed";
      else
        spdlog::warn("sms: inbound {} not relayed to the chat: {}", *sid, st.error().message);
    }
  }
  if (keyword != notify::SmsKeyword::kHelp) {
    if (auto st = (*store)->record_inbound_sms(*sid, *sender, *from, keyword == notify::SmsKeyword::kNone ? body : "",
                                               action, ctx.now);
        !st)
      return st.error();
  }
  Reply r;
  r.status = 200;
  r.content_type = "text/xml";
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  return r;
}

Result<Reply> unsubscribe_page(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto found = (*store)->find_unsubscribe_token(ctx.param(0));
  if (!found) {
    if (found.error().code != core::ErrorCode::kNotFound) return found.error();
    return html_reply(404, "Link not valid", "<p>This unsubscribe link is not valid.</p>");
  }
  return html_reply(200, "Unsubscribe",
                    "<p>Stop delivery e-mails to " + notify::html_escape(domain::mask_email(found->second)) +
                        "?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>");
}

Result<Reply> unsubscribe_confirm(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto found = (*store)->find_unsubscribe_token(ctx.param(0));
  if (!found) {
    if (found.error().code != core::ErrorCode::kNotFound) return found.error();
    return html_reply(404, "Link not valid", "<p>This unsubscribe link is not valid.</p>");
  }
  if (auto st = (*store)->set_opt_out(found->first, "email", found->second, true, ctx.now); !st) return st.error();
  return html_reply(200, "Unsubscribed", "<p>You will not receive delivery e-mails any more.</p>");
}

}  // namespace lastmile::api::handlers
