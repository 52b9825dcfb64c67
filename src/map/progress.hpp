#pragma once
// Progress of a long command on a stream (stderr): a redrawn bar when the stream is a terminal,
// plain lines ("import-map: read 180118 nodes") otherwise, so logs and CI output stay readable.
// Not thread-safe: one command reports from one thread.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace lastmile::map {

class Progress {
 public:
  enum class Mode { kBar, kLines, kQuiet };

  // kBar when `out` is a terminal, else kLines.
  static Mode mode_for(std::FILE* out);

  Progress(std::string prefix, Mode mode, std::FILE* out = stderr)
      : prefix_(std::move(prefix)), mode_(mode), out_(out) {}
  ~Progress() { clear_bar(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` of `total` units of `stage` (total 0: unknown). Redraws the bar at most once per
  // percent; writes nothing in kLines mode (stages end with note()).
  void update(std::string_view stage, uint64_t done, uint64_t total);
  // One finished step, as a line: "<prefix>: <text>".
  void note(std::string_view text);

 private:
  void clear_bar();

  std::string prefix_;
  Mode mode_;
  std::FILE* out_;
  int last_percent_ = -1;
  std::string last_stage_;
  bool bar_shown_ = false;
};

}  // namespace lastmile::map
