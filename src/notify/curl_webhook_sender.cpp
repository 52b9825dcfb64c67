#include "notify/curl_webhook_sender.hpp"

#include "notify/curl_easy.hpp"
#include "notify/webhook_url.hpp"

namespace lastmile::notify {
namespace {

// Called once connected, before the request goes out: the connected address must be public.
int check_peer(void* refused_ip, char* primary_ip, char*, int, int) {
  if (!is_private_address(primary_ip)) return CURL_PREREQFUNC_OK;
  *static_cast<std::string*>(refused_ip) = primary_ip;
  return CURL_PREREQFUNC_ABORT;
}

}  // namespace

CurlWebhookSender::CurlWebhookSender(bool allow_private) : allow_private_(allow_private) {}

WebhookAnswer CurlWebhookSender::post(const WebhookRequest& request) {
  WebhookAnswer answer;
  curl::Easy curl = curl::make_easy();
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  curl::List headers;
  headers.add("Content-Type: application/json").add("Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) headers.add(name + ": " + value);
  curl::Sink sink{&answer.body, kMaxAnswerBytes};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl::set_timeouts(c, 5000L, 15000L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl::set_post_body(c, request.body);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "lastmile-webhooks/1");
  curl::collect_answer(c, &sink);
  std::string refused_ip;
  if (!allow_private_) {
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, check_peer);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, &refused_ip);
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.error = refused_ip.empty() ? std::string(curl_easy_strerror(rc))
                                      : "refused: the URL's host resolved to the private address " + refused_ip;
    answer.body.clear();
    return answer;
  }
  answer.status = curl::response_code(c);
  return answer;
}

}  // namespace lastmile::notify
