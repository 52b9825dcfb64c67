#pragma once
// Where the real traces of tests/data/traces/ are, and reading them.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lastmile::eta::test {

// $LASTMILE_SOURCE_DIR/tests/data/traces, else the first ancestor of the test binary (or of the
// working directory) that holds tests/data/traces/NOTICE.
inline std::filesystem::path traces_dir() {
  if (const char* env = std::getenv("LASTMILE_SOURCE_DIR")) return std::filesystem::path(env) / "tests/data/traces";
  for (std::filesystem::path start : {std::filesystem::read_symlink("/proc/self/exe"), std::filesystem::current_path()}) {
    for (auto p = start; p.has_relative_path(); p = p.parent_path()) {
      if (std::filesystem::exists(p / "tests/data/traces/NOTICE")) return p / "tests/data/traces";
    }
  }
  return std::filesystem::current_path() / "tests/data/traces";
}

// The whole file, or "" when it cannot be read.
inline std::string read_trace(const std::string& relative) {
  std::ifstream in(traces_dir() / relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const char* kLadeCsv = "lade_delivery_jilin/delivery_jl_rows_first106.csv";
inline const char* kMunichJson = "barefoot_munich/x0001-001.json";

}  // namespace lastmile::eta::test
