// Analytics bodies (api/analytics_json.hpp): grouping of daily rows into periods with figures, RFC 4180
// CSV, rate card and target parsing with the failing field named.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/analytics_json.hpp"

namespace lastmile::api {
namespace {

storage::AnalyticsRow row(std::string key, std::string name, std::string day, int64_t deliveries, int64_t on_time) {
  storage::AnalyticsRow r{std::move(key), std::move(name), "car_a", std::move(day), {}};
  r.rollup.deliveries = r.rollup.finished = r.rollup.first_attempt = r.rollup.windowed = deliveries;
  r.rollup.on_time = on_time;
  r.rollup.parcels = deliveries;
  return r;
}

TEST(AnalyticsJsonTest, RowsMergeIntoWeeksAndTotalsSortedByName) {
  const std::vector<storage::AnalyticsRow> rows = {
      row("car_b", "Zeta", "2026-11-23", 4, 4), row("car_b", "Zeta", "2026-11-30", 2, 0),
      row("car_a", "Alpha", "2026-11-24", 3, 3), row("car_a", "Alpha", "2026-11-29", 1, 0)};
  std::map<std::string, analytics::RateCard> cards{{"car_a", {0, 0, 1.5, "EUR"}}};
  analytics::Targets targets;
  targets.on_time_rate = 80;
  auto weeks = group_analytics(rows, analytics::Grouping::kWeek, cards, targets);
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].name, "Alpha");
  EXPECT_EQ(weeks[0].period, "2026-W48");
  EXPECT_EQ(weeks[0].figures.totals.deliveries, 4);
  EXPECT_EQ(weeks[0].figures.on_time_rate, 75.0);
  EXPECT_EQ(weeks[0].figures.below_target, (std::vector<std::string>{"on_time_rate"}));
  EXPECT_EQ(weeks[0].figures.cost, 6.0);
  EXPECT_EQ(weeks[0].currency, "EUR");
  EXPECT_EQ(weeks[2].period, "2026-W49");
  auto total = group_analytics(rows, analytics::Grouping::kTotal, {}, {});
  ASSERT_EQ(total.size(), 2u);
  EXPECT_EQ(total[1].figures.totals.deliveries, 6);
  EXPECT_FALSE(total[1].figures.cost);
}

TEST(AnalyticsJsonTest, CsvQuotesLikeRfc4180AndDefusesFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(csv_field("-1"), "'-1");
  const auto items = group_analytics({row("car_a", "Acme, Inc", "2026-11-23", 2, 1)}, analytics::Grouping::kDay, {}, {});
  const std::string csv = analytics_csv(items, storage::AnalyticsDim::kCarrier);
  EXPECT_EQ(csv.substr(0, 33), "carrier_id,name,period,deliveries");
  EXPECT_NE(csv.find("\r\ncar_a,\"Acme, Inc\",2026-11-23,2,0,0,50,100,"), std::string::npos) << csv;
  auto detractor = row("car_a", "=cmd", "2026-11-23", 1, 1);
  detractor.rollup.surveys = detractor.rollup.nps_count = detractor.rollup.detractors = 1;
  const std::string negative = analytics_csv(group_analytics({detractor}, analytics::Grouping::kTotal, {}, {}),
                                             storage::AnalyticsDim::kCarrier);
  EXPECT_NE(negative.find("car_a,'=cmd,total,1,"), std::string::npos) << negative;  // a formula is defused
  EXPECT_NE(negative.find(",0,-100,"), std::string::npos) << negative;               // a number is not
}

TEST(AnalyticsJsonTest, RateCardAndTargetsParsing) {
  auto card = parse_rate_card(boost::json::parse(R"({"per_stop":1.5,"per_km":0.4,"per_parcel":0})").as_object());
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->currency, "EUR");
  auto missing = parse_rate_card(boost::json::parse(R"({"per_stop":1})").as_object());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kMissingField);
  EXPECT_EQ(missing.error().field, "per_km");
  auto negative = parse_rate_card(boost::json::parse(R"({"per_stop":-1,"per_km":0,"per_parcel":0})").as_object());
  EXPECT_EQ(negative.error().field, "per_stop");
  auto currency =
      parse_rate_card(boost::json::parse(R"({"per_stop":1,"per_km":0,"per_parcel":0,"currency":"euro"})").as_object());
  EXPECT_EQ(currency.error().field, "currency");

  auto targets = parse_targets(boost::json::parse(R"({"on_time_rate":95,"nps":null})").as_object());
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ(targets->on_time_rate, 95);
  EXPECT_FALSE(targets->nps);
  EXPECT_EQ(parse_targets(boost::json::parse(R"({"csat":120})").as_object()).error().field, "csat");
  EXPECT_EQ(parse_targets(boost::json::parse(R"({"nps":-101})").as_object()).error().field, "nps");
  EXPECT_EQ(parse_targets(boost::json::parse(R"({"speed":1})").as_object()).error().field, "speed");
  EXPECT_EQ(parse_targets(boost::json::parse(R"({"csat":"high"})").as_object()).error().code,
            core::ErrorCode::kWrongType);
}

}  // namespace
}  // namespace lastmile::api
