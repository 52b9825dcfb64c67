#include "map/route_command.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string_view>

#include "map/graph.hpp"
#include "map/router.hpp"

namespace lastmile::map {
namespace {

std::optional<core::LatLon> parse_point(std::string_view text) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<double> {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
  };
  const auto lat = number(text.substr(0, comma)), lon = number(text.substr(comma + 1));
  if (!lat || !lon) return std::nullopt;
  return core::LatLon::from_unsafe({*lat, *lon});
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int route_command(const std::string& graph_file, const std::string& from_text, const std::string& to_text,
                  std::ostream& out, std::ostream& err) {
  const auto from = parse_point(from_text);
  const auto to = parse_point(to_text);
  if (!from || !to) {
    err << "route: error invalid_coordinate: " << (from ? "--to" : "--from")
        << " must be 'lat,lon' in decimal degrees (lat -90..90, lon -180..180)\n";
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto graph = Graph::open(graph_file);
  if (!graph) {
    err << "route: error " << code_name(graph.error().code) << ": " << graph.error().message << "\n";
    return 1;
  }
  const Router router(std::move(*graph));
  const double load_ms = ms_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto route = router.route(*from, *to);
  const double query_ms = ms_since(t1);
  if (!route) {
    err << "route: error " << code_name(route.error().code) << ": " << route.error().message << "\n";
    return 1;
  }
  char line[160];
  std::snprintf(line, sizeof line, "duration_s=%.1f distance_m=%.1f points=%zu load_ms=%.1f query_ms=%.2f\n",
                route->duration_s, route->distance_m, route->geometry.size(), load_ms, query_ms);
  out << line;
  return 0;
}

}  // namespace lastmile::map
