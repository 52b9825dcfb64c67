#include "notify/smtp_channel.hpp"

#include <algorithm>
#include <cstring>

#include "notify/curl_easy.hpp"

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

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options) : options_(std::move(options)) {}

ChannelAnswer SmtpChannel::send(const MailMessage& m) {
  ChannelAnswer answer;
  if (!configured()) {
    answer.kind = ChannelAnswer::Kind::kNotConfigured;
    answer.error = "e-mail is not configured (--smtp-url, --smtp-from)";
    return answer;
  }
  curl::Easy curl = curl::make_easy();
  if (!curl) {
    answer.error = "curl_easy_init failed";
    return answer;
  }
  const std::string body = build_mime(m);
  Upload upload{&body};
  curl::List rcpt;
  rcpt.add("<" + m.to_address + ">");
  const std::string mail_from = "<" + options_.from + ">";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl::set_timeouts(c, 5000L, 30000L);
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
  const int code = curl::response_code(c);
  if (code > 0) answer.status = code;
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
