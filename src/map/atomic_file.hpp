#pragma once
// Writing a file so that a reader never sees half of it: into `path.tmp`, then renamed into place.

#include <functional>
#include <ostream>
#include <string>

#include "map/map_error.hpp"

namespace lastmile::map {

// `write` fills the stream. Returns the bytes written. Errors: kIoError (the temporary file is
// removed; `path` is left as it was).
Result<uint64_t> write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace lastmile::map
