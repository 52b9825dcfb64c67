// Templates: parsing, rendering and every rejection with its code, template name and variable.
#include "notify/message_template.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

TEST(MessageTemplate, RendersKnownVariablesAndKeepsLiteralText) {
  auto t = parse_template("delivered.sms.body", "Hi {{first_name}}, track: {{ tracking_url }} {single}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(render_template(*t, {{"first_name", "Ann"}, {"tracking_url", "https://x/t/1"}}),
            "Hi Ann, track: https://x/t/1 {single}");
}

TEST(MessageTemplate, AMissingValueRendersEmpty) {
  auto t = parse_template("x", "[{{eta_window}}]");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(render_template(*t, {}), "[]");
}

TEST(MessageTemplate, HtmlRenderingEscapesValuesNotTheTemplate) {
  auto t = parse_template("x", "<b>{{first_name}}</b>");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(render_template(*t, {{"first_name", "<script>&\"'"}}, true),
            "<b>&lt;script&gt;&amp;&quot;&#39;</b>");
}

TEST(MessageTemplate, UnknownVariableIsInvalidTemplateNamingTemplateAndVariable) {
  auto t = parse_template("delivered.email.subject", "Hello {{last_name}}");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, core::ErrorCode::kInvalidTemplate);
  EXPECT_NE(t.error().message.find("delivered.email.subject"), std::string::npos);
  EXPECT_NE(t.error().message.find("last_name"), std::string::npos);
  EXPECT_EQ(t.error().field, "templates.delivered.email.subject");
}

TEST(MessageTemplate, UnbalancedBracesAreRejected) {
  for (const char* bad : {"Hi {{first_name", "Hi first_name}}", "{{}}", "{{ {{first_name}} }}", "}}"}) {
    auto t = parse_template("t", bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, core::ErrorCode::kInvalidTemplate) << bad;
  }
}

TEST(MessageTemplate, EveryKnownVariableParses) {
  for (const auto& v : known_variables()) EXPECT_TRUE(parse_template("t", "{{" + v + "}}").ok()) << v;
}

}  // namespace
}  // namespace lastmile::notify
