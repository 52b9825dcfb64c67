#pragma once
// Expected failures of the road-network module as values. Every ErrorCode has a stable string name
// (map::code_name) that is part of the CLI's and, later, the HTTP API's contract: never rename one,
// only add. The module keeps its own codes rather than core::ErrorCode because these describe files
// and graphs, not request fields; the HTTP edge maps them to core codes when routing is served.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lastmile::map {

enum class ErrorCode {
  kFileNotFound,        // the input or graph file does not exist or cannot be opened
  kIoError,             // reading, mapping or writing a file failed
  kInvalidOsm,          // the OSM input cannot be parsed (garbage, truncated PBF, bad XML)
  kEmptyMap,            // the OSM input has no routable road
  kNotAGraph,           // the graph file does not start with the lastmile magic
  kUnsupportedVersion,  // the graph file has a format version this build cannot read
  kTruncated,           // the graph file is shorter than its header says
  kCorrupt,             // the graph file's checksum or structure is wrong
  kOutsideMap,          // a coordinate has no routable road within the snapping radius
  kNoRoute,             // both ends snapped, but no path joins them (one-way dead ends, islands)
};

// Stable name, e.g. "unsupported_version".
std::string_view code_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // for logs and the CLI; may name file paths
};

// Result<T>: either a T or an Error (same shape as core::Result, with the module's codes).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace lastmile::map
