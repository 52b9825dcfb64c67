// libFuzzer target: the image header sniffer and the SVG signature check (src/pod/).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pod/image_sniffer.hpp"
#include "pod/svg_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto info = lastmile::pod::sniff_image(bytes)) {
    // Accepted dimensions are always within the documented range.
    if (info->width == 0 || info->height == 0 || info->width > lastmile::pod::kMaxImageSide ||
        info->height > lastmile::pod::kMaxImageSide)
      __builtin_trap();
  }
  (void)lastmile::pod::check_svg_signature(bytes);
  return 0;
}
