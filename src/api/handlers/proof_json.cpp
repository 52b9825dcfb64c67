#include "api/handlers/proof_json.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "api/json_io.hpp"
#include "core/time.hpp"

namespace lastmile::api {

namespace json = boost::json;

json::object blob_json(const storage::BlobRecord& b) {
  json::object o{{"sha256", b.sha256}, {"content_type", b.content_type}, {"bytes", b.bytes}};
  o["width"] = b.width ? json::value(*b.width) : json::value(nullptr);
  o["height"] = b.height ? json::value(*b.height) : json::value(nullptr);
  return o;
}

std::string proof_payload(const ProofForm& form, const std::vector<storage::ProofBlob>& blobs,
                          std::optional<double> distance_m, bool location_mismatch) {
  json::array photos;
  json::value signature = nullptr;
  for (const auto& pb : blobs) {
    if (pb.role == "photo") photos.push_back(blob_json(pb.blob));
    if (pb.role == "signature") signature = blob_json(pb.blob);
  }
  json::object proof{{"recipient_name", form.recipient_name},
                     {"left_at", form.left_at},
                     {"notes", form.notes},
                     {"photos", std::move(photos)},
                     {"signature", std::move(signature)},
                     {"location_mismatch", location_mismatch}};
  proof["accuracy_m"] = form.accuracy_m ? json::value(*form.accuracy_m) : json::value(nullptr);
  proof["captured_at"] = form.captured_at ? json::value(core::format_iso8601(*form.captured_at)) : json::value(nullptr);
  proof["distance_m"] = distance_m ? json::value(std::round(*distance_m * 10) / 10) : json::value(nullptr);
  if (!form.reason.empty()) proof["reason"] = form.reason;
  if (!form.next_step.empty()) proof["next_step"] = form.next_step;
  return to_json(json::object{{"proof", std::move(proof)}});
}

json::object proof_json(const domain::Event& e, std::string_view url_prefix) {
  boost::system::error_code ec;
  json::value payload = json::parse(e.payload_json, ec);
  json::object proof;
  if (!ec && payload.is_object()) {
    if (auto* p = payload.as_object().if_contains("proof"); p && p->is_object()) proof = p->as_object();
  }
  auto with_url = [&](json::value v) {
    if (v.is_object()) {
      auto& o = v.as_object();
      if (auto* sha = o.if_contains("sha256"); sha && sha->is_string())
        o["url"] = std::string(url_prefix) + std::string(sha->as_string());
    }
    return v;
  };
  json::array photos;
  if (auto* ps = proof.if_contains("photos"); ps && ps->is_array())
    for (const auto& p : ps->as_array()) photos.push_back(with_url(p));
  json::value location = nullptr;
  if (e.location) location = json::object{{"lat", e.location->lat()}, {"lon", e.location->lon()}};
  auto field = [&](std::string_view k) -> json::value {
    auto* v = proof.if_contains(k);
    return v ? *v : json::value(nullptr);
  };
  return json::object{{"shipment_id", e.shipment_id.str()},
                      {"event_id", e.id.str()},
                      {"delivered_at", core::format_iso8601(e.at)},
                      {"recipient_name", field("recipient_name")},
                      {"left_at", field("left_at")},
                      {"notes", field("notes")},
                      {"location", std::move(location)},
                      {"accuracy_m", field("accuracy_m")},
                      {"captured_at", field("captured_at")},
                      {"photos", std::move(photos)},
                      {"signature", with_url(field("signature"))},
                      {"location_mismatch", field("location_mismatch").is_bool() ? field("location_mismatch") : false},
                      {"distance_m", field("distance_m")}};
}

}  // namespace lastmile::api
