#include "eta/history_lade.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <tuple>

namespace lastmile::eta {
namespace {

constexpr std::array<std::string_view, 8> kColumns = {"order_id",         "courier_id",       "lng", "lat",
                                                      "delivery_time",    "delivery_gps_lng", "delivery_gps_lat",
                                                      "ds"};
enum Col { kOrder, kCourier, kLng, kLat, kTime, kGpsLng, kGpsLat, kDs };

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_nan_text(std::string_view s) { return s == "nan" || s == "NaN" || s.empty(); }

core::Error bad(int line, std::string_view column, std::string message) {
  return core::Error::invalid_field("line " + std::to_string(line) + ": " + std::string(column), std::move(message));
}

}  // namespace

core::Result<std::vector<LadeDelivery>> parse_lade_deliveries(std::string_view csv, const LadeOptions& options) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < csv.size();) {
    size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  if (lines.empty() || lines[0].empty()) return core::Error::missing_field("header");
  const std::vector<std::string_view> header = split(lines[0]);
  std::array<size_t, kColumns.size()> at{};
  for (size_t c = 0; c < kColumns.size(); ++c) {
    auto it = std::find(header.begin(), header.end(), kColumns[c]);
    if (it == header.end()) return core::Error::missing_field(std::string(kColumns[c]));
    at[c] = static_cast<size_t>(it - header.begin());
  }

  std::vector<LadeDelivery> out;
  for (size_t i = 1; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i) + 1;
    if (lines[i].empty()) continue;
    const std::vector<std::string_view> f = split(lines[i]);
    if (f.size() != header.size())
      return core::Error::invalid_field("line " + std::to_string(line_no),
                                        "expected " + std::to_string(header.size()) + " columns, found " +
                                            std::to_string(f.size()));
    LadeDelivery d{.order_id = std::string(f[at[kOrder]]),
                   .courier = {},
                   .destination = *core::LatLon::from_unsafe({0, 0}),
                   .delivered_at = std::nullopt,
                   .delivery_time = {},
                   .ds = std::string(f[at[kDs]]),
                   .line = line_no};
    const std::string_view courier = f[at[kCourier]];
    if (courier.empty() || !parse_double(courier)) return bad(line_no, "courier_id", "courier_id must be a number");
    d.courier = core::DriverId("drv_lade_" + std::string(courier));

    const auto lng = parse_double(f[at[kLng]]);
    const auto lat = parse_double(f[at[kLat]]);
    if (!lng) return bad(line_no, "lng", "lng must be a number");
    if (!lat) return bad(line_no, "lat", "lat must be a number");
    const auto dest = core::LatLon::from_unsafe({*lat, *lng});
    if (!dest) return bad(line_no, "lat", "destination out of range");
    d.destination = *dest;

    const std::string_view glng = f[at[kGpsLng]], glat = f[at[kGpsLat]];
    if (!is_nan_text(glng) || !is_nan_text(glat)) {
      const auto x = parse_double(glng);
      const auto y = parse_double(glat);
      if (!x) return bad(line_no, "delivery_gps_lng", "delivery_gps_lng must be a number or nan");
      if (!y) return bad(line_no, "delivery_gps_lat", "delivery_gps_lat must be a number or nan");
      const auto fix = core::LatLon::from_unsafe({*y, *x});
      if (!fix) return bad(line_no, "delivery_gps_lat", "GPS fix out of range");
      d.delivered_at = *fix;
    }

    // "MM-DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS", local time.
    const std::string_view t = f[at[kTime]];
    if (t.size() != 14 || t[2] != '-' || t[5] != ' ')
      return bad(line_no, "delivery_time", "delivery_time must be MM-DD HH:MM:SS");
    char iso[32];
    std::snprintf(iso, sizeof iso, "%04d-%.5sT%.8s", options.year, t.data(), t.data() + 6);
    const auto local = core::parse_iso8601(iso);
    if (!local) return bad(line_no, "delivery_time", "delivery_time is not a valid date and time");
    d.delivery_time = core::Timestamp{local->ms - int64_t{options.utc_offset_s} * 1000};
    if (d.ds.size() != 4 || d.ds.substr(0, 2) != t.substr(0, 2) || d.ds.substr(2, 2) != t.substr(3, 2))
      return bad(line_no, "ds", "ds must be the MMDD of delivery_time");
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<NextDelivery> next_deliveries(const std::vector<LadeDelivery>& deliveries) {
  std::map<std::pair<std::string, std::string>, std::vector<const LadeDelivery*>> days;
  for (const LadeDelivery& d : deliveries) days[{d.courier.str(), d.ds}].push_back(&d);
  auto earlier = [](const LadeDelivery* a, const LadeDelivery* b) {
    return std::tie(a->delivery_time, a->line) < std::tie(b->delivery_time, b->line);
  };
  std::vector<NextDelivery> out;
  for (auto& entry : days) {
    auto& v = entry.second;
    std::sort(v.begin(), v.end(), earlier);
    for (size_t i = 0; i + 1 < v.size(); ++i) out.push_back({v[i], v[i + 1]});
  }
  std::sort(out.begin(), out.end(), [&](const NextDelivery& a, const NextDelivery& b) { return earlier(a.to, b.to); });
  return out;
}

}  // namespace lastmile::eta
