#include "domain/carrier_events.hpp"

#include <array>
#include <set>

namespace lastmile::domain {
namespace {

constexpr std::array<std::pair<CarrierEventOutcome, std::string_view>, 5> kOutcomes{{
    {CarrierEventOutcome::kApplied, "applied"},
    {CarrierEventOutcome::kRecorded, "recorded"},
    {CarrierEventOutcome::kUnmapped, "unmapped"},
    {CarrierEventOutcome::kUnknownShipment, "unknown_shipment"},
    {CarrierEventOutcome::kDuplicate, "duplicate"},
}};

bool code_ok(std::string_view code) {
  if (code.empty() || code.size() > kMaxCarrierCodeLen) return false;
  for (unsigned char c : code)
    if (c <= 0x20 || c >= 0x7f) return false;  // printable ASCII, no spaces
  return true;
}

bool reason_ok(std::string_view reason) {
  if (reason.size() > 64) return false;
  for (char c : reason)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

std::string_view carrier_event_outcome_name(CarrierEventOutcome o) {
  for (const auto& [value, name] : kOutcomes)
    if (value == o) return name;
  return "recorded";
}

std::optional<CarrierEventOutcome> parse_carrier_event_outcome(std::string_view name) {
  for (const auto& [value, n] : kOutcomes)
    if (n == name) return value;
  return std::nullopt;
}

core::Status validate_code_mappings(const std::vector<CarrierCodeMapping>& mappings) {
  if (mappings.size() > kMaxCarrierMappings)
    return core::Error{core::ErrorCode::kTooLarge,
                       "at most " + std::to_string(kMaxCarrierMappings) + " mappings per carrier", "mappings"};
  std::set<std::string_view> seen;
  for (size_t i = 0; i < mappings.size(); ++i) {
    const auto& m = mappings[i];
    const std::string at = "mappings[" + std::to_string(i) + "].";
    if (!code_ok(m.code))
      return core::Error::invalid_field(at + "code", "a code is 1–64 printable characters without spaces");
    if (!seen.insert(m.code).second) return core::Error::invalid_field(at + "code", "code " + m.code + " is mapped twice");
    if (!reason_ok(m.reason)) return core::Error::invalid_field(at + "reason", "a reason is lower_snake_case, ≤ 64");
    if (m.description.size() > 200) return core::Error::invalid_field(at + "description", "at most 200 bytes");
    if (m.milestone == Milestone::kCreated)
      return core::Error::invalid_field(at + "milestone", "a carrier event cannot make a shipment 'created'");
  }
  return {};
}

CarrierEventDecision decide_carrier_event(Milestone status, core::Timestamp status_at, const CarrierCodeMapping& m,
                                          core::Timestamp occurred_at) {
  if (m.milestone == status) return {CarrierEventOutcome::kRecorded, "same_status"};
  if (occurred_at.ms < status_at.ms) return {CarrierEventOutcome::kRecorded, "older_than_current"};
  if (!transition_allowed(status, m.milestone)) return {CarrierEventOutcome::kRecorded, "not_a_forward_step"};
  return {CarrierEventOutcome::kApplied, ""};
}

}  // namespace lastmile::domain
