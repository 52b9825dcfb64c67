#pragma once
// The JSON of a proof of delivery (docs/api.md, "Proof of delivery"), shared by the staff and the
// public routes. The proof lives in its `delivered` event's payload (so the hash chain covers it).

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "api/proof_form.hpp"
#include "domain/entities.hpp"
#include "storage/store.hpp"

namespace lastmile::api {

// One stored image as listed in a payload: {"sha256","content_type","width","height","bytes"}.
boost::json::object blob_json(const storage::BlobRecord& b);

// The payload of a proof's event.
std::string proof_payload(const ProofForm& form, const std::vector<storage::ProofBlob>& blobs,
                          std::optional<double> distance_m, bool location_mismatch);

// The proof JSON of a `delivered` event; photo/signature urls are `url_prefix` + sha256.
boost::json::object proof_json(const domain::Event& e, std::string_view url_prefix);

}  // namespace lastmile::api
