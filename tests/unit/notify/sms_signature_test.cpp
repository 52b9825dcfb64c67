// X-Twilio-Signature (the provider's documented example) and form bodies.
#include "notify/sms_signature.hpp"

#include <gtest/gtest.h>

#include "notify/form_params.hpp"
#include "notify/sms_keywords.hpp"

namespace lastmile::notify {
namespace {

const FormParams kExample{{"CallSid", "CA1234567890ABCDE"},
                          {"Caller", "+12349013030"},
                          {"Digits", "1234"},
                          {"From", "+12349013030"},
                          {"To", "+18005551212"}};

TEST(SmsSignature, MatchesTheProvidersDocumentedExample) {
  EXPECT_EQ(sms_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", kExample),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(SmsSignature, ParameterOrderDoesNotMatterButValuesUrlAndTokenDo) {
  FormParams reversed(kExample.rbegin(), kExample.rend());
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(sms_signature_valid("12345", url, reversed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  FormParams changed = kExample;
  changed[2].second = "1235";
  EXPECT_FALSE(sms_signature_valid("12345", url, changed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(sms_signature_valid("12346", url, kExample, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(sms_signature_valid("12345", url + "&x=1", kExample, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(sms_signature_valid("12345", url, kExample, ""));
  EXPECT_FALSE(sms_signature_valid("", url, kExample, sms_signature("", url, kExample)));
}

TEST(FormParams, DecodesPlusAndPercentAndKeepsOrder) {
  auto f = parse_form("Body=Stop+it%21&From=%2B33612345678&Empty=&Flag");
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ(form_value(*f, "Body"), "Stop it!");
  EXPECT_EQ(form_value(*f, "From"), "+33612345678");
  EXPECT_EQ(form_value(*f, "Empty"), "");
  EXPECT_EQ(form_value(*f, "Flag"), "");
  EXPECT_FALSE(form_value(*f, "To"));
}

TEST(FormParams, MalformedBodiesAreInvalidField) {
  for (std::string_view bad : {std::string_view("a=%"), std::string_view("a=%4"), std::string_view("a=%zz"),
                               std::string_view("=x"), std::string_view("a=%00"), std::string_view("a=b\0c", 5)}) {
    auto f = parse_form(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().code, core::ErrorCode::kInvalidField) << bad;
  }
  std::string many;
  for (int i = 0; i < 101; ++i) many += "k" + std::to_string(i) + "=v&";
  EXPECT_FALSE(parse_form(many).ok());
  EXPECT_TRUE(parse_form("").ok());
}

TEST(FormParams, EncodeThenParseIsTheIdentity) {
  const FormParams p{{"To", "+1 555"}, {"Body", "Caf\xc3\xa9 & co=100%"}};
  auto back = parse_form(encode_form(p));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
}

TEST(SmsKeywords, StopStartHelpAndMessages) {
  for (const char* s : {"STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT!"})
    EXPECT_EQ(sms_keyword(s), SmsKeyword::kStop) << s;
  for (const char* s : {"START", "unstop", "Yes"}) EXPECT_EQ(sms_keyword(s), SmsKeyword::kStart) << s;
  EXPECT_EQ(sms_keyword("help"), SmsKeyword::kHelp);
  for (const char* s : {"please stop by the back door", "", "Leave it with the neighbour"})
    EXPECT_EQ(sms_keyword(s), SmsKeyword::kNone) << s;
}

}  // namespace
}  // namespace lastmile::notify
