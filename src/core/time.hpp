#pragma once
// Time: a Timestamp is milliseconds since the Unix epoch, UTC. Domain logic takes time from its
// inputs or from an injected Clock, never from the wall clock directly.

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
  explicit ManualClock(Timestamp t) : t_(t) {}
  Timestamp now() const override { return t_; }
  void set(Timestamp t) { t_ = t; }
  void advance_ms(int64_t ms) { t_.ms += ms; }

 private:
  Timestamp t_;
};

}  // namespace lastmile::core
