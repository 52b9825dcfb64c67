#pragma once
// Recognises an image by its bytes (never by its name or declared type) and reads its dimensions
// from the header. Pure: no decoding of pixel data.
//
// kUnsupportedMediaType when the bytes are not JPEG, PNG or WebP (or are truncated before the
// dimensions); kInvalidField when the dimensions are zero or larger than kMaxImageSide.

#include <cstdint>
#include <string_view>

#include "core/error.hpp"

namespace lastmile::pod {

enum class ImageFormat { kJpeg, kPng, kWebp };
std::string_view image_content_type(ImageFormat f);  // "image/jpeg", "image/png", "image/webp"

inline constexpr uint32_t kMaxImageSide = 20000;

struct ImageInfo {
  ImageFormat format;
  uint32_t width = 0;
  uint32_t height = 0;
};

core::Result<ImageInfo> sniff_image(std::string_view bytes);

}  // namespace lastmile::pod
