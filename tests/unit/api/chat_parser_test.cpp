#include "api/chat_parser.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;

template <typename R>
void expect_error(const R& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(ChatPostParser, ReadsBodyAndClientId) {
  auto p = parse_chat_post(R"({"body":"  Ring twice please ","client_id":"web-1"})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->body, "Ring twice please");
  EXPECT_EQ(p->client_id, "web-1");
  auto q = parse_chat_post(R"({"body":"ok"})");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->client_id, "");
}

TEST(ChatPostParser, BadInputHasStableCodesAndFields) {
  expect_error(parse_chat_post("not json"), ErrorCode::kInvalidJson, "");
  expect_error(parse_chat_post("{}"), ErrorCode::kMissingField, "body");
  expect_error(parse_chat_post(R"({"body":42})"), ErrorCode::kWrongType, "body");
  expect_error(parse_chat_post(R"({"body":"   "})"), ErrorCode::kMissingField, "body");
  expect_error(parse_chat_post(R"({"body":"a\u0000b"})"), ErrorCode::kInvalidField, "body");
  expect_error(parse_chat_post(R"({"body":")" + std::string(1001, 'x') + "\"}"), ErrorCode::kInvalidField, "body");
  expect_error(parse_chat_post(R"({"body":")" + std::string(5000, 'x') + "\"}"), ErrorCode::kInvalidField, "body");
  expect_error(parse_chat_post(R"({"body":"hi","client_id":"a b"})"), ErrorCode::kInvalidField, "client_id");
  expect_error(parse_chat_post(R"({"body":"hi","client_id":7})"), ErrorCode::kWrongType, "client_id");
}

TEST(SurveyPostParser, ReadsAFullAnswer) {
  auto a = parse_survey_post(
      R"({"stars":4,"nps":9,"comment":" Fine ","tags":["on_time","great_packaging"],"source":"link"})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->stars, 4);
  EXPECT_EQ(a->nps, 9);
  EXPECT_EQ(a->comment, "Fine");
  EXPECT_EQ(a->tags, (std::vector<std::string>{"on_time", "great_packaging"}));
  EXPECT_EQ(a->source, domain::SurveySource::kLink);
  auto minimal = parse_survey_post(R"({"stars":1})");
  ASSERT_TRUE(minimal.ok());
  EXPECT_FALSE(minimal->nps);
  EXPECT_EQ(minimal->source, domain::SurveySource::kPage);
}

TEST(SurveyPostParser, BadInputHasStableCodesAndFields) {
  expect_error(parse_survey_post("[1]"), ErrorCode::kInvalidJson, "");
  expect_error(parse_survey_post("{}"), ErrorCode::kMissingField, "stars");
  expect_error(parse_survey_post(R"({"stars":"5"})"), ErrorCode::kWrongType, "stars");
  expect_error(parse_survey_post(R"({"stars":4.5})"), ErrorCode::kWrongType, "stars");
  expect_error(parse_survey_post(R"({"stars":6})"), ErrorCode::kInvalidField, "stars");
  expect_error(parse_survey_post(R"({"stars":5,"nps":11})"), ErrorCode::kInvalidField, "nps");
  expect_error(parse_survey_post(R"({"stars":5,"tags":"on_time"})"), ErrorCode::kWrongType, "tags");
  expect_error(parse_survey_post(R"({"stars":5,"tags":[1]})"), ErrorCode::kWrongType, "tags[0]");
  expect_error(parse_survey_post(R"({"stars":5,"tags":["nope"]})"), ErrorCode::kInvalidField, "tags[0]");
  expect_error(parse_survey_post(R"({"stars":5,"source":"email"})"), ErrorCode::kInvalidField, "source");
  expect_error(parse_survey_post(R"({"stars":5,"comment":")" + std::string(2001, 'x') + "\"}"),
               ErrorCode::kInvalidField, "comment");
}

}  // namespace
}  // namespace lastmile::api
