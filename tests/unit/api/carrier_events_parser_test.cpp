// Carrier event batches: a JSON array or a CSV upload becomes one item per event — the event, or the
// exact reason it was refused (row, field, code) — and only a body that is no batch at all fails whole.
#include "api/carrier_events_parser.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;
using domain::CarrierEventInput;

const CarrierEventInput& event(const CarrierEventItem& item) {
  EXPECT_TRUE(std::holds_alternative<CarrierEventInput>(item.value)) << std::get<core::Error>(item.value).message;
  return std::get<CarrierEventInput>(item.value);
}

const core::Error& error(const CarrierEventItem& item) {
  EXPECT_TRUE(std::holds_alternative<core::Error>(item.value));
  return std::get<core::Error>(item.value);
}

TEST(CarrierEventsJson, GoodAndBadItemsAreReadOneByOne) {
  auto items = parse_carrier_events_json(R"({"events":[
    {"event_id":"e1","tracking_number":"LM1","code":"OFD","occurred_at":"2026-11-30T08:00:00Z","lat":43.7,"lon":7.4,
     "description":"  With driver  "},
    {"event_id":"e2","code":"OFD","occurred_at":"2026-11-30T08:00:00Z"},
    {"event_id":"e 3","tracking_number":"LM1","code":"OFD","occurred_at":"2026-11-30T08:00:00Z"},
    "not an object",
    {"event_id":"e5","order_id":"A-5","code":"DL","occurred_at":"yesterday"}]})");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 5u);
  EXPECT_EQ(event((*items)[0]).code, "OFD");
  EXPECT_EQ(event((*items)[0]).description, "With driver");
  ASSERT_TRUE(event((*items)[0]).location);
  EXPECT_EQ(error((*items)[1]).field, "events[1].tracking_number");
  EXPECT_EQ(error((*items)[1]).code, ErrorCode::kMissingField);
  EXPECT_EQ(error((*items)[2]).field, "events[2].event_id");
  EXPECT_EQ(error((*items)[3]).code, ErrorCode::kWrongType);
  EXPECT_EQ(error((*items)[4]).field, "events[4].occurred_at");
}

TEST(CarrierEventsJson, ABodyThatIsNoBatchFailsWhole) {
  EXPECT_EQ(parse_carrier_events_json("{").error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_carrier_events_json("{}").error().code, ErrorCode::kMissingField);
  EXPECT_EQ(parse_carrier_events_json(R"({"events":{}})").error().code, ErrorCode::kWrongType);
  std::string many = R"({"events":[)";
  for (size_t i = 0; i <= domain::kMaxCarrierEventsPerRequest; ++i) many += (i ? ",{}" : "{}");
  EXPECT_EQ(parse_carrier_events_json(many + "]}").error().code, ErrorCode::kTooLarge);
}

TEST(CarrierEventsCsv, QuotesCrlfBomAndColumnOrderAreHandled) {
  auto items = parse_carrier_events_csv(
      "\xEF\xBB\xBF" "Code,Event_ID,occurred_at,tracking_number,description,extra\r\n"
      "OFD,e1,2026-11-30T08:00:00Z,LM1,\"Loaded, on the van\",x\r\n"
      "\r\n"
      "DL,e2,2026-11-30T09:00:00Z,LM1,\"He said \"\"thanks\"\"\nand left\",y\r\n");
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].index, 1u);
  EXPECT_EQ(event((*items)[0]).event_id, "e1");
  EXPECT_EQ(event((*items)[0]).description, "Loaded, on the van");
  EXPECT_EQ(event((*items)[1]).description, "He said \"thanks\"\nand left");
}

TEST(CarrierEventsCsv, EachBadRowNamesItsRowAndField) {
  auto items = parse_carrier_events_csv(
      "event_id,tracking_number,code,occurred_at,lat,lon\n"
      "e1,LM1,OFD,2026-11-30T08:00:00Z,,\n"
      ",LM1,OFD,2026-11-30T08:00:00Z,,\n"
      "e3,LM1,OFD,not a time,,\n"
      "e4,LM1,OFD,2026-11-30T08:00:00Z,95,7\n"
      "e5,,OFD,2026-11-30T08:00:00Z,,\n"
      "e6,LM1,,2026-11-30T08:00:00Z,,\n"
      "e7,LM1,OFD,2026-11-30T08:00:00Z,43.7,abc\n");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 7u);
  event((*items)[0]);
  EXPECT_EQ(error((*items)[1]).field, "rows[2].event_id");
  EXPECT_EQ(error((*items)[2]).field, "rows[3].occurred_at");
  EXPECT_EQ(error((*items)[3]).field, "rows[4].lat");
  EXPECT_EQ(error((*items)[4]).field, "rows[5].tracking_number");
  EXPECT_EQ(error((*items)[5]).field, "rows[6].code");
  EXPECT_EQ(error((*items)[6]).field, "rows[7].lat");
}

TEST(CarrierEventsCsv, NotUtf8TextIsRefusedForItsRow) {
  auto items = parse_carrier_events_csv("event_id,tracking_number,code,occurred_at,description\n"
                                        "e1,LM1,OFD,2026-11-30T08:00:00Z,caf\xE9\n");
  ASSERT_TRUE(items);
  EXPECT_EQ(error((*items)[0]).field, "rows[1].description");
}

TEST(CarrierEventsCsv, AFileThatIsNoBatchFailsWhole) {
  EXPECT_EQ(parse_carrier_events_csv("").error().field, "header");
  EXPECT_EQ(parse_carrier_events_csv("event_id,code\n").error().field, "header.occurred_at");
  EXPECT_EQ(parse_carrier_events_csv("event_id,code,occurred_at\n").error().field, "header.tracking_number");
  auto open_quote = parse_carrier_events_csv("event_id,tracking_number,code,occurred_at\n\"e1,LM1,OFD,x\n");
  EXPECT_EQ(open_quote.error().code, ErrorCode::kInvalidField);
  std::string many = "event_id,tracking_number,code,occurred_at\n";
  for (size_t i = 0; i <= domain::kMaxCarrierEventsPerRequest; ++i) many += "e,LM1,OFD,2026-11-30T08:00:00Z\n";
  EXPECT_EQ(parse_carrier_events_csv(many).error().code, ErrorCode::kTooLarge);
}

TEST(CodeMappings, ParsedAndValidated) {
  auto m = parse_code_mappings(R"({"mappings":[{"code":"OFD","milestone":"out_for_delivery"},
    {"code":"NH","milestone":"attempt_failed","reason":"recipient_absent","description":"Not home"}]})");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[1].milestone, domain::Milestone::kAttemptFailed);
  EXPECT_EQ(parse_code_mappings(R"({"mappings":[{"code":"X","milestone":"teleported"}]})").error().field,
            "mappings[0].milestone");
  EXPECT_EQ(parse_code_mappings(R"({"mappings":[{"code":"X","milestone":"shipped"},{"code":"X","milestone":"delivered"}]})")
                .error()
                .field,
            "mappings[1].code");
  EXPECT_EQ(parse_code_mappings(R"({"mappings":[7]})").error().code, ErrorCode::kWrongType);
}

}  // namespace
}  // namespace lastmile::api
