// POST /v1/webhooks bodies: what is accepted, and the specific error of every bad one.
#include "notify/subscription_request.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

using core::ErrorCode;

core::Result<SubscriptionRequest> parse(std::string_view body) { return parse_subscription_request(body, {}); }

void expect_error(std::string_view body, ErrorCode code, std::string_view field) {
  auto r = parse(body);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().code, code) << body << ": " << r.error().message;
  EXPECT_EQ(r.error().field, field) << body;
}

TEST(SubscriptionRequest, ParsesUrlEventsAndDescription) {
  auto r = parse(R"({"url":"https://hooks.example.com/in","events":["shipment.*","stop.arrived","shipment.*"],
                    "description":"ERP"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->url, "https://hooks.example.com/in");
  EXPECT_EQ(r->events, (std::vector<std::string>{"shipment.*", "stop.arrived"}));  // duplicate dropped
  EXPECT_EQ(r->description, "ERP");
}

TEST(SubscriptionRequest, EveryBadBodyHasItsCode) {
  expect_error("{", ErrorCode::kInvalidJson, "");
  expect_error("[]", ErrorCode::kWrongType, "");
  expect_error(R"({"events":["*"]})", ErrorCode::kMissingField, "url");
  expect_error(R"({"url":"https://example.com"})", ErrorCode::kMissingField, "events");
  expect_error(R"({"url":7,"events":["*"]})", ErrorCode::kWrongType, "url");
  expect_error(R"({"url":"https://example.com","events":"*"})", ErrorCode::kWrongType, "events");
  expect_error(R"({"url":"https://example.com","events":[]})", ErrorCode::kInvalidField, "events");
  expect_error(R"({"url":"https://example.com","events":[1]})", ErrorCode::kWrongType, "events[0]");
  expect_error(R"({"url":"https://example.com","events":["*","parcel.lost"]})", ErrorCode::kInvalidField,
               "events[1]");
  expect_error(R"({"url":"gopher://example.com","events":["*"]})", ErrorCode::kInvalidField, "url");
  expect_error(R"({"url":"http://127.0.0.1:1/","events":["*"]})", ErrorCode::kInvalidField, "url");
  std::string many = R"({"url":"https://example.com","events":[)";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "\"*\"";
  expect_error(many + "]}", ErrorCode::kTooLarge, "events");
  expect_error(R"({"url":"https://example.com","events":["*"],"description":")" + std::string(201, 'd') + "\"}",
               ErrorCode::kInvalidField, "description");
}

TEST(RotationRequest, GraceHoursDefaultTo24AndStayWithinAWeek) {
  EXPECT_EQ(*parse_rotation_request(""), 24);
  EXPECT_EQ(*parse_rotation_request("{}"), 24);
  EXPECT_EQ(*parse_rotation_request(R"({"grace_hours": 0})"), 0);
  EXPECT_EQ(*parse_rotation_request(R"({"grace_hours": 168})"), 168);
  EXPECT_EQ(parse_rotation_request(R"({"grace_hours": 169})").error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(parse_rotation_request(R"({"grace_hours": -1})").error().field, "grace_hours");
  EXPECT_EQ(parse_rotation_request(R"({"grace_hours": "24"})").error().code, ErrorCode::kWrongType);
  EXPECT_EQ(parse_rotation_request("[1]").error().code, ErrorCode::kWrongType);
  EXPECT_EQ(parse_rotation_request("{").error().code, ErrorCode::kInvalidJson);
}

}  // namespace
}  // namespace lastmile::notify
