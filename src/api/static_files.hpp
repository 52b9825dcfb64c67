#pragma once
// The web pages' files (web/dist, built by Vite; docs/web.md): which URL maps to which file, with
// which Content-Type and caching, and the security headers of the HTML pages. Pure functions, no
// I/O, except read_web_file().

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace lastmile::api {

struct WebFile {
  std::string relative_path;   // below the web folder, e.g. "assets/track-3f9a1c.js"; never absolute, no ".."
  std::string content_type;    // e.g. "text/javascript; charset=utf-8"
  std::string cache_control;   // hashed assets: a year, immutable; pages: "no-cache"
};

// The Content-Type of a file name by its extension (js, mjs, css, html, svg, png, webp, jpg, ico,
// woff2, json, map, txt); nullopt for any other.
std::optional<std::string> content_type_for(std::string_view file_name);

// Maps the raw (still percent-encoded) URL path of an asset request, "/assets/<name>", to its file.
// kNotFound for anything that is not a plain file name below assets/: "..", "." or empty segments,
// a leading dot, percent-encoding (so no encoded slash or dot gets through), a backslash, any
// character outside [A-Za-z0-9._-/], or an extension without a known Content-Type.
core::Result<WebFile> resolve_asset(std::string_view url_path);

// The HTML files of the pages: GET /t/{token}, GET /dispatch and GET /driver.
WebFile tracking_page();
WebFile dispatch_page();
WebFile driver_page();

// The driver app's installable parts (docs/web.md, "The driver app"), at fixed URLs below /driver/:
// the web app manifest (application/manifest+json), the service worker (revalidated on every load,
// so a new bundle reaches the phones) and the app icon. Files of the bundle's driver/ folder.
WebFile driver_manifest();
WebFile driver_service_worker();
WebFile driver_icon();

// The scope of the driver app's service worker: the page /driver itself is outside the default
// scope of /driver/sw.js ("/driver/"), so the worker's response carries
// `Service-Worker-Allowed: /driver` and the page registers it with that scope.
inline constexpr std::string_view kDriverScope = "/driver";

// Headers of every HTML page: a Content-Security-Policy without inline scripts (MapLibre needs
// blob: workers and inline styles; 'self' covers the page's own ws:/wss: origin in CSP 3), nosniff, no referrer (tracking tokens are in the URL), no framing.
std::vector<std::pair<std::string, std::string>> page_security_headers();

// The whole file `web_dir`/`file.relative_path`. kNotFound when it does not exist or is not a
// regular file; kTooLarge over `max_bytes`.
core::Result<std::string> read_web_file(const std::string& web_dir, const WebFile& file,
                                        size_t max_bytes = 16u << 20);

}  // namespace lastmile::api
