#include "notify/smtp_channel.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace lastmile::notify {
namespace {

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const size_t room = size * n;
  const size_t left = u->data->size() - u->pos;
  const size_t len = std::min(room, left);
  std::memcpy(buf, u->data->data() + u->pos, len);
  u->pos += len;
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

ChannelAnswer SmtpChannel::send(const MailMessage& m) {
  ChannelAnswer answer;
  if (!configured()) {
    answer.kind = ChannelAnswer::Kind::kNotConfigured;
    answer.error = "e-mail is not configured (--smtp-url, --smtp-from)";
    return answer;
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  const std::string body = build_mime(m);
  Upload upload{&body};
  std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + m.to_address + ">").c_str()));
  const std::string mail_from = "<" + options_.from + ">";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  if (options_.require_starttls || options_.url.starts_with("smtps://"))
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (code > 0) answer.status = static_cast<int>(code);
  if (rc == CURLE_OK) {
    answer.kind = ChannelAnswer::Kind::kSent;
    return answer;
  }
  answer.error = curl_easy_strerror(rc);
  if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) {
    answer.kind = ChannelAnswer::Kind::kPermanent;  // e.g. 550 no such mailbox
    answer.error = "SMTP " + std::to_string(code) + ": " + answer.error;
  }
  return answer;
}

}  // namespace lastmile::notify
