#include "domain/chat.hpp"

#include <array>
#include <cctype>

#include "domain/masking.hpp"

namespace lastmile::domain {
namespace {

using core::Error;
using core::ErrorCode;

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Counts code points; nullopt when `s` is not well-formed UTF-8 (overlongs and surrogates refused).
std::optional<size_t> utf8_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    constexpr std::array<uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
  }
  return n;
}

std::string safe_label(std::string_view name, std::string_view fallback) {
  std::string first = first_name(name);
  if (first.empty() || looks_like_contact(first) || first.size() > 60) return std::string(fallback);
  return first;
}

}  // namespace

std::string_view chat_role_name(ChatRole r) {
  switch (r) {
    case ChatRole::kCustomer: return "customer";
    case ChatRole::kDriver: return "driver";
    case ChatRole::kDispatcher: return "dispatcher";
  }
  return "customer";
}

std::optional<ChatRole> parse_chat_role(std::string_view name) {
  for (auto r : {ChatRole::kCustomer, ChatRole::kDriver, ChatRole::kDispatcher})
    if (chat_role_name(r) == name) return r;
  return std::nullopt;
}

std::string_view chat_channel_name(ChatChannel c) {
  switch (c) {
    case ChatChannel::kWeb: return "web";
    case ChatChannel::kApp: return "app";
    case ChatChannel::kSms: return "sms";
  }
  return "web";
}

std::optional<ChatChannel> parse_chat_channel(std::string_view name) {
  for (auto c : {ChatChannel::kWeb, ChatChannel::kApp, ChatChannel::kSms})
    if (chat_channel_name(c) == name) return c;
  return std::nullopt;
}

core::Result<std::string> validate_text(std::string_view raw, size_t max_chars, const std::string& field,
                                        bool required) {
  const auto text = trim(raw);
  if (text.empty()) {
    if (required) return Error{ErrorCode::kMissingField, "field '" + field + "' is empty", field};
    return std::string();
  }
  const auto length = utf8_length(text);
  if (!length) return Error::invalid_field(field, field + " is not valid UTF-8");
  if (*length > max_chars)
    return Error::invalid_field(field, field + " has at most " + std::to_string(max_chars) + " characters");
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      return Error::invalid_field(field, field + " may not contain control characters");
  }
  return std::string(text);
}

core::Result<std::string> validate_chat_body(std::string_view body) {
  return validate_text(body, kMaxChatBodyChars, "body", true);
}

core::Status validate_chat_client_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxChatClientIdChars)
    return Error::invalid_field("client_id", "client_id must have 1 to 64 characters");
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':')
      return Error::invalid_field("client_id", "client_id may contain letters, digits and - _ . : only");
  return {};
}

core::Status customer_may_post(Milestone status, core::Timestamp status_since, core::Timestamp now) {
  if (!is_terminal(status)) return {};
  const int64_t open_ms = int64_t{kChatOpenDaysAfterFinal} * 24 * 3600 * 1000;
  if (now.ms - status_since.ms <= open_ms) return {};
  return Error{ErrorCode::kIllegalTransition,
               "this conversation is closed: the shipment was " + std::string(milestone_name(status)) + " more than " +
                   std::to_string(kChatOpenDaysAfterFinal) + " days ago",
               ""};
}

std::string customer_label(std::string_view recipient_name) { return safe_label(recipient_name, "Customer"); }
std::string driver_label(std::string_view driver_name) { return safe_label(driver_name, "Driver"); }

std::string dispatcher_label(std::string_view tenant_name) {
  const auto name = trim(tenant_name);
  if (name.empty() || looks_like_contact(name) || name.size() > 80) return "Dispatch";
  return std::string(name);
}

bool looks_like_contact(std::string_view text) {
  if (text.find('@') != std::string_view::npos) return true;
  int run = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (++run >= 7) return true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
      run = 0;
    }
  }
  return false;
}

}  // namespace lastmile::domain
