#include "notify/curl_webhook_sender.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "notify/webhook_url.hpp"

namespace lastmile::notify {
namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (out->size() < kMaxAnswerBytes) out->append(data, std::min(len, kMaxAnswerBytes - out->size()));
  return len;  // keep reading (and discarding) so the server sees a complete exchange
}

// Called once connected, before the request goes out: the connected address must be public.
int check_peer(void* refused_ip, char* primary_ip, char*, int, int) {
  if (!is_private_address(primary_ip)) return CURL_PREREQFUNC_OK;
  *static_cast<std::string*>(refused_ip) = primary_ip;
  return CURL_PREREQFUNC_ABORT;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

CurlWebhookSender::CurlWebhookSender(bool allow_private) : allow_private_(allow_private) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

WebhookAnswer CurlWebhookSender::post(const WebhookRequest& request) {
  WebhookAnswer answer;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  curl_slist* raw = curl_slist_append(nullptr, "Content-Type: application/json");
  raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) raw = curl_slist_append(raw, (name + ": " + value).c_str());
  std::unique_ptr<curl_slist, ListDeleter> headers(raw);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "lastmile-webhooks/1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
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
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  return answer;
}

}  // namespace lastmile::notify
