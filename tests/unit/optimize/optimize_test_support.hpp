#pragma once
// Shared helpers of the optimize tests: the bundled Solomon instances and a tiny hand-made problem.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "optimize/problem.hpp"
#include "optimize/solomon_reader.hpp"

namespace lastmile::optimize::test {

// The repository root: $LASTMILE_SOURCE_DIR, else the first ancestor of the test binary (or of the
// working directory) that holds data/solomon.
inline std::filesystem::path source_dir() {
  if (const char* env = std::getenv("LASTMILE_SOURCE_DIR")) return env;
  for (std::filesystem::path start : {std::filesystem::read_symlink("/proc/self/exe"), std::filesystem::current_path()}) {
    for (auto p = start; p.has_relative_path(); p = p.parent_path()) {
      if (std::filesystem::exists(p / "data/solomon/C101.txt")) return p;
    }
  }
  return std::filesystem::current_path();
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline Problem solomon(const std::string& name) {
  auto p = read_solomon(read_text(source_dir() / "data/solomon" / (name + ".txt")));
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().describe());
  return p.ok() ? std::move(p).value() : Problem{};
}

// Depot at x = 0 and three customers on a line at x = 10, 20, 30 (travel time = distance); two vehicles
// of capacity 10 with a shift [0, 1000]; vehicle 1 has skill 7, job 2 needs it.
inline Problem line_problem() {
  Problem p;
  p.name = "line";
  p.matrix = euclidean_matrix({{0, 0}, {10, 0}, {20, 0}, {30, 0}});
  for (int v = 0; v < 2; ++v) {
    Vehicle veh;
    veh.id = ExternalId{v + 1};
    veh.start = veh.end = LocationIndex{0};
    veh.capacity = {10};
    veh.shift = {0, 1000};
    if (v == 1) veh.skills = {7};
    p.vehicles.push_back(veh);
  }
  for (int j = 0; j < 3; ++j) {
    Job job;
    job.id = ExternalId{j + 1};
    job.location = LocationIndex{static_cast<std::size_t>(j + 1)};
    job.delivery = {4};
    job.pickup = {0};
    job.service = 5;
    job.windows = {{0, 1000}};
    p.jobs.push_back(job);
  }
  p.jobs[2].skills = {7};
  return p;
}

}  // namespace lastmile::optimize::test
