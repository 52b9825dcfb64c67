#include "eta/history_lade.hpp"

#include <gtest/gtest.h>

#include "trace_data.hpp"

namespace lastmile::eta {
namespace {

using core::ErrorCode;

const std::string kHeader =
    "order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time,accept_gps_lng,"
    "accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds\n";
const std::string kRow =
    "3322376,31,Jilin,4849,126.56526,43.84112,94,14,09-25 08:08:00,09-25 08:08:00,126.56614,43.87092,"
    "09-25 11:32:00,09-25 11:32:00,126.56919,43.84248,0925\n";

core::Error error_of(const std::string& csv) {
  auto r = parse_lade_deliveries(csv);
  EXPECT_FALSE(r.ok());
  return r.ok() ? core::Error::internal() : r.error();
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(LadeParser, ReadsARow) {
  auto r = parse_lade_deliveries(kHeader + kRow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const LadeDelivery& d = r->front();
  EXPECT_EQ(d.order_id, "3322376");
  EXPECT_EQ(d.courier.str(), "drv_lade_4849");
  EXPECT_DOUBLE_EQ(d.destination.lat(), 43.84112);
  EXPECT_DOUBLE_EQ(d.destination.lon(), 126.56526);
  ASSERT_TRUE(d.delivered_at.has_value());
  EXPECT_DOUBLE_EQ(d.delivered_at->lat(), 43.84248);
  EXPECT_EQ(d.position(), *d.delivered_at);
  // 11:32 in China is 03:32 UTC.
  EXPECT_EQ(core::format_iso8601(d.delivery_time), "2022-09-25T03:32:00.000Z");
  EXPECT_EQ(d.ds, "0925");
  EXPECT_EQ(d.line, 2);
}

TEST(LadeParser, MissingGpsFixFallsBackToTheDestination) {
  auto r = parse_lade_deliveries(kHeader + replace(kRow, "126.56919,43.84248", "nan,nan"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->front().delivered_at.has_value());
  EXPECT_EQ(r->front().position(), r->front().destination);
}

TEST(LadeParser, YearAndOffsetAreOptions) {
  auto r = parse_lade_deliveries(kHeader + kRow, LadeOptions{.year = 2021, .utc_offset_s = 0});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(core::format_iso8601(r->front().delivery_time), "2021-09-25T11:32:00.000Z");
}

TEST(LadeParser, CrlfAndBlankLinesAreAccepted) {
  std::string csv = replace(kHeader, "\n", "\r\n") + replace(kRow, "\n", "\r\n") + "\r\n";
  auto r = parse_lade_deliveries(csv);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
}

TEST(LadeParser, ErrorsNameTheLineAndColumn) {
  EXPECT_EQ(error_of("").code, ErrorCode::kMissingField);
  EXPECT_EQ(error_of("").field, "header");
  auto e = error_of(replace(kHeader, "delivery_time,", "when,") + kRow);
  EXPECT_EQ(e.code, ErrorCode::kMissingField);
  EXPECT_EQ(e.field, "delivery_time");
  e = error_of(kHeader + "1,2,3\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidField);
  EXPECT_EQ(e.field, "line 2");
  e = error_of(kHeader + kRow + replace(kRow, "126.56526", "east"));
  EXPECT_EQ(e.code, ErrorCode::kInvalidField);
  EXPECT_EQ(e.field, "line 3: lng");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "43.84112", "95.0")).field, "line 2: lat");
  EXPECT_EQ(error_of(kHeader + replace(kRow, ",4849,", ",x,")).field, "line 2: courier_id");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "126.56919", "far")).field, "line 2: delivery_gps_lng");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "43.84248", "north")).field, "line 2: delivery_gps_lat");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "43.84248", "91")).field, "line 2: delivery_gps_lat");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "09-25 11:32:00,09-25 11:32:00", "09-25 11:32,09-25 11:32:00")).field,
            "line 2: delivery_time");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "09-25 11:32:00,09-25 11:32:00", "02-30 11:32:00,02-30 11:32:00")).field,
            "line 2: delivery_time");
  EXPECT_EQ(error_of(kHeader + replace(kRow, "09-25 11:32:00,09-25 11:32:00", "09-25 25:32:00,09-25 11:32:00")).field,
            "line 2: delivery_time");
  EXPECT_EQ(error_of(kHeader + replace(kRow, ",0925", ",0926")).field, "line 2: ds");
}

TEST(LadeParser, NextDeliveriesPairConsecutiveScansOfACourierOnADay) {
  const std::string rows =
      "1,31,Jilin,7,126.5,43.8,1,1,05-20 08:00:00,05-20 08:00:00,nan,nan,05-20 10:10:00,05-20 10:10:00,nan,nan,0520\n"
      "2,31,Jilin,7,126.5,43.8,1,1,05-20 08:00:00,05-20 08:00:00,nan,nan,05-20 10:00:00,05-20 10:00:00,nan,nan,0520\n"
      "3,31,Jilin,7,126.5,43.8,1,1,05-21 08:00:00,05-21 08:00:00,nan,nan,05-21 09:00:00,05-21 09:00:00,nan,nan,0521\n"
      "4,31,Jilin,8,126.5,43.8,1,1,05-20 08:00:00,05-20 08:00:00,nan,nan,05-20 10:05:00,05-20 10:05:00,nan,nan,0520\n"
      "5,31,Jilin,7,126.5,43.8,1,1,05-20 08:00:00,05-20 08:00:00,nan,nan,05-20 10:30:00,05-20 10:30:00,nan,nan,0520\n";
  auto r = parse_lade_deliveries(kHeader + rows);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto pairs = next_deliveries(*r);
  ASSERT_EQ(pairs.size(), 2u);  // courier 7 on 05-20: 2 → 1 → 5; one delivery alone otherwise
  EXPECT_EQ(pairs[0].from->order_id, "2");
  EXPECT_EQ(pairs[0].to->order_id, "1");
  EXPECT_EQ(pairs[1].from->order_id, "1");
  EXPECT_EQ(pairs[1].to->order_id, "5");
}

TEST(LadeParser, ReadsTheRealExcerpt) {
  const std::string csv = test::read_trace(test::kLadeCsv);
  ASSERT_FALSE(csv.empty()) << "missing " << test::kLadeCsv;
  auto r = parse_lade_deliveries(csv);
  ASSERT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(r->size(), 106u);
  size_t courier_435 = 0;
  for (const auto& d : *r) courier_435 += d.courier.str() == "drv_lade_435";
  EXPECT_EQ(courier_435, 71u);
  EXPECT_EQ(next_deliveries(*r).size(), 17u);  // the excerpt holds few same-day neighbours
}

}  // namespace
}  // namespace lastmile::eta
