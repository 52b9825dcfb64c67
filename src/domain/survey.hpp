#pragma once
// The post-delivery survey (DESIGN.md R13, docs/chat-and-surveys.md): what a rating may contain,
// which ratings alert the dispatcher, and the CSAT/NPS summary of many. Pure: no I/O.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::domain {

inline constexpr size_t kMaxSurveyCommentChars = 2000;  // Unicode code points
inline constexpr int kLowRatingMaxStars = 2;           // a rating of at most this raises low_rating

// The fixed tag list offered by the form, in display order.
inline constexpr std::array<std::string_view, 8> kSurveyTags = {
    "on_time", "late", "friendly_driver", "rude_driver", "damaged", "wrong_place", "great_packaging", "easy_tracking"};
bool is_survey_tag(std::string_view tag);

enum class SurveySource { kPage, kLink };
// "page" (the tracking page's form), "link" (the survey link /track/{token}?survey=1).
std::string_view survey_source_name(SurveySource s);
std::optional<SurveySource> parse_survey_source(std::string_view name);

// A validated rating.
struct SurveyAnswer {
  int stars = 5;                 // 1–5
  std::optional<int> nps;        // 0–10: "how likely are you to recommend …"
  std::string comment;           // trimmed, at most kMaxSurveyCommentChars code points
  std::vector<std::string> tags; // each of kSurveyTags, no duplicates, in the order given
  SurveySource source = SurveySource::kPage;
};

// kInvalidField with the field name ("stars", "nps", "comment", "tags[i]") for a value out of range,
// an unknown or repeated tag, or a comment too long, not UTF-8 or with control characters (newline
// and tab allowed). The comment is trimmed.
core::Status validate_survey(SurveyAnswer& answer);

bool is_low_rating(const SurveyAnswer& a);

// What a list of ratings sums up to.
struct SurveySummary {
  int64_t count = 0;
  std::array<int64_t, 5> stars{};       // how many gave 1…5 stars
  std::optional<double> average_stars;  // none without ratings
  // CSAT: the share (0–100) of ratings with 4 or 5 stars.
  std::optional<double> csat;
  int64_t nps_count = 0;  // ratings that gave an NPS
  int64_t promoters = 0;  // 9–10
  int64_t passives = 0;   // 7–8
  int64_t detractors = 0; // 0–6
  // NPS: % promoters − % detractors of the ratings with an NPS (−100…100); none without any.
  std::optional<double> nps;
};
SurveySummary summarize_surveys(std::span<const SurveyAnswer> answers);

}  // namespace lastmile::domain
