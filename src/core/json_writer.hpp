#pragma once
// Writing JSON: compact text with doubles in their shortest round-trip form ("43.7384", where
// Boost 1.81's serialize writes "4.37384E1"). Used for every response body and live message.

#include <boost/json/value.hpp>

#include <string>

namespace lastmile::core {

std::string to_json(const boost::json::value& v);

}  // namespace lastmile::core
