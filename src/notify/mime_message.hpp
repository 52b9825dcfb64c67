#pragma once
// An e-mail as RFC 5322 text: multipart/alternative (text + HTML, both quoted-printable UTF-8), an
// RFC 2047 encoded Subject when it is not ASCII, a Message-ID derived from the idempotency key (a
// retry re-sends the same id), List-Unsubscribe + List-Unsubscribe-Post (RFC 8058) and Date. Pure.

#include <string>

#include "core/time.hpp"

namespace lastmile::notify {

struct MailMessage {
  std::string from_address;  // "no-reply@example.com"
  std::string from_name;     // display name, may be non-ASCII
  std::string to_address;
  std::string subject;
  std::string text;
  std::string html;
  std::string idempotency_key;  // "<event id>:email:<rule>"
  std::string unsubscribe_url;  // empty: no List-Unsubscribe headers
  core::Timestamp date;
};

// "<sha256-hex-prefix@lastmile>" — stable for a key, whatever host sends it.
std::string message_id(const std::string& idempotency_key, const std::string& from_address);

// The whole message with CRLF line ends.
std::string build_mime(const MailMessage& m);

// RFC 2047 "=?UTF-8?B?…?=" when `s` has a non-ASCII or control character; `s` otherwise.
std::string encode_header_word(const std::string& s);

std::string quoted_printable(const std::string& s);

}  // namespace lastmile::notify
