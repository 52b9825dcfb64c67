#pragma once
// Analytics rollups (docs/analytics.md): the counters one (tenant, carrier|driver, day) adds up to,
// how two rollups merge, and the lateness histogram the percentiles come from. Pure: no I/O.
//
// A rollup only holds sums and counts, so any range of days merges exactly: figures over a week or
// a quarter are the merge of its days, never a re-scan of deliveries.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lastmile::analytics {

// Upper bounds (minutes, inclusive) of the lateness buckets; bucket 0 is "on time" (not late), the
// last bucket (index kLatenessBounds.size()) holds everything later than the last bound.
inline constexpr std::array<int64_t, 16> kLatenessBounds = {0,   5,   10,  15,  20,  30,  45,  60,
                                                            90, 120, 180, 240, 360, 480, 720, 1440};
inline constexpr size_t kLatenessBuckets = kLatenessBounds.size() + 1;
// One counter per domain::ExceptionKind, by its enum value (new kinds are appended there).
inline constexpr size_t kExceptionKinds = 9;

struct Rollup {
  int64_t deliveries = 0;       // shipments delivered
  int64_t finished = 0;         // shipments delivered or returned (first-attempt denominator)
  int64_t first_attempt = 0;    // delivered without a failed attempt before
  int64_t returned = 0;         // shipments returned
  int64_t failed_attempts = 0;  // attempt_failed events of the finished shipments
  int64_t windowed = 0;         // deliveries with a promised window (on-time denominator)
  int64_t on_time = 0;          // of those, delivered at or before the window's end
  int64_t parcels = 0;          // parcels of the deliveries
  int64_t stops = 0;            // stops visited on finished routes
  double km = 0;                // distance driven on finished routes (track points)
  int64_t routes = 0;           // finished routes
  double route_s = 0;           // driving time of finished routes with a start (seconds)
  double tracked_s = 0;         // of that, time covered by pings at most 30 s apart
  int64_t surveys = 0;          // ratings of the deliveries
  int64_t csat_good = 0;        // ratings of 4 or 5 stars
  int64_t nps_count = 0;        // ratings with an NPS answer
  int64_t promoters = 0;        // NPS 9–10
  int64_t detractors = 0;       // NPS 0–6
  std::array<int64_t, kLatenessBuckets> lateness{};   // deliveries with a window, by lateness bucket
  std::array<int64_t, kExceptionKinds> exceptions{};  // finished shipments with a case of each kind

  bool operator==(const Rollup&) const = default;
};

// Adds `from` into `into`, field by field.
void merge(Rollup& into, const Rollup& from);

// The bucket of a lateness (delivered_at − window end, milliseconds; ≤ 0 is on time).
size_t lateness_bucket(int64_t late_ms);
// Nearest-rank percentile (p in (0, 1]) of the histogram, as the upper bound of the bucket holding
// it in minutes; for the open last bucket, the last bound. nullopt when the histogram is empty.
std::optional<int64_t> lateness_percentile(std::span<const int64_t, kLatenessBuckets> histogram, double p);

// "3,0,1": counters as decimal text, for a TEXT column. parse_counts fills `out` (missing trailing
// values are 0) and returns false on malformed text or too many values.
std::string encode_counts(std::span<const int64_t> counts);
bool parse_counts(std::string_view text, std::span<int64_t> out);

}  // namespace lastmile::analytics
