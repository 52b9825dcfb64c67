#include "domain/survey.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

using core::ErrorCode;

SurveyAnswer answer(int stars, std::optional<int> nps = std::nullopt) {
  SurveyAnswer a;
  a.stars = stars;
  a.nps = nps;
  return a;
}

void expect_invalid(SurveyAnswer a, std::string_view field) {
  auto st = validate_survey(a);
  ASSERT_FALSE(st.ok()) << field;
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(st.error().field, field);
}

TEST(SurveyValidation, AcceptsAFullAnswerAndTrimsTheComment) {
  SurveyAnswer a = answer(5, 10);
  a.comment = "  Great, thanks!\n";
  a.tags = {"on_time", "friendly_driver"};
  ASSERT_TRUE(validate_survey(a).ok());
  EXPECT_EQ(a.comment, "Great, thanks!");
}

TEST(SurveyValidation, RefusesOutOfRangeValuesWithTheirField) {
  expect_invalid(answer(0), "stars");
  expect_invalid(answer(6), "stars");
  expect_invalid(answer(3, -1), "nps");
  expect_invalid(answer(3, 11), "nps");
  SurveyAnswer long_comment = answer(3);
  long_comment.comment = std::string(kMaxSurveyCommentChars + 1, 'x');
  expect_invalid(long_comment, "comment");
  SurveyAnswer control = answer(3);
  control.comment = "bad\x01";
  expect_invalid(control, "comment");
  SurveyAnswer unknown = answer(3);
  unknown.tags = {"on_time", "teleported"};
  expect_invalid(unknown, "tags[1]");
  SurveyAnswer twice = answer(3);
  twice.tags = {"late", "late"};
  expect_invalid(twice, "tags[1]");
}

TEST(SurveyValidation, LowRatingIsOneOrTwoStars) {
  EXPECT_TRUE(is_low_rating(answer(1)));
  EXPECT_TRUE(is_low_rating(answer(2)));
  EXPECT_FALSE(is_low_rating(answer(3)));
}

TEST(SurveySummary, EmptyHasNoScores) {
  auto s = summarize_surveys({});
  EXPECT_EQ(s.count, 0);
  EXPECT_FALSE(s.csat);
  EXPECT_FALSE(s.nps);
  EXPECT_FALSE(s.average_stars);
}

TEST(SurveySummary, CsatIsTheShareOfFourAndFiveStars) {
  std::vector<SurveyAnswer> v = {answer(5), answer(4), answer(3), answer(1)};
  auto s = summarize_surveys(v);
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(*s.csat, 50.0);
  EXPECT_DOUBLE_EQ(*s.average_stars, 13.0 / 4);
  EXPECT_EQ(s.stars[0], 1);
  EXPECT_EQ(s.stars[4], 1);
  EXPECT_FALSE(s.nps);  // nobody gave an NPS
}

TEST(SurveySummary, NpsIsPromotersMinusDetractorsOfThoseWhoAnswered) {
  // 10, 9 promoters; 8, 7 passives; 6, 0 detractors; one without NPS (not counted).
  std::vector<SurveyAnswer> v = {answer(5, 10), answer(5, 9), answer(4, 8), answer(4, 7),
                                 answer(2, 6),  answer(1, 0), answer(3)};
  auto s = summarize_surveys(v);
  EXPECT_EQ(s.nps_count, 6);
  EXPECT_EQ(s.promoters, 2);
  EXPECT_EQ(s.passives, 2);
  EXPECT_EQ(s.detractors, 2);
  EXPECT_DOUBLE_EQ(*s.nps, 0.0);
  std::vector<SurveyAnswer> all_detractors = {answer(1, 3), answer(2, 6)};
  EXPECT_DOUBLE_EQ(*summarize_surveys(all_detractors).nps, -100.0);
  std::vector<SurveyAnswer> mixed = {answer(5, 10), answer(5, 10), answer(5, 10), answer(1, 0)};
  EXPECT_DOUBLE_EQ(*summarize_surveys(mixed).nps, 50.0);
}

TEST(SurveyNames, SourcesAndTags) {
  EXPECT_EQ(parse_survey_source("link"), SurveySource::kLink);
  EXPECT_EQ(survey_source_name(SurveySource::kPage), "page");
  EXPECT_FALSE(parse_survey_source("email"));
  for (auto t : kSurveyTags) EXPECT_TRUE(is_survey_tag(t));
  EXPECT_FALSE(is_survey_tag("On_Time"));
}

}  // namespace
}  // namespace lastmile::domain
