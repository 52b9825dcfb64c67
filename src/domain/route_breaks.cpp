#include "domain/route_breaks.hpp"

namespace lastmile::domain {

std::vector<BreakPending> breaks_pending(std::span<const RouteBreak> breaks, std::size_t done, bool left_start) {
  std::vector<BreakPending> out;
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    const auto after = static_cast<std::size_t>(breaks[i].after_stops);
    const bool behind = after == 0 ? done > 0 || left_start : done >= after;
    if (!behind) out.push_back({i, after - done});
  }
  return out;
}

}  // namespace lastmile::domain
