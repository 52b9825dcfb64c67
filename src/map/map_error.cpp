#include "map/map_error.hpp"

namespace lastmile::map {

std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kFileNotFound: return "file_not_found";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kInvalidOsm: return "invalid_osm";
    case ErrorCode::kEmptyMap: return "empty_map";
    case ErrorCode::kNotAGraph: return "not_a_graph";
    case ErrorCode::kUnsupportedVersion: return "unsupported_version";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kOutsideMap: return "outside_map";
    case ErrorCode::kNoRoute: return "no_route";
  }
  return "io_error";
}

}  // namespace lastmile::map
