#pragma once
// Redaction of personal fields in a stored event payload (docs/privacy.md). Pure.

#include <optional>
#include <string>
#include <string_view>

namespace lastmile::storage {

// The payload with every non-empty string under a personal key ("recipient_name", "notes", "note",
// "comment", at any depth) replaced by `marker`; nullopt when nothing changed or `payload` is not
// a JSON object. Other fields (image digests, left_at, distances) are kept as they are.
std::optional<std::string> redact_personal_fields(std::string_view payload, std::string_view marker);

}  // namespace lastmile::storage
