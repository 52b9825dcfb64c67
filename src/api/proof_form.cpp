#include "api/proof_form.hpp"

#include <boost/json.hpp>

#include <cmath>

#include <algorithm>
#include <array>
#include <charconv>

#include "pod/image_sniffer.hpp"
#include "pod/multipart.hpp"
#include "pod/svg_check.hpp"

namespace lastmile::api {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::string_view, 8> kLeftAt = {"with_recipient", "front_door", "reception", "neighbour",
                                                     "locker",         "mailbox",    "garage",    "other"};
constexpr std::array<std::string_view, 6> kReasons = {"no_one_home", "access_issue", "address_not_found",
                                                      "refused",     "damaged",      "unsafe"};
constexpr std::array<std::string_view, 3> kNextSteps = {"reattempt_tomorrow", "return_to_depot", "pickup_point"};

template <size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view v) {
  return std::find(names.begin(), names.end(), v) != names.end();
}

template <size_t N>
std::string listing(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

core::Result<ImageUpload> read_photo(const pod::Part& part, size_t index, const ProofLimits& limits) {
  const std::string field = "photo";
  if (part.data.size() > limits.max_photo_bytes)
    return Error{ErrorCode::kTooLarge,
                 "photo " + std::to_string(index + 1) + " is larger than " + std::to_string(limits.max_photo_bytes) +
                     " bytes",
                 field};
  auto info = pod::sniff_image(part.data);
  if (!info)
    return Error{ErrorCode::kInvalidImage,
                 "photo " + std::to_string(index + 1) + " ('" + part.filename + "'): " + info.error().message, field};
  return ImageUpload{part.data, std::string(pod::image_content_type(info->format)), info->width, info->height};
}

core::Result<ImageUpload> read_signature(const pod::Part& part, const ProofLimits& limits) {
  if (part.data.size() > limits.max_signature_bytes)
    return Error{ErrorCode::kTooLarge,
                 "the signature is larger than " + std::to_string(limits.max_signature_bytes) + " bytes", "signature"};
  if (auto png = pod::sniff_image(part.data); png && png->format == pod::ImageFormat::kPng)
    return ImageUpload{part.data, "image/png", png->width, png->height};
  if (auto st = pod::check_svg_signature(part.data); !st)
    return Error{ErrorCode::kInvalidImage, st.error().message, "signature"};
  return ImageUpload{part.data, "image/svg+xml", std::nullopt, std::nullopt};
}

core::Status set_text(std::string& target, const pod::Part& part, const ProofLimits& limits) {
  if (!target.empty()) return Error::invalid_field(part.name, "field '" + part.name + "' is given twice");
  if (part.data.size() > limits.max_text_chars)
    return Error::invalid_field(part.name, "field '" + part.name + "' is longer than " +
                                               std::to_string(limits.max_text_chars) + " characters");
  target = std::string(part.data);
  return {};
}

// The text fields shared by both kinds, and the position.
core::Status check_common(ProofForm& form, const std::string& lat, const std::string& lon,
                          const std::string& accuracy, const std::string& captured_at) {
  if (lat.empty() != lon.empty()) return Error::missing_field(lat.empty() ? "lat" : "lon");
  if (!lat.empty()) {
    auto la = parse_number(lat);
    auto lo = parse_number(lon);
    if (!la || !lo) return Error::invalid_field(la ? "lon" : "lat", "lat and lon must be numbers");
    form.location = core::LatLon::from_unsafe({*la, *lo});
    if (!form.location) return Error::invalid_field("lat", "lat/lon are out of range");
  }
  if (!accuracy.empty()) {
    form.accuracy_m = parse_number(accuracy);
    if (!form.accuracy_m || *form.accuracy_m < 0 || *form.accuracy_m > 100000)
      return Error::invalid_field("accuracy", "accuracy must be metres between 0 and 100000");
  }
  if (!captured_at.empty()) {
    form.captured_at = core::parse_iso8601(captured_at);
    if (!form.captured_at) return Error::invalid_field("captured_at", "captured_at must be an ISO 8601 time");
  }
  return {};
}

core::Status check_kind(ProofKind kind, const ProofForm& form) {
  if (kind == ProofKind::kDelivery) {
    if (!form.left_at.empty() && !is_left_at(form.left_at))
      return Error::invalid_field("left_at", "left_at must be one of " + listing(kLeftAt));
    if (form.photos.empty() && !form.signature && form.recipient_name.empty())
      return Error{ErrorCode::kMissingField, "a proof needs at least a photo, a signature or a recipient name",
                   "photo"};
    return {};
  }
  if (form.reason.empty()) return Error::missing_field("reason");
  if (!is_attempt_reason(form.reason)) return Error::invalid_field("reason", "reason must be one of " + listing(kReasons));
  if (!form.next_step.empty() && !is_next_step(form.next_step))
    return Error::invalid_field("next_step", "next_step must be one of " + listing(kNextSteps));
  if (form.signature) return Error::invalid_field("signature", "a failed attempt has no signature");
  if (form.photos.size() > 1) return Error{ErrorCode::kTooLarge, "a failed attempt has at most one photo", "photo"};
  return {};
}

}  // namespace

