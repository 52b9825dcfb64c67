#pragma once
// Reading delivery history from the LaDe dataset (LaDe-D, Cainiao; Wu et al., KDD 2024): one row
// per delivered package with the courier's GPS fix and the time of the delivery scan. It is outside
// input: the parser checks every field and returns an error naming the line and column.
//
// Columns used (found by name in the header, any order, other columns ignored): order_id,
// courier_id, lng, lat (the destination), delivery_time ("MM-DD HH:MM:SS", local time, no year),
// delivery_gps_lng, delivery_gps_lat ("nan" when the fix is missing) and ds ("MMDD", the day).
//
// Pure: parses text it is given; the caller reads the file.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace lastmile::eta {

struct LadeDelivery {
  std::string order_id;
  core::DriverId courier;                     // "drv_lade_<courier_id>"
  core::LatLon destination;                   // lng/lat of the package
  std::optional<core::LatLon> delivered_at;   // the courier's fix at the delivery scan, if any
  core::Timestamp delivery_time;              // UTC (local time − utc_offset_s)
  std::string ds;                             // "MMDD"
  int line = 0;                               // 1-based line in the file (the header is line 1)

  // Where the courier was at delivery: the GPS fix, else the destination.
  core::LatLon position() const { return delivered_at.value_or(destination); }
};

struct LadeOptions {
  // The file has no year. The weekday (hour_of_week) depends on it; durations do not. LaDe covers
  // six months of operation; the year is an assumption of the caller.
  int year = 2022;
  int utc_offset_s = 8 * 3600;  // China Standard Time
};

// Errors: kMissingField ("header" for empty text, or the name of a required column absent from the
// header); kInvalidField with field "line <n>" (wrong number of columns) or "line <n>: <column>"
// (a number, coordinate or time that does not parse or is out of range, or ds that disagrees with
// delivery_time's date).
core::Result<std::vector<LadeDelivery>> parse_lade_deliveries(std::string_view csv, const LadeOptions& options = {});

// Two deliveries of the same courier on the same day (ds) that follow each other in delivery
// time: the drive and stop between them.
struct NextDelivery {
  const LadeDelivery* from = nullptr;
  const LadeDelivery* to = nullptr;
};

// Per courier and day, the deliveries ordered by delivery_time (ties by line), as consecutive pairs;
// the result is ordered by the time of `to` (ties by line). Pointers are into `deliveries`.
std::vector<NextDelivery> next_deliveries(const std::vector<LadeDelivery>& deliveries);

}  // namespace lastmile::eta
