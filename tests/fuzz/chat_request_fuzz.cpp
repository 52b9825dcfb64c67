// Fuzzes the chat-message and survey body parsers (POST /v1/track/{token}/messages,
// POST /v1/shipments/{id}/messages, POST /v1/track/{token}/survey): arbitrary bytes give either a
// value or an Error with a stable code — never a crash, a hang or undefined behaviour. What gets
// through keeps the parsers' promises (lengths, ranges, known tags, no control characters).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/chat_parser.hpp"

namespace {

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace d = lastmile::domain;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto chat = lastmile::api::parse_chat_post(body)) {
    if (chat->body.empty() || chat->body.size() > 4 * d::kMaxChatBodyChars || has_control(chat->body)) __builtin_trap();
    if (chat->client_id.size() > d::kMaxChatClientIdChars) __builtin_trap();
  } else {
    (void)lastmile::core::code_name(chat.error().code);
  }
  if (auto survey = lastmile::api::parse_survey_post(body)) {
    if (survey->stars < 1 || survey->stars > 5) __builtin_trap();
    if (survey->nps && (*survey->nps < 0 || *survey->nps > 10)) __builtin_trap();
    if (survey->comment.size() > 4 * d::kMaxSurveyCommentChars || has_control(survey->comment)) __builtin_trap();
    for (const auto& t : survey->tags)
      if (!d::is_survey_tag(t)) __builtin_trap();
  } else {
    (void)lastmile::core::code_name(survey.error().code);
  }
  return 0;
}
