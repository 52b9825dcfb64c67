#pragma once
// Helpers shared by the pipeline tests.

#include "core/time.hpp"
#include "ingest/ping.hpp"

namespace lastmile::pipeline::testing {

// A fix at `t` with 8 m accuracy (good enough for every filter).
inline ingest::UnsafePing fix(core::Timestamp t, double lat, double lon) {
  ingest::UnsafePing p;
  p.t = t;
  p.position = {lat, lon};
  p.accuracy_m = 8;
  return p;
}

}  // namespace lastmile::pipeline::testing
