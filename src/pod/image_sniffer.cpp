#include "pod/image_sniffer.hpp"

#include <optional>

namespace lastmile::pod {
namespace {

using core::Error;
using core::ErrorCode;

uint32_t be16(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 8) | uint8_t(b[at + 1]);
}
uint32_t be32(std::string_view b, size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }
uint32_t le16(std::string_view b, size_t at) { return uint8_t(b[at]) | (uint32_t(uint8_t(b[at + 1])) << 8); }
uint32_t le24(std::string_view b, size_t at) { return le16(b, at) | (uint32_t(uint8_t(b[at + 2])) << 16); }
uint32_t le32(std::string_view b, size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }

Error not_an_image() {
  return Error{ErrorCode::kUnsupportedMediaType, "the bytes are not a JPEG, PNG or WebP image", ""};
}

std::optional<ImageInfo> sniff_png(std::string_view b) {
  static constexpr std::string_view kMagic{"\x89PNG\r\n\x1a\n", 8};
  if (b.size() < 24 || b.substr(0, 8) != kMagic || b.substr(12, 4) != "IHDR") return std::nullopt;
  return ImageInfo{ImageFormat::kPng, be32(b, 16), be32(b, 20)};
}

std::optional<ImageInfo> sniff_jpeg(std::string_view b) {
  if (b.size() < 4 || uint8_t(b[0]) != 0xFF || uint8_t(b[1]) != 0xD8) return std::nullopt;
  size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (uint8_t(b[pos]) != 0xFF) return std::nullopt;
    const uint8_t marker = uint8_t(b[pos + 1]);
    if (marker == 0xFF) { ++pos; continue; }  // fill byte
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { pos += 2; continue; }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end or scan before a frame header
    const uint32_t length = be16(b, pos + 2);
    if (length < 2) return std::nullopt;
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      if (pos + 9 > b.size() || length < 7) return std::nullopt;
      return ImageInfo{ImageFormat::kJpeg, be16(b, pos + 7), be16(b, pos + 5)};
    }
    pos += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageInfo> sniff_webp(std::string_view b) {
  if (b.size() < 30 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WEBP") return std::nullopt;
  const std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (uint8_t(b[23]) != 0x9d || uint8_t(b[24]) != 0x01 || uint8_t(b[25]) != 0x2a) return std::nullopt;
    return ImageInfo{ImageFormat::kWebp, le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff};
  }
  if (chunk == "VP8L") {
    if (uint8_t(b[20]) != 0x2f) return std::nullopt;
    const uint32_t bits = le32(b, 21);
    return ImageInfo{ImageFormat::kWebp, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
  }
  if (chunk == "VP8X") return ImageInfo{ImageFormat::kWebp, le24(b, 24) + 1, le24(b, 27) + 1};
  return std::nullopt;
}

}  // namespace

std::string_view image_content_type(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg: return "image/jpeg";
    case ImageFormat::kPng: return "image/png";
    case ImageFormat::kWebp: return "image/webp";
  }
  return "application/octet-stream";
}

core::Result<ImageInfo> sniff_image(std::string_view bytes) {
  std::optional<ImageInfo> info = sniff_png(bytes);
  if (!info) info = sniff_jpeg(bytes);
  if (!info) info = sniff_webp(bytes);
  if (!info) return not_an_image();
  if (info->width == 0 || info->height == 0 || info->width > kMaxImageSide || info->height > kMaxImageSide)
    return Error{ErrorCode::kInvalidField,
                 "image dimensions " + std::to_string(info->width) + "x" + std::to_string(info->height) +
                     " are out of range (1.." + std::to_string(kMaxImageSide) + ")",
                 ""};
  return *info;
}

}  // namespace lastmile::pod
