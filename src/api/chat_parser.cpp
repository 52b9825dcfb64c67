#include "api/chat_parser.hpp"

#include <boost/json.hpp>

#include "api/json_io.hpp"

namespace lastmile::api {

using core::Error;

namespace {
// Byte bounds before the code-point checks of the domain (4 bytes per code point at most, plus
// surrounding white space that is trimmed).
constexpr size_t kBodyBytes = 4 * domain::kMaxChatBodyChars + 64;
constexpr size_t kCommentBytes = 4 * domain::kMaxSurveyCommentChars + 64;
}  // namespace

core::Result<ChatPost> parse_chat_post(std::string_view text) {
  auto obj = parse_object(text);
  if (!obj) return obj.error();
  JsonReader r(*obj);
  ChatPost p;
  auto body = r.optional_string("body", kBodyBytes);
  auto client_id = r.optional_string("client_id", domain::kMaxChatClientIdChars);
  if (r.error()) {
    auto e = *r.error();
    if (e.field == "body" && e.code == core::ErrorCode::kInvalidField)
      e.message = "body has at most " + std::to_string(domain::kMaxChatBodyChars) + " characters";
    return e;
  }
  if (!body) return Error::missing_field("body");
  auto checked = domain::validate_chat_body(*body);
  if (!checked) return checked.error();
  p.body = std::move(*checked);
  if (client_id) {
    if (auto st = domain::validate_chat_client_id(*client_id); !st) return st.error();
    p.client_id = std::move(*client_id);
  }
  return p;
}

core::Result<domain::SurveyAnswer> parse_survey_post(std::string_view text) {
  auto obj = parse_object(text);
  if (!obj) return obj.error();
  JsonReader r(*obj);
  domain::SurveyAnswer a;
  auto stars = r.integer("stars", 1, 5, true);
  auto nps = r.integer("nps", 0, 10);
  auto comment = r.optional_string("comment", kCommentBytes);
  const auto* tags = r.array("tags", domain::kSurveyTags.size());
  auto source = r.optional_string("source", 16);
  if (r.error()) {
    auto e = *r.error();
    if (e.field == "comment" && e.code == core::ErrorCode::kInvalidField)
      e.message = "comment has at most " + std::to_string(domain::kMaxSurveyCommentChars) + " characters";
    return e;
  }
  a.stars = static_cast<int>(*stars);
  if (nps) a.nps = static_cast<int>(*nps);
  if (comment) a.comment = std::move(*comment);
  if (tags) {
    for (size_t i = 0; i < tags->size(); ++i) {
      const auto& v = (*tags)[i];
      if (!v.is_string()) return Error::wrong_type("tags[" + std::to_string(i) + "]", "a string");
      a.tags.emplace_back(v.as_string());
    }
  }
  if (source) {
    auto s = domain::parse_survey_source(*source);
    if (!s) return Error::invalid_field("source", "source must be page or link");
    a.source = *s;
  }
  if (auto st = domain::validate_survey(a); !st) return st.error();
  return a;
}

}  // namespace lastmile::api
