#include "notify/webhook_types.hpp"

#include <algorithm>

#include "domain/exception_queue.hpp"
#include "domain/milestone.hpp"

namespace lastmile::notify {
namespace {

void add(std::vector<std::string>& out, std::string type) {
  if (std::find(out.begin(), out.end(), type) == out.end()) out.push_back(std::move(type));
}

// The payload carries a proof of delivery ({"proof": {…}}, api/handlers/proof_json.cpp).
bool carries_proof(const domain::Event& e) { return e.payload_json.find("\"proof\":{") != std::string::npos; }

}  // namespace

std::vector<std::string> webhook_types(const domain::Event& e) {
  std::vector<std::string> out;
  if (e.milestone) add(out, "shipment." + std::string(domain::milestone_name(*e.milestone)));
  if (e.type == "driver_arrived") add(out, "stop.arrived");
  if (e.type == "driver_departed") add(out, "stop.departed");
  if (e.type == "eta_changed") add(out, "shipment.eta_changed");
  if (e.type == "scan") add(out, "scan.recorded");
  if (e.type == "survey_submitted") add(out, "survey.submitted");
  if (carries_proof(e)) add(out, "proof.captured");
  for (const auto& s : domain::exception_signals(e))
    add(out, s.action == domain::ExceptionSignal::Action::kRaise ? "exception.raised" : "exception.resolved");
  return out;
}

const std::vector<std::string>& known_webhook_types() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> t;
    for (auto m : domain::all_milestones()) t.push_back("shipment." + std::string(domain::milestone_name(m)));
    for (const char* s : {"shipment.eta_changed", "stop.arrived", "stop.departed", "scan.recorded", "proof.captured",
                          "exception.raised", "exception.resolved", "survey.submitted"})
      t.emplace_back(s);
    return t;
  }();
  return kTypes;
}

bool valid_event_pattern(std::string_view pattern) {
  if (pattern == "*") return true;
  const auto& known = known_webhook_types();
  if (pattern.size() > 2 && pattern.ends_with(".*")) {
    const auto prefix = pattern.substr(0, pattern.size() - 1);  // "shipment."
    return std::any_of(known.begin(), known.end(), [&](const std::string& t) { return t.starts_with(prefix); });
  }
  return std::find(known.begin(), known.end(), pattern) != known.end();
}

bool pattern_matches(std::string_view pattern, std::string_view type) {
  if (pattern == "*") return true;
  if (pattern.ends_with(".*")) return type.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == type;
}

bool any_pattern_matches(const std::vector<std::string>& patterns, std::string_view type) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return pattern_matches(p, type); });
}

}  // namespace lastmile::notify
