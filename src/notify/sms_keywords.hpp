#pragma once
// Inbound SMS keywords (carrier conventions): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT opt out;
// START, UNSTOP (and YES) opt back in; HELP asks for help. Anything else is a message. Pure.

#include <string_view>

namespace lastmile::notify {

enum class SmsKeyword { kNone, kStop, kStart, kHelp };

// The keyword of a whole message: trimmed, case-insensitive, trailing punctuation ignored.
SmsKeyword sms_keyword(std::string_view body);

// What was done with an inbound message: "opt_out", "opt_in", "help", "relayed", "stored".
std::string_view sms_keyword_name(SmsKeyword k);

}  // namespace lastmile::notify
