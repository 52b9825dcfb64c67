#include "notify/sms_keywords.hpp"

#include <cctype>
#include <string>

namespace lastmile::notify {

SmsKeyword sms_keyword(std::string_view body) {
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  while (!body.empty() && (std::isspace(static_cast<unsigned char>(body.back())) || body.back() == '.' ||
                           body.back() == '!'))
    body.remove_suffix(1);
  if (body.size() > 12) return SmsKeyword::kNone;
  std::string w;
  for (char c : body) w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* k : {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
    if (w == k) return SmsKeyword::kStop;
  for (const char* k : {"START", "UNSTOP", "YES"})
    if (w == k) return SmsKeyword::kStart;
  if (w == "HELP" || w == "INFO") return SmsKeyword::kHelp;
  return SmsKeyword::kNone;
}

std::string_view sms_keyword_name(SmsKeyword k) {
  switch (k) {
    case SmsKeyword::kStop: return "opt_out";
    case SmsKeyword::kStart: return "opt_in";
    case SmsKeyword::kHelp: return "help";
    case SmsKeyword::kNone: return "message";
  }
  return "message";
}

}  // namespace lastmile::notify
