#pragma once
// A content-addressed store of immutable blobs (POD photos and signatures) on the local disk.
// A blob is named by the lower-case hex SHA-256 of its bytes and lives at <root>/<ab>/<cdef…>.
//
// put() is crash-safe: the bytes go to a temporary file in the same directory, are fsynced, renamed
// into place, and the directory is fsynced; a crash leaves either no file or the whole blob. Writing
// the same bytes twice is a no-op. Orphan blobs (written, then the DB transaction failed) are harmless.
// Thread-safe: no shared mutable state beyond the filesystem.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lastmile::storage {

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }

  // Stores `bytes`; returns their SHA-256 hex. kInternal when the disk refuses (details logged by the caller).
  core::Result<std::string> put(std::string_view bytes) const;

  // The bytes of blob `sha256`; kNotFound when absent or `sha256` is not 64 lower-case hex digits.
  core::Result<std::string> get(std::string_view sha256) const;

  // Deletes blob `sha256` unless it was written (or re-put) less than `idle` ago. The caller has
  // checked that no live proof refers to it; the idle time covers an upload of the same bytes whose
  // transaction has not committed yet. kInternal when the disk refuses.
  struct Removal {
    bool removed = false;  // this call deleted the file
    bool gone = false;     // no file remains (deleted now or absent before)
  };
  core::Result<Removal> remove_if_idle(std::string_view sha256, std::chrono::seconds idle) const;

  // The path blob `sha256` has (whether or not it exists); nullopt for a malformed name.
  std::optional<std::filesystem::path> path_of(std::string_view sha256) const;

 private:
  std::filesystem::path root_;
};

bool is_sha256_hex(std::string_view s);

// The file path of a "sqlite:PATH" / "sqlite://PATH" URL; nullopt for another scheme.
std::optional<std::string> sqlite_file_of(std::string_view db_url);

// The default blob folder of a database file: "<dir of the file>/blobs".
std::filesystem::path default_blob_dir(const std::filesystem::path& db_file);

}  // namespace lastmile::storage
