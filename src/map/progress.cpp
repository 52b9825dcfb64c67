#include "map/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace lastmile::map {

Progress::Mode Progress::mode_for(std::FILE* out) {
  return ::isatty(::fileno(out)) ? Mode::kBar : Mode::kLines;
}

void Progress::update(std::string_view stage, uint64_t done, uint64_t total) {
  if (mode_ != Mode::kBar || total == 0) return;
  const int percent = static_cast<int>(std::min<uint64_t>(100, done * 100 / total));
  if (percent == last_percent_ && stage == last_stage_) return;
  last_percent_ = percent;
  last_stage_ = stage;
  constexpr int kWidth = 30;
  const int filled = percent * kWidth / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(out_, "\r%s: [%s] %3d%% %.*s\x1b[K", prefix_.c_str(), bar.c_str(), percent,
               static_cast<int>(stage.size()), stage.data());
  std::fflush(out_);
  bar_shown_ = true;
}

void Progress::note(std::string_view text) {
  if (mode_ == Mode::kQuiet) return;
  clear_bar();
  std::fprintf(out_, "%s: %.*s\n", prefix_.c_str(), static_cast<int>(text.size()), text.data());
  std::fflush(out_);
  last_percent_ = -1;
}

void Progress::clear_bar() {
  if (!bar_shown_) return;
  std::fprintf(out_, "\r\x1b[K");
  std::fflush(out_);
  bar_shown_ = false;
}

}  // namespace lastmile::map
