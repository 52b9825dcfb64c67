// Which URL reaches which file of the web bundle, and what never does (api/static_files.hpp).
#include "api/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;

bool refused(std::string_view url_path) {
  auto r = resolve_asset(url_path);
  return !r && r.error().code == ErrorCode::kNotFound;
}

TEST(StaticFiles, AHashedAssetMapsToItsFileWithItsTypeAndIsCachedForAYear) {
  auto js = resolve_asset("/assets/track-BfG3x_9a.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->relative_path, "assets/track-BfG3x_9a.js");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->cache_control, "public, max-age=31536000, immutable");
}

TEST(StaticFiles, EachKindOfBundleFileGetsItsContentType) {
  const std::map<std::string, std::string> expected = {
      {"/assets/a.css", "text/css; charset=utf-8"}, {"/assets/a.svg", "image/svg+xml"},
      {"/assets/a.png", "image/png"},               {"/assets/a.woff2", "font/woff2"},
      {"/assets/a.json", "application/json"},       {"/assets/a.js.map", "application/json"},
      {"/assets/a.mjs", "text/javascript; charset=utf-8"},
  };
  for (const auto& [path, type] : expected) {
    auto f = resolve_asset(path);
    ASSERT_TRUE(f) << path;
    EXPECT_EQ(f->content_type, type) << path;
  }
  EXPECT_TRUE(resolve_asset("/assets/fonts/inter-400.woff2"));  // a sub-folder of assets/
}

TEST(StaticFiles, PathTraversalIsRefused) {
  EXPECT_TRUE(refused("/assets/../track.html"));
  EXPECT_TRUE(refused("/assets/../../etc/passwd.txt"));
  EXPECT_TRUE(refused("/assets/x/../../y.js"));
  EXPECT_TRUE(refused("/assets/./a.js"));
  EXPECT_TRUE(refused("/assets/%2e%2e/track.html"));    // encoded dots
  EXPECT_TRUE(refused("/assets/..%2ftrack.html"));      // encoded slash
  EXPECT_TRUE(refused("/assets/x%2F..%2F..%2Fa.js"));
  EXPECT_TRUE(refused("/assets//etc/passwd.txt"));      // an absolute path after the prefix
  EXPECT_TRUE(refused("/assets/..\\track.html"));       // a backslash
  EXPECT_TRUE(refused("/etc/passwd"));                  // not below /assets/
  EXPECT_TRUE(refused("/assetsx/a.js"));
}

TEST(StaticFiles, HiddenUnknownAndEmptyNamesAreRefused) {
  EXPECT_TRUE(refused("/assets/"));
  EXPECT_TRUE(refused("/assets/.env"));
  EXPECT_TRUE(refused("/assets/a.js/"));           // trailing slash: an empty segment
  EXPECT_TRUE(refused("/assets/track"));           // no extension
  EXPECT_TRUE(refused("/assets/run.sh"));          // no Content-Type for it
  EXPECT_TRUE(refused("/assets/a b.js"));          // only plain name characters
  EXPECT_TRUE(refused("/assets/a.js?x=1"));
  EXPECT_TRUE(refused(std::string_view("/assets/a\0.js", 13)));
}

TEST(StaticFiles, PagesAreRevalidatedAndCarryTheSecurityHeaders) {
  EXPECT_EQ(tracking_page().relative_path, "track.html");
  EXPECT_EQ(dispatch_page().relative_path, "dispatch.html");
  EXPECT_EQ(tracking_page().content_type, "text/html; charset=utf-8");
  EXPECT_EQ(tracking_page().cache_control, "no-cache");
  std::map<std::string, std::string> headers;
  for (const auto& [k, v] : page_security_headers()) headers[k] = v;
  EXPECT_EQ(headers["Referrer-Policy"], "no-referrer");  // tracking tokens are in the page's URL
  EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff");
  const std::string csp = headers["Content-Security-Policy"];
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);  // no inline scripts, no eval
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(csp.find("http:"), std::string::npos);  // nothing from another origin
}

TEST(StaticFiles, TheDriverAppsFixedFilesHaveTheirTypesAndAreRevalidated) {
  EXPECT_EQ(driver_page().relative_path, "driver.html");
  EXPECT_EQ(driver_page().cache_control, "no-cache");
  EXPECT_EQ(driver_manifest().relative_path, "driver/manifest.webmanifest");
  EXPECT_EQ(driver_manifest().content_type, "application/manifest+json");
  EXPECT_EQ(driver_manifest().cache_control, "no-cache");
  EXPECT_EQ(driver_service_worker().relative_path, "driver/sw.js");
  EXPECT_EQ(driver_service_worker().content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(driver_service_worker().cache_control, "no-cache");  // a new bundle reaches the phones
  EXPECT_EQ(driver_icon().content_type, "image/svg+xml");
  EXPECT_EQ(kDriverScope, "/driver");
}

TEST(StaticFiles, ReadsAFileOfTheWebFolderAndReportsAMissingOne) {
  const auto dir = std::filesystem::temp_directory_path() / ("lastmile-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "assets" / "a.js") << "console.log(1)";
  auto body = read_web_file(dir.string(), *resolve_asset("/assets/a.js"));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "console.log(1)");
  auto missing = read_web_file(dir.string(), tracking_page());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto folder = read_web_file(dir.string(), WebFile{"assets", "", ""});  // a folder is not a file
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().code, ErrorCode::kNotFound);
  auto big = read_web_file(dir.string(), *resolve_asset("/assets/a.js"), 4);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lastmile::api
