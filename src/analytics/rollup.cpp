#include "analytics/rollup.hpp"

#include <charconv>
#include <cmath>

namespace lastmile::analytics {

void merge(Rollup& into, const Rollup& from) {
  into.deliveries += from.deliveries;
  into.finished += from.finished;
  into.first_attempt += from.first_attempt;
  into.returned += from.returned;
  into.failed_attempts += from.failed_attempts;
  into.windowed += from.windowed;
  into.on_time += from.on_time;
  into.parcels += from.parcels;
  into.stops += from.stops;
  into.km += from.km;
  into.routes += from.routes;
  into.route_s += from.route_s;
  into.tracked_s += from.tracked_s;
  into.surveys += from.surveys;
  into.csat_good += from.csat_good;
  into.nps_count += from.nps_count;
  into.promoters += from.promoters;
  into.detractors += from.detractors;
  for (size_t i = 0; i < kLatenessBuckets; ++i) into.lateness[i] += from.lateness[i];
  for (size_t i = 0; i < kExceptionKinds; ++i) into.exceptions[i] += from.exceptions[i];
}

size_t lateness_bucket(int64_t late_ms) {
  if (late_ms <= 0) return 0;
  const int64_t minutes = (late_ms + 59'999) / 60'000;  // a late delivery is at least 1 minute late
  for (size_t i = 1; i < kLatenessBounds.size(); ++i)
    if (minutes <= kLatenessBounds[i]) return i;
  return kLatenessBounds.size();
}

std::optional<int64_t> lateness_percentile(std::span<const int64_t, kLatenessBuckets> histogram, double p) {
  int64_t total = 0;
  for (int64_t c : histogram) total += c;
  if (total == 0) return std::nullopt;
  const auto rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p * static_cast<double>(total) - 1e-9)));
  int64_t seen = 0;
  for (size_t i = 0; i < kLatenessBuckets; ++i) {
    seen += histogram[i];
    if (seen >= rank) return kLatenessBounds[std::min(i, kLatenessBounds.size() - 1)];
  }
  return kLatenessBounds.back();
}

std::string encode_counts(std::span<const int64_t> counts) {
  std::string out;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(counts[i]);
  }
  return out;
}

bool parse_counts(std::string_view text, std::span<int64_t> out) {
  for (auto& v : out) v = 0;
  if (text.empty()) return true;
  size_t i = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (;;) {
    if (i >= out.size()) return false;
    auto [next, ec] = std::from_chars(p, end, out[i]);
    if (ec != std::errc() || next == p) return false;
    ++i;
    if (next == end) return true;
    if (*next != ',') return false;
    p = next + 1;
  }
}

}  // namespace lastmile::analytics
