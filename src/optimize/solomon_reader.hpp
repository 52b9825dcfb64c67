#pragma once
// Reader of Solomon VRPTW instances (text): the name; `VEHICLE` with NUMBER and CAPACITY; `CUSTOMER`
// with rows CUST NO., XCOORD., YCOORD., DEMAND, READY TIME, DUE DATE, SERVICE TIME; row 0 is the depot.
// The problem: NUMBER identical vehicles at the depot (shift = the depot's window), one job per
// customer, Euclidean matrix with distance = travel time (no rounding), objective vehicles then distance.

#include <string_view>

#include "optimize/optimize_error.hpp"
#include "optimize/problem.hpp"

namespace lastmile::optimize {

inline constexpr std::size_t kMaxSolomonCustomers = 2000;

// On failure: kParseError with the line (a missing section, a row that is not 7 numbers, an integer
// expected), kInvalidValue (negative demand, due < ready, more than kMaxSolomonCustomers customers, no
// vehicle, a depot row whose number is not 0), kMissingField (no VEHICLE or CUSTOMER section, no depot).
Expected<Problem> read_solomon(std::string_view text);

}  // namespace lastmile::optimize
