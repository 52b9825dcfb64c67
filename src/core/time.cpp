#include "core/time.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace lastmile::core {
namespace {

bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<int64_t> days_from_civil(int y, int m, int d) {
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

}  // namespace

std::string format_iso8601(Timestamp t) {
  using namespace std::chrono;
  int64_t ms = t.ms;
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rem = ms - days * 86400000;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return buf;
}

std::optional<Timestamp> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_int(s, 0, 4, y) || !read_int(s, 5, 2, m) || !read_int(s, 8, 2, d)) return std::nullopt;
  auto days = days_from_civil(y, m, d);
  if (!days) return std::nullopt;
  return Timestamp{*days * 86400000};
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
  if (s.size() < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  int hh, mm, ss;
  if (s[13] != ':' || s[16] != ':') return std::nullopt;
  if (!read_int(s, 11, 2, hh) || !read_int(s, 14, 2, mm) || !read_int(s, 17, 2, ss)) return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    int64_t scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) frac_ms += (s[pos] - '0') * scale, scale /= 10;
      ++pos, ++digits;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (pos < s.size()) {
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
      ++pos;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
      int oh, om;
      if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return std::nullopt;
    }
  }
  int64_t ms = date->ms + ((hh * 60 + mm) * 60 + ss) * 1000LL + frac_ms - offset_min * 60000;
  return Timestamp{ms};
}

Timestamp SystemClock::now() const {
  using namespace std::chrono;
  return Timestamp{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

Timestamp ScaledClock::now() const {
  const double elapsed = static_cast<double>(base_.now().ms - base_origin_.ms);
  return Timestamp{start_.ms + static_cast<int64_t>(std::llround(elapsed * speedup_))};
}

int64_t ScaledClock::base_ms_until(Timestamp t) const {
  const int64_t ahead = t.ms - now().ms;
  if (ahead <= 0) return 0;
  return static_cast<int64_t>(std::ceil(static_cast<double>(ahead) / speedup_));
}

}  // namespace lastmile::core
