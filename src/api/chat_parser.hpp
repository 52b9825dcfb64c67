#pragma once
// The untrusted bodies of POST /v1/track/{token}/messages, POST /v1/shipments/{id}/messages and
// POST /v1/track/{token}/survey (docs/chat-and-surveys.md). Pure functions of the body text:
// fuzzed by tests/fuzz/chat_request_fuzz.cpp.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/chat.hpp"
#include "domain/survey.hpp"

namespace lastmile::api {

struct ChatPost {
  std::string body;       // validated and trimmed (domain::validate_chat_body)
  std::string client_id;  // empty when the client sent none
};

// {"body": "…", "client_id": "…"?}. kInvalidJson, kMissingField/kWrongType/kInvalidField with the
// field ("body", "client_id").
core::Result<ChatPost> parse_chat_post(std::string_view body);

// {"stars": 1–5, "nps": 0–10?, "comment": "…"?, "tags": ["on_time", …]?, "source": "page"|"link"?}.
// Errors with the field as domain::validate_survey, plus kWrongType/kMissingField.
core::Result<domain::SurveyAnswer> parse_survey_post(std::string_view body);

}  // namespace lastmile::api
