// The web pages (docs/web.md): GET /t/{token} (the customer tracking page), GET /dispatch (the
// dispatcher dashboard), GET /driver (the driver app, with its manifest, service worker and icon
// below /driver/) and GET /assets/* (the bundle's scripts, styles and images),
// read from the folder of `serve --web-dir` (default: the source tree's web/dist). Public: the page
// itself is the same for every token and shows nothing until /v1/track answers.
#include "api/handlers/handlers.hpp"
#include "api/static_files.hpp"

namespace lastmile::api::handlers {

namespace {

// A page whose files are missing: the web bundle was not built, or --web-dir is wrong.
Reply not_built(const Services& s) {
  Reply r;
  r.status = 503;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "The web pages are not available: no built web bundle in " +
           (s.web_dir.empty() ? std::string("(no --web-dir)") : s.web_dir) +
           ".\nBuild it with `make build` (or `npm ci && npm run build` in web/), or start the server with "
           "--web-dir pointing at a built web/dist folder.\n";
  return r;
}

Result<Reply> serve_page(const Services& s, const WebFile& file) {
  auto body = read_web_file(s.web_dir, file);
  if (!body) return not_built(s);
  Reply r;
  r.content_type = file.content_type;
  r.body = std::move(*body);
  r.headers = page_security_headers();
  r.headers.emplace_back("Cache-Control", file.cache_control);
  return r;
}

}  // namespace

Result<Reply> web_tracking_page(const Services& s, RequestContext&) { return serve_page(s, tracking_page()); }

Result<Reply> web_dispatch_page(const Services& s, RequestContext&) { return serve_page(s, dispatch_page()); }

Result<Reply> web_driver_page(const Services& s, RequestContext&) { return serve_page(s, driver_page()); }

namespace {

// A fixed file of the driver app (not a page): 404 when the bundle does not have it.
Result<Reply> serve_driver_file(const Services& s, const WebFile& file,
                                std::vector<std::pair<std::string, std::string>> headers) {
  auto body = read_web_file(s.web_dir, file);
  if (!body) return core::Error::not_found("file");
  Reply r;
  r.content_type = file.content_type;
  r.body = std::move(*body);
  r.headers = std::move(headers);
  r.headers.emplace_back("Cache-Control", file.cache_control);
  return r;
}

}  // namespace

Result<Reply> web_driver_manifest(const Services& s, RequestContext&) {
  return serve_driver_file(s, driver_manifest(), {{"X-Content-Type-Options", "nosniff"}});
}

Result<Reply> web_driver_service_worker(const Services& s, RequestContext&) {
  // The worker's own CSP governs its fetches: the page's policy, plus the wider scope it may claim.
  auto headers = page_security_headers();
  headers.emplace_back("Service-Worker-Allowed", std::string(kDriverScope));
  return serve_driver_file(s, driver_service_worker(), std::move(headers));
}

Result<Reply> web_driver_icon(const Services& s, RequestContext&) {
  return serve_driver_file(s, driver_icon(), {{"X-Content-Type-Options", "nosniff"}});
}

Result<Reply> web_asset(const Services& s, RequestContext& ctx) {
  auto file = resolve_asset(ctx.url.encoded_path());
  if (!file) return file.error();
  auto body = read_web_file(s.web_dir, *file);
  if (!body) return core::Error::not_found("asset");
  Reply r;
  r.content_type = file->content_type;
  r.body = std::move(*body);
  r.headers = {{"Cache-Control", file->cache_control}, {"X-Content-Type-Options", "nosniff"}};
  return r;
}

}  // namespace lastmile::api::handlers
