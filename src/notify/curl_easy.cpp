#include "notify/curl_easy.hpp"

#include <algorithm>
#include <mutex>

namespace lastmile::notify::curl {
namespace {

size_t write_bounded(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (sink->out->size() < sink->limit) sink->out->append(data, std::min(len, sink->limit - sink->out->size()));
  return len;
}

}  // namespace

Easy make_easy() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return Easy(curl_easy_init());
}

void collect_answer(CURL* c, Sink* sink) {
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_bounded);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
}

void set_timeouts(CURL* c, long connect_ms, long total_ms) {
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_ms);
}

void set_post_body(CURL* c, std::string_view body) {
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
}

int response_code(CURL* c) {
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return static_cast<int>(status);
}

}  // namespace lastmile::notify::curl
