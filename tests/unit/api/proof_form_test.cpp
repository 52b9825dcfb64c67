// The fields of a proof-of-delivery / failed-attempt upload (api/proof_form.hpp).
#include "api/proof_form.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lastmile::api {
namespace {

using core::ErrorCode;

constexpr std::string_view kType = "multipart/form-data; boundary=B";

struct Field {
  std::string name;
  std::string value;
  std::string filename = "";
};

std::string form(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += "--B\r\nContent-Disposition: form-data; name=\"" + f.name + "\"";
    if (!f.filename.empty()) out += "; filename=\"" + f.filename + "\"";
    out += "\r\n\r\n" + f.value + "\r\n";
  }
  return out + "--B--\r\n";
}

std::string png(uint32_t w, uint32_t h) {
  auto be32 = [](uint32_t v) { return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; };
  return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) + std::string("\x08\x02\0\0\0", 5);
}

const std::string kSvg = "<svg viewBox=\"0 0 10 10\"><path d=\"M0 0 L10 10\"/></svg>";

core::Result<ProofForm> delivery(const std::string& body, ProofLimits limits = {}) {
  return parse_proof_multipart(ProofKind::kDelivery, kType, body, limits);
}

TEST(ProofForm, ReadsEveryField) {
  const std::string body = form({{"photo", png(640, 480), "door.jpg"},
                                 {"signature", kSvg, "sig.svg"},
                                 {"recipient_name", "Marie Dupont"},
                                 {"left_at", "reception"},
                                 {"notes", "front desk"},
                                 {"lat", "43.7384"},
                                 {"lon", "7.4246"},
                                 {"accuracy", "12.5"},
                                 {"captured_at", "2026-11-23T10:15:00Z"}});
  auto f = delivery(body);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->photos.size(), 1u);
  EXPECT_EQ(f->photos[0].content_type, "image/png");  // by its bytes, not by its name
  EXPECT_EQ(*f->photos[0].width, 640);
  EXPECT_EQ(f->signature->content_type, "image/svg+xml");
  EXPECT_EQ(f->recipient_name, "Marie Dupont");
  EXPECT_EQ(f->left_at, "reception");
  EXPECT_DOUBLE_EQ(f->location->lat(), 43.7384);
  EXPECT_DOUBLE_EQ(*f->accuracy_m, 12.5);
  EXPECT_TRUE(f->captured_at.has_value());
}

TEST(ProofForm, ARecipientNameAloneIsEnough) { EXPECT_TRUE(delivery(form({{"recipient_name", "Ada"}})).ok()); }

TEST(ProofForm, NothingToProveIsMissing) {
  EXPECT_EQ(delivery(form({{"notes", "x"}})).error().code, ErrorCode::kMissingField);
}

TEST(ProofForm, TextNamedJpgIsAnInvalidImage) {
  auto f = delivery(form({{"photo", "just text", "door.jpg"}}));
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidImage);
  EXPECT_EQ(f.error().field, "photo");
}

TEST(ProofForm, AbsurdDimensionsAreAnInvalidImage) {
  EXPECT_EQ(delivery(form({{"photo", png(0, 10), "a.png"}})).error().code, ErrorCode::kInvalidImage);
}

TEST(ProofForm, OversizedPhotoIsTooLarge) {
  auto f = delivery(form({{"photo", png(10, 10) + std::string(200, '\0'), "a.png"}}), {.max_photo_bytes = 100});
  EXPECT_EQ(f.error().code, ErrorCode::kTooLarge);
}

TEST(ProofForm, TooManyPhotosIsTooLarge) {
  std::vector<Field> fields(3, Field{"photo", png(4, 4), "a.png"});
  EXPECT_EQ(delivery(form(fields), {.max_photos = 2}).error().code, ErrorCode::kTooLarge);
}

TEST(ProofForm, HugeSignatureIsTooLarge) {
  auto f = delivery(form({{"signature", kSvg + std::string(100, ' '), "s.svg"}}), {.max_signature_bytes = 64});
  EXPECT_EQ(f.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(f.error().field, "signature");
}

TEST(ProofForm, ScriptedSignatureIsAnInvalidImage) {
  auto f = delivery(form({{"signature", "<svg><script>x</script></svg>", "s.svg"}}));
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidImage);
  EXPECT_EQ(f.error().field, "signature");
}

TEST(ProofForm, TruncatedBodyIsInvalid) {
  const std::string body = form({{"recipient_name", "Ada"}});
  auto f = delivery(body.substr(0, body.size() - 10));
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(f.error().field, "body");
}

TEST(ProofForm, NotMultipartIsUnsupported) {
  EXPECT_EQ(parse_proof_multipart(ProofKind::kDelivery, "application/json", "{}", {}).error().code,
            ErrorCode::kUnsupportedMediaType);
}

TEST(ProofForm, BadValuesNameTheirField) {
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"left_at", "roof"}})).error().field, "left_at");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"lat", "43"}})).error().field, "lon");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"lat", "x"}, {"lon", "7"}})).error().field, "lat");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"lat", "91"}, {"lon", "7"}})).error().field, "lat");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"accuracy", "-1"}})).error().field, "accuracy");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"captured_at", "yesterday"}})).error().field, "captured_at");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"colour", "red"}})).error().field, "colour");
  EXPECT_EQ(delivery(form({{"recipient_name", "A"}, {"recipient_name", "B"}})).error().field, "recipient_name");
}

TEST(AttemptForm, MultipartNeedsAKnownReason) {
  auto attempt = [](const std::vector<Field>& fields) {
    return parse_proof_multipart(ProofKind::kAttempt, kType, form(fields), {});
  };
  EXPECT_TRUE(attempt({{"reason", "no_one_home"}, {"next_step", "pickup_point"}, {"photo", png(8, 8), "a.png"}}).ok());
  EXPECT_EQ(attempt({{"notes", "x"}}).error().code, ErrorCode::kMissingField);
  EXPECT_EQ(attempt({{"reason", "too_lazy"}}).error().field, "reason");
  EXPECT_EQ(attempt({{"reason", "refused"}, {"next_step", "burn_it"}}).error().field, "next_step");
  EXPECT_EQ(attempt({{"reason", "refused"}, {"signature", kSvg, "s.svg"}}).error().field, "signature");
}

TEST(AttemptForm, Json) {
  auto ok = parse_attempt_json(R"({"reason":"unsafe","next_step":"return_to_depot","lat":43.7384,"lon":7.4246})");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->reason, "unsafe");
  EXPECT_DOUBLE_EQ(ok->location->lon(), 7.4246);
  EXPECT_EQ(parse_attempt_json("not json").error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_attempt_json(R"({"reason":5})").error().code, ErrorCode::kWrongType);
  EXPECT_EQ(parse_attempt_json(R"({"reason":"damaged","lat":"x","lon":1})").error().code, ErrorCode::kWrongType);
  EXPECT_EQ(parse_attempt_json(R"({"reason":"nope"})").error().field, "reason");
}

}  // namespace
}  // namespace lastmile::api
