#include "domain/survey.hpp"

#include <algorithm>

#include "domain/chat.hpp"

namespace lastmile::domain {

using core::Error;

bool is_survey_tag(std::string_view tag) {
  return std::find(kSurveyTags.begin(), kSurveyTags.end(), tag) != kSurveyTags.end();
}

std::string_view survey_source_name(SurveySource s) { return s == SurveySource::kLink ? "link" : "page"; }

std::optional<SurveySource> parse_survey_source(std::string_view name) {
  if (name == "page") return SurveySource::kPage;
  if (name == "link") return SurveySource::kLink;
  return std::nullopt;
}

core::Status validate_survey(SurveyAnswer& a) {
  if (a.stars < 1 || a.stars > 5) return Error::invalid_field("stars", "stars must be an integer from 1 to 5");
  if (a.nps && (*a.nps < 0 || *a.nps > 10)) return Error::invalid_field("nps", "nps must be an integer from 0 to 10");
  auto comment = validate_text(a.comment, kMaxSurveyCommentChars, "comment", false);
  if (!comment) return comment.error();
  a.comment = std::move(*comment);
  for (size_t i = 0; i < a.tags.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    if (!is_survey_tag(a.tags[i])) return Error::invalid_field(field, "unknown tag");
    if (std::find(a.tags.begin(), a.tags.begin() + static_cast<long>(i), a.tags[i]) != a.tags.begin() + static_cast<long>(i))
      return Error::invalid_field(field, "tag listed twice");
  }
  return {};
}

bool is_low_rating(const SurveyAnswer& a) { return a.stars <= kLowRatingMaxStars; }

SurveySummary summarize_surveys(std::span<const SurveyAnswer> answers) {
  SurveySummary s;
  int64_t star_sum = 0, satisfied = 0;
  for (const auto& a : answers) {
    if (a.stars < 1 || a.stars > 5) continue;  // never stored (validate_survey)
    ++s.count;
    ++s.stars[static_cast<size_t>(a.stars - 1)];
    star_sum += a.stars;
    if (a.stars >= 4) ++satisfied;
    if (a.nps) {
      ++s.nps_count;
      if (*a.nps >= 9) ++s.promoters;
      else if (*a.nps >= 7) ++s.passives;
      else ++s.detractors;
    }
  }
  if (s.count > 0) {
    s.average_stars = static_cast<double>(star_sum) / static_cast<double>(s.count);
    s.csat = 100.0 * static_cast<double>(satisfied) / static_cast<double>(s.count);
  }
  if (s.nps_count > 0)
    s.nps = 100.0 * static_cast<double>(s.promoters - s.detractors) / static_cast<double>(s.nps_count);
  return s;
}

}  // namespace lastmile::domain
