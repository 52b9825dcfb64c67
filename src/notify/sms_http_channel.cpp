#include "notify/sms_http_channel.hpp"

#include <boost/json.hpp>
#include "notify/curl_easy.hpp"
#include "notify/form_params.hpp"

namespace lastmile::notify {
namespace {

constexpr size_t kMaxAnswer = 16384;

}  // namespace

ChannelAnswer judge_sms_answer(int status, const std::string& body) {
  ChannelAnswer a;
  a.status = status;
  if (status >= 200 && status < 300) {
    a.kind = ChannelAnswer::Kind::kSent;
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object()) {
      if (const auto* sid = v.as_object().if_contains("sid"); sid && sid->is_string())
        a.provider_id = std::string(sid->as_string()).substr(0, 64);
    }
    return a;
  }
  a.error = "HTTP " + std::to_string(status);
  a.kind = (status == 429 || status >= 500) ? ChannelAnswer::Kind::kRetry : ChannelAnswer::Kind::kPermanent;
  return a;
}

SmsHttpChannel::SmsHttpChannel(SmsOptions options) : options_(std::move(options)) {
  while (options_.url.ends_with('/')) options_.url.pop_back();
}

ChannelAnswer SmsHttpChannel::send(const SmsMessage& m) {
  ChannelAnswer answer;
  if (!configured()) {
    answer.kind = ChannelAnswer::Kind::kNotConfigured;
    answer.error = "SMS is not configured (--sms-url, --sms-account-sid, --sms-auth-token, --sms-from)";
    return answer;
  }
  curl::Easy curl = curl::make_easy();
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  FormParams form{{"To", m.to}, {"From", options_.from}, {"Body", m.body}};
  if (!options_.status_callback.empty()) form.emplace_back("StatusCallback", options_.status_callback);
  const std::string body = encode_form(form);
  const std::string url = options_.url + "/2010-04-01/Accounts/" + options_.account_sid + "/Messages.json";
  curl::List headers;
  headers.add("Content-Type: application/x-www-form-urlencoded")
      .add("Expect:")
      .add("Idempotency-Key: " + m.idempotency_key)
      .add("I-Twilio-Idempotency-Token: " + m.idempotency_key);
  std::string reply;
  curl::Sink sink{&reply, kMaxAnswer};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl::set_timeouts(c, 5000L, 15000L);
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(c, CURLOPT_USERNAME, options_.account_sid.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, options_.auth_token.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl::set_post_body(c, body);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "lastmile-sms/1");
  curl::collect_answer(c, &sink);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.error = curl_easy_strerror(rc);
    return answer;  // kRetry
  }
  return judge_sms_answer(curl::response_code(c), reply);
}

}  // namespace lastmile::notify
