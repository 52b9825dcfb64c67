#pragma once
// Time: a Timestamp is milliseconds since the Unix epoch, UTC. Domain logic takes time from its
// inputs or from an injected Clock, never from the wall clock directly.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lastmile::core {

struct Timestamp {
  int64_t ms = 0;
  auto operator<=>(const Timestamp&) const = default;
};

// "2024-01-01T12:00:00.000Z" (always UTC, milliseconds).
std::string format_iso8601(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]"; a missing offset means UTC. nullopt on any error.
std::optional<Timestamp> parse_iso8601(std::string_view text);
// "YYYY-MM-DD" → midnight UTC of that day; nullopt unless a valid calendar date.
std::optional<Timestamp> parse_date(std::string_view text);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp t) : ms_(t.ms) {}
  Timestamp now() const override { return Timestamp{ms_.load()}; }
  void set(Timestamp t) { ms_.store(t.ms); }
  void advance_ms(int64_t ms) { ms_.fetch_add(ms); }

 private:
  std::atomic<int64_t> ms_;  // tests move time while pipeline threads read it
};

}  // namespace lastmile::core
