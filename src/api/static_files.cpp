#include "api/static_files.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace lastmile::api {
namespace {

constexpr std::string_view kAssetPrefix = "/assets/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array kTypes{
    TypeByExtension{".js", "text/javascript; charset=utf-8"},
    TypeByExtension{".mjs", "text/javascript; charset=utf-8"},
    TypeByExtension{".css", "text/css; charset=utf-8"},
    TypeByExtension{".html", "text/html; charset=utf-8"},
    TypeByExtension{".svg", "image/svg+xml"},
    TypeByExtension{".png", "image/png"},
    TypeByExtension{".webp", "image/webp"},
    TypeByExtension{".jpg", "image/jpeg"},
    TypeByExtension{".ico", "image/x-icon"},
    TypeByExtension{".woff2", "font/woff2"},
    TypeByExtension{".json", "application/json"},
    TypeByExtension{".map", "application/json"},
    TypeByExtension{".txt", "text/plain; charset=utf-8"},
};

bool is_plain_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// Every segment non-empty, not starting with a dot (no "..", no hidden files), plain characters only.
bool is_safe_relative_path(std::string_view rest) {
  if (rest.empty()) return false;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    const std::string_view segment = rest.substr(start, end - start);
    if (segment.empty() || segment.front() == '.') return false;
    for (char c : segment)
      if (!is_plain_name_char(c)) return false;
    start = end + 1;
  }
  return true;
}

WebFile page(std::string name) {
  return {std::move(name), "text/html; charset=utf-8", std::string(kRevalidate)};
}

}  // namespace

std::optional<std::string> content_type_for(std::string_view file_name) {
  for (const auto& t : kTypes)
    if (file_name.size() > t.extension.size() && file_name.ends_with(t.extension)) return std::string(t.content_type);
  return std::nullopt;
}

core::Result<WebFile> resolve_asset(std::string_view url_path) {
  if (!url_path.starts_with(kAssetPrefix)) return core::Error::not_found("asset");
  const std::string_view rest = url_path.substr(kAssetPrefix.size());
  if (!is_safe_relative_path(rest)) return core::Error::not_found("asset");
  auto type = content_type_for(rest);
  if (!type) return core::Error::not_found("asset");
  // Vite names every file in assets/ after a hash of its content, so a name never changes meaning.
  return WebFile{"assets/" + std::string(rest), std::move(*type), std::string(kImmutable)};
}

WebFile tracking_page() { return page("track.html"); }
WebFile dispatch_page() { return page("dispatch.html"); }
WebFile driver_page() { return page("driver.html"); }

WebFile driver_manifest() {
  return {"driver/manifest.webmanifest", "application/manifest+json", std::string(kRevalidate)};
}
WebFile driver_service_worker() {
  return {"driver/sw.js", "text/javascript; charset=utf-8", std::string(kRevalidate)};
}
WebFile driver_icon() { return {"driver/icon.svg", "image/svg+xml", "public, max-age=86400"}; }

std::vector<std::pair<std::string, std::string>> page_security_headers() {
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self'; worker-src 'self' blob:; child-src blob:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
}

core::Result<std::string> read_web_file(const std::string& web_dir, const WebFile& file, size_t max_bytes) {
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::path(web_dir) / file.relative_path;
  if (!std::filesystem::is_regular_file(path, ec)) return core::Error::not_found("file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::Error::not_found("file");
  if (size > max_bytes) return core::Error{core::ErrorCode::kTooLarge, "file too large to serve", ""};
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error::not_found("file");
  std::string body(std::istreambuf_iterator<char>(in), {});
  return body;
}

}  // namespace lastmile::api
