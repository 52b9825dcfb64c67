#include "map/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace lastmile::map {

Result<uint64_t> write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp";
  uint64_t bytes = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{ErrorCode::kIoError, "cannot create " + tmp + ": " + std::strerror(errno)};
    write(out);
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error{ErrorCode::kIoError, "cannot write " + tmp};
    }
    bytes = static_cast<uint64_t>(out.tellp());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{ErrorCode::kIoError, "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno)};
  }
  return bytes;
}

}  // namespace lastmile::map