bool is_left_at(std::string_view v) { return one_of(kLeftAt, v); }
bool is_attempt_reason(std::string_view v) { return one_of(kReasons, v); }
bool is_next_step(std::string_view v) { return one_of(kNextSteps, v); }

core::Result<ProofForm> parse_proof_multipart(ProofKind kind, std::string_view content_type, std::string_view body,
                                              const ProofLimits& limits) {
  auto boundary = pod::multipart_boundary(content_type);
  if (!boundary) return boundary.error();
  pod::MultipartLimits mp;
  mp.max_parts = limits.max_photos + 16;
  mp.max_part_bytes = std::max({limits.max_photo_bytes, limits.max_signature_bytes, limits.max_text_chars});
  auto parts = pod::parse_multipart(body, *boundary, mp);
  if (!parts) {
    Error e = parts.error();
    if (e.code == ErrorCode::kTooLarge && e.field == "photo")
      e.message = "a photo is larger than " + std::to_string(limits.max_photo_bytes) + " bytes";
    return e;
  }
  ProofForm form;
  std::string lat, lon, accuracy, captured_at;
  for (const pod::Part& part : *parts) {
    core::Status st;
    if (part.name == "photo") {
      if (form.photos.size() == limits.max_photos)
        return Error{ErrorCode::kTooLarge, "at most " + std::to_string(limits.max_photos) + " photos", "photo"};
      auto photo = read_photo(part, form.photos.size(), limits);
      if (!photo) return photo.error();
      form.photos.push_back(*photo);
    } else if (part.name == "signature") {
      if (form.signature) return Error::invalid_field("signature", "only one signature");
      auto sig = read_signature(part, limits);
      if (!sig) return sig.error();
      form.signature = *sig;
    } else if (part.name == "recipient_name") {
      st = set_text(form.recipient_name, part, limits);
    } else if (part.name == "left_at") {
      st = set_text(form.left_at, part, limits);
    } else if (part.name == "notes") {
      st = set_text(form.notes, part, limits);
    } else if (part.name == "reason") {
      st = set_text(form.reason, part, limits);
    } else if (part.name == "next_step") {
      st = set_text(form.next_step, part, limits);
    } else if (part.name == "lat") {
      st = set_text(lat, part, limits);
    } else if (part.name == "lon") {
      st = set_text(lon, part, limits);
    } else if (part.name == "accuracy") {
      st = set_text(accuracy, part, limits);
    } else if (part.name == "captured_at") {
      st = set_text(captured_at, part, limits);
    } else {
      return Error::invalid_field(part.name, "unknown field '" + part.name + "'");
    }
    if (!st) return st.error();
  }
  if (auto st = check_common(form, lat, lon, accuracy, captured_at); !st) return st.error();
  if (auto st = check_kind(kind, form); !st) return st.error();
  return form;
}

core::Result<ProofForm> parse_attempt_json(std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return Error{ErrorCode::kInvalidJson, "the body must be a JSON object", ""};
  const auto& obj = value.as_object();
  ProofForm form;
  std::string lat, lon;
  for (const auto& [key, v] : obj) {
    const std::string k(key);
    if (k == "reason" || k == "next_step" || k == "notes") {
      if (!v.is_string()) return Error::wrong_type(k, "a string");
      std::string text(v.as_string());
      if (text.size() > 2000) return Error::invalid_field(k, "field '" + k + "' is longer than 2000 characters");
      (k == "reason" ? form.reason : k == "next_step" ? form.next_step : form.notes) = std::move(text);
    } else if (k == "lat" || k == "lon") {
      if (!v.is_number()) return Error::wrong_type(k, "a number");
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.to_number<double>());
      if (ec != std::errc{}) return Error::invalid_field(k, k + " is out of range");
      (k == "lat" ? lat : lon) = std::string(buf, end);
    } else {
      return Error::invalid_field(k, "unknown field '" + k + "'");
    }
  }
  if (auto st = check_common(form, lat, lon, "", ""); !st) return st.error();
  if (auto st = check_kind(ProofKind::kAttempt, form); !st) return st.error();
  return form;
}

}  // namespace lastmile::api
