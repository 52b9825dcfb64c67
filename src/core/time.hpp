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

// Time running `speedup` times faster than a base clock, for demos and tests (`serve
// --clock-speedup`, `lastmile simulate --speedup`): now() = start + speedup × (base.now() − base at
// construction), rounded to the millisecond. With speedup 1 and the default start it is the base
// clock exactly. Not for production: every time the server reads (ping filter, fences, ETA, event
// times) runs ahead of the wall clock.
// REQUIRES: speedup > 0 and finite; `base` outlives this clock. Thread-safe (immutable; base's now()
// must be thread-safe, as SystemClock and ManualClock are).
class ScaledClock final : public Clock {
 public:
  // Starts at the base clock's present time.
  ScaledClock(const Clock& base, double speedup) : ScaledClock(base, speedup, base.now()) {}
  // Starts at `start` (e.g. a server's time read from an answer, to run in step with it).
  ScaledClock(const Clock& base, double speedup, Timestamp start)
      : base_(base), speedup_(speedup), base_origin_(base.now()), start_(start) {}
  Timestamp now() const override;
  double speedup() const { return speedup_; }
  // The base-clock milliseconds until now() reaches `t` (0 when it already has), rounded up.
  int64_t base_ms_until(Timestamp t) const;

 private:
  const Clock& base_;
  const double speedup_;
  const Timestamp base_origin_;
  const Timestamp start_;
};

}  // namespace lastmile::core
