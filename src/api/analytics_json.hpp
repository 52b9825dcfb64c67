#pragma once
// Analytics API bodies (docs/analytics.md): daily rollup rows grouped into periods with their
// figures, as JSON items or RFC 4180 CSV; rate cards and targets to and from JSON.

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/figures.hpp"
#include "storage/analytics_store.hpp"

namespace lastmile::api {

struct AnalyticsItem {
  std::string key_id;      // carrier or driver id
  std::string name;
  std::string carrier_id;  // a driver item: the driver's carrier
  std::string period;      // a day, an ISO week or "total"
  analytics::Figures figures;
  std::string currency;    // of the rate card used; "" without one
};

// Merges `rows` (sorted by key then day) per (key, period) and computes each group's figures with
// the rate card of its carrier (none: no cost). Items are ordered by name, key, period.
std::vector<AnalyticsItem> group_analytics(const std::vector<storage::AnalyticsRow>& rows, analytics::Grouping g,
                                           const std::map<std::string, analytics::RateCard>& cards,
                                           const analytics::Targets& targets);

boost::json::object analytics_item_json(const AnalyticsItem& item, storage::AnalyticsDim dim);
// A header line and one line per item, CRLF line ends, text fields quoted when needed (RFC 4180);
// numbers as plain decimals (an empty field is null).
std::string analytics_csv(const std::vector<AnalyticsItem>& items, storage::AnalyticsDim dim);
// One RFC 4180 field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF, or starts
// with a character a spreadsheet would treat as a formula (=, +, -, @), then also prefixed by '.
std::string csv_field(std::string_view text);

boost::json::object rate_card_json(const analytics::RateCard& card);
// kMissingField / kWrongType / kInvalidField with the field name.
core::Result<analytics::RateCard> parse_rate_card(const boost::json::object& body);
boost::json::object targets_json(const analytics::Targets& t);
core::Result<analytics::Targets> parse_targets(const boost::json::object& body);

}  // namespace lastmile::api
