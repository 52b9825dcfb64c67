#pragma once
// From rollups to the figures the API shows (docs/analytics.md): rates, percentiles, cost from a
// carrier's rate card, the marks below the tenant's targets, and the grouping of days into weeks.
// Pure: no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/rollup.hpp"
#include "core/error.hpp"

namespace lastmile::analytics {

// A carrier's prices, in the tenant's currency units (e.g. euros), each ≥ 0.
struct RateCard {
  double per_stop = 0;
  double per_km = 0;
  double per_parcel = 0;
  std::string currency = "EUR";  // ISO 4217 code, three capital letters
};
// kInvalidField ("per_stop", "per_km", "per_parcel", "currency") for a negative, non-finite or
// huge (> 1e6) price, or a currency that is not three capital letters.
core::Status validate_rate_card(const RateCard& card);

// The tenant's targets; an unset target marks nothing. Rates and CSAT are percentages (0–100), NPS
// −100…100, lateness minutes.
struct Targets {
  std::optional<double> on_time_rate;        // at least
  std::optional<double> first_attempt_rate;  // at least
  std::optional<double> csat;                // at least
  std::optional<double> nps;                 // at least
  std::optional<double> tracking_quality;    // at least
  std::optional<double> lateness_p90_min;    // at most
  std::optional<double> cost_per_delivery;   // at most
};
// kInvalidField naming the target when out of its range.
core::Status validate_targets(const Targets& t);

struct Figures {
  Rollup totals;
  std::optional<double> on_time_rate;        // % of windowed deliveries on time
  std::optional<double> first_attempt_rate;  // % of finished shipments delivered at the first attempt
  std::optional<int64_t> lateness_p50_min;
  std::optional<int64_t> lateness_p90_min;
  // Per kind name: finished shipments with a case of that kind per 100 deliveries.
  std::vector<std::pair<std::string, double>> exceptions_per_100;
  int64_t missed_scans = 0;                  // finished shipments with a missing_scan case
  std::optional<double> csat;                // % of ratings with 4–5 stars
  std::optional<double> nps;                 // % promoters − % detractors
  std::optional<double> tracking_quality;    // % of finished routes' driving time covered by pings
  std::optional<double> cost;                // stops, km and parcels priced by the rate card
  std::optional<double> cost_per_delivery;
  std::vector<std::string> below_target;     // target names this misses, in Targets order
};

// Figures of a merged rollup; cost only with a rate card. Rates are rounded to 0.1.
Figures compute_figures(const Rollup& r, const RateCard* card, const Targets& targets);

enum class Grouping { kDay, kWeek, kTotal };
std::optional<Grouping> parse_grouping(std::string_view name);

// The period a day ("YYYY-MM-DD") belongs to: the day itself, its ISO week ("2026-W49", weeks
// start on Monday, in UTC) or "total".
std::string period_of(std::string_view day, Grouping g);

// "YYYY-MM-DD" for a date parameter: kInvalidField (field `field`) unless a valid calendar date.
core::Result<std::string> parse_day(std::string_view text, const std::string& field);
// Days from `from` to `to` inclusive (both valid days).
int64_t days_between(std::string_view from, std::string_view to);

}  // namespace lastmile::analytics
