#include "notify/sms_http_channel.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <algorithm>
#include <memory>
#include <mutex>

#include "notify/form_params.hpp"

namespace lastmile::notify {
namespace {

constexpr size_t kMaxAnswer = 16384;

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (out->size() < kMaxAnswer) out->append(data, std::min(len, kMaxAnswer - out->size()));
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

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
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  while (options_.url.ends_with('/')) options_.url.pop_back();
}

ChannelAnswer SmsHttpChannel::send(const SmsMessage& m) {
  ChannelAnswer answer;
  if (!configured()) {
    answer.kind = ChannelAnswer::Kind::kNotConfigured;
    answer.error = "SMS is not configured (--sms-url, --sms-account-sid, --sms-auth-token, --sms-from)";
    return answer;
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  FormParams form{{"To", m.to}, {"From", options_.from}, {"Body", m.body}};
  if (!options_.status_callback.empty()) form.emplace_back("StatusCallback", options_.status_callback);
  const std::string body = encode_form(form);
  const std::string url = options_.url + "/2010-04-01/Accounts/" + options_.account_sid + "/Messages.json";
  curl_slist* raw = curl_slist_append(nullptr, "Content-Type: application/x-www-form-urlencoded");
  raw = curl_slist_append(raw, "Expect:");
  raw = curl_slist_append(raw, ("Idempotency-Key: " + m.idempotency_key).c_str());
  raw = curl_slist_append(raw, ("I-Twilio-Idempotency-Token: " + m.idempotency_key).c_str());
  std::unique_ptr<curl_slist, ListDeleter> headers(raw);
  std::string reply;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(c, CURLOPT_USERNAME, options_.account_sid.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, options_.auth_token.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "lastmile-sms/1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.error = curl_easy_strerror(rc);
    return answer;  // kRetry
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return judge_sms_answer(static_cast<int>(status), reply);
}

}  // namespace lastmile::notify
