#include "notify/mime_message.hpp"

#include <ctime>

#include "core/crypto.hpp"
#include "notify/sms_signature.hpp"

namespace lastmile::notify {
namespace {

bool needs_encoding(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x7f || c < 0x20) return true;
  return false;
}

std::string strip_crlf(std::string s) {
  for (char& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  return s;
}

std::string rfc5322_date(core::Timestamp t) {
  const std::time_t secs = static_cast<std::time_t>(t.ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "lastmile.invalid" : address.substr(at + 1);
}

}  // namespace

std::string encode_header_word(const std::string& s) {
  if (!needs_encoding(s)) return s;
  return "=?UTF-8?B?" + base64_encode(s) + "?=";
}

std::string quoted_printable(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t line = 0;
  auto put = [&](const std::string& piece) {
    if (line + piece.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\r\n";
      line = 0;
      continue;
    }
    if (c == '\r') continue;
    const bool trailing_space = (c == ' ' || c == '\t') && (i + 1 == s.size() || s[i + 1] == '\n' || s[i + 1] == '\r');
    const bool line_start_dot = c == '.' && line == 0;  // SMTP dot-stuffing stays out of the way
    if ((c >= 33 && c <= 126 && c != '=' && !line_start_dot) || ((c == ' ' || c == '\t') && !trailing_space)) {
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(std::string{'=', kHex[c >> 4], kHex[c & 15]});
    }
  }
  return out;
}

std::string message_id(const std::string& idempotency_key, const std::string& from_address) {
  return "<" + core::sha256_hex(idempotency_key).substr(0, 32) + "@" + domain_of(from_address) + ">";
}

std::string build_mime(const MailMessage& m) {
  const std::string boundary = "=_lastmile_" + core::sha256_hex(m.idempotency_key).substr(0, 24);
  std::string from = m.from_name.empty()
                         ? "<" + m.from_address + ">"
                         : (needs_encoding(m.from_name) ? encode_header_word(strip_crlf(m.from_name))
                                                        : "\"" + strip_crlf(m.from_name) + "\"") +
                               " <" + m.from_address + ">";
  std::string out;
  out += "From: " + from + "\r\n";
  out += "To: <" + m.to_address + ">\r\n";
  out += "Subject: " + encode_header_word(strip_crlf(m.subject)) + "\r\n";
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "Message-ID: " + message_id(m.idempotency_key, m.from_address) + "\r\n";
  if (!m.unsubscribe_url.empty()) {
    out += "List-Unsubscribe: <" + m.unsubscribe_url + ">\r\n";
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(m.text) + "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(m.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace lastmile::notify
