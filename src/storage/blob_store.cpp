#include "storage/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/crypto.hpp"

namespace lastmile::storage {
namespace {

using core::Error;
using core::ErrorCode;

Error disk_error(const std::string& what) { return Error{ErrorCode::kInternal, "blob store: " + what, ""}; }

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool fsync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::optional<std::string> sqlite_file_of(std::string_view db_url) {
  constexpr std::string_view kScheme = "sqlite:";
  if (db_url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  std::string_view path = db_url.substr(kScheme.size());
  if (path.substr(0, 2) == "//") path.remove_prefix(2);
  if (path.empty()) return std::nullopt;
  return std::string(path);
}

std::filesystem::path default_blob_dir(const std::filesystem::path& db_file) {
  const std::filesystem::path dir = db_file.parent_path();
  return (dir.empty() ? std::filesystem::path(".") : dir) / "blobs";
}

std::optional<std::filesystem::path> BlobStore::path_of(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) return std::nullopt;
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2));
}

core::Result<std::string> BlobStore::put(std::string_view bytes) const {
  const std::string sha = core::sha256_hex(bytes);
  const std::filesystem::path target = *path_of(sha);
  std::error_code ec;
  if (std::filesystem::exists(target, ec) &&
      std::filesystem::file_size(target, ec) == bytes.size() && !ec) {
    // Mark it as just written: remove_if_idle (retention) leaves a recently written blob alone,
    // so a proof being stored with these bytes does not lose its file (docs/privacy.md).
    std::filesystem::last_write_time(target, std::filesystem::file_time_type::clock::now(), ec);
    return sha;
  }
  const std::filesystem::path dir = target.parent_path();
  const bool new_dir = !std::filesystem::exists(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return disk_error("cannot create " + dir.string());
  const std::filesystem::path tmp = dir / (".tmp-" + core::random_alnum(12));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return disk_error("cannot create " + tmp.string());
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return disk_error("cannot write " + target.string());
  }
  if (!fsync_dir(dir) || (new_dir && !fsync_dir(root_))) return disk_error("cannot fsync " + dir.string());
  return sha;
}

core::Result<BlobStore::Removal> BlobStore::remove_if_idle(std::string_view sha256, std::chrono::seconds idle) const {
  auto path = path_of(sha256);
  if (!path) return Error::not_found("blob");
  std::error_code ec;
  if (!std::filesystem::exists(*path, ec)) return Removal{false, true};
  const auto written = std::filesystem::last_write_time(*path, ec);
  if (ec) return disk_error("cannot stat " + path->string());
  if (std::filesystem::file_time_type::clock::now() - written < idle) return Removal{false, false};
  const bool removed = std::filesystem::remove(*path, ec);
  if (ec) return disk_error("cannot remove " + path->string());
  return Removal{removed, true};
}

core::Result<std::string> BlobStore::get(std::string_view sha256) const {
  auto path = path_of(sha256);
  if (!path) return Error::not_found("blob");
  std::ifstream in(*path, std::ios::binary);
  if (!in) return Error::not_found("blob");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace lastmile::storage
