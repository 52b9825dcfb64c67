#pragma once
// The per-shipment chat between the customer, the driver and the dispatcher (DESIGN.md R12,
// docs/chat-and-surveys.md): who may write, what a message may contain, how authors are named.
// Pure: no I/O, no clock (the caller passes `now`).
//
// Privacy: an author is shown by a label only — "Customer" or the recipient's first name, the
// driver's first name, the shipper's name or "Dispatch" — never a phone number or e-mail address.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/milestone.hpp"

namespace lastmile::domain {

enum class ChatRole { kCustomer, kDriver, kDispatcher };
// "customer", "driver", "dispatcher".
std::string_view chat_role_name(ChatRole r);
std::optional<ChatRole> parse_chat_role(std::string_view name);

enum class ChatChannel { kWeb, kApp, kSms };
// "web" (tracking page or dashboard), "app" (driver app), "sms" (an SMS reply relayed in).
std::string_view chat_channel_name(ChatChannel c);
std::optional<ChatChannel> parse_chat_channel(std::string_view name);

inline constexpr size_t kMaxChatBodyChars = 1000;  // Unicode code points, after trimming
inline constexpr size_t kMaxChatClientIdChars = 64;
inline constexpr int kChatOpenDaysAfterFinal = 7;   // the customer may write until then
inline constexpr int kMaxChatPage = 200;

// Free text a person typed, as stored: surrounding white space trimmed. kMissingField (`field`)
// when empty and `required`; kInvalidField (`field`) when longer than `max_chars` code points, not
// UTF-8, or with a control character other than newline and tab. Empty and not required: "".
core::Result<std::string> validate_text(std::string_view text, size_t max_chars, const std::string& field,
                                        bool required);

// The body as stored: surrounding white space trimmed. kMissingField (field "body") when empty;
// kInvalidField (field "body") when longer than kMaxChatBodyChars code points, not UTF-8, or with a
// control character other than newline and tab.
core::Result<std::string> validate_chat_body(std::string_view body);
// kInvalidField (field "client_id") unless 1–64 characters of [A-Za-z0-9-_.:].
core::Status validate_chat_client_id(std::string_view id);

// Whether the customer may still write: until kChatOpenDaysAfterFinal days after the shipment
// reached a final status (`status_since` is when it did). kIllegalTransition when closed.
core::Status customer_may_post(Milestone status, core::Timestamp status_since, core::Timestamp now);

// Labels (never a phone number or an e-mail address: a name that looks like one is replaced).
std::string customer_label(std::string_view recipient_name);  // first name, else "Customer"
std::string driver_label(std::string_view driver_name);       // first name, else "Driver"
std::string dispatcher_label(std::string_view tenant_name);   // the shipper's name, else "Dispatch"
// True when `text` contains an e-mail address or a run of 7 or more digits (a phone number).
bool looks_like_contact(std::string_view text);

}  // namespace lastmile::domain
