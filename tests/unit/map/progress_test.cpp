// Progress output: plain lines when not on a terminal, nothing when quiet, a bar only on a tty.
#include "map/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace lastmile::map {
namespace {

std::string run(Progress::Mode mode) {
  std::FILE* f = std::tmpfile();
  {
    Progress p("import-map", mode, f);
    p.update("reading nodes", 50, 100);
    p.note("read 180118 nodes");
    p.update("reading ways", 10, 0);  // unknown total: no bar
  }
  std::rewind(f);
  std::string out;
  char buf[256];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

TEST(Progress, LinesModePrintsOnlyNotes) { EXPECT_EQ(run(Progress::Mode::kLines), "import-map: read 180118 nodes\n"); }

TEST(Progress, QuietModePrintsNothing) { EXPECT_EQ(run(Progress::Mode::kQuiet), ""); }

TEST(Progress, BarModeDrawsABarAndClearsItBeforeALine) {
  const std::string out = run(Progress::Mode::kBar);
  EXPECT_NE(out.find(" 50% reading nodes"), std::string::npos);
  EXPECT_NE(out.find("\r\x1b[Kimport-map: read 180118 nodes\n"), std::string::npos);
}

TEST(Progress, AFileIsNotATerminal) {
  std::FILE* f = std::tmpfile();
  EXPECT_EQ(Progress::mode_for(f), Progress::Mode::kLines);
  std::fclose(f);
}

}  // namespace
}  // namespace lastmile::map
