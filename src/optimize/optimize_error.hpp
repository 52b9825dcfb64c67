#pragma once
// Errors of the optimizer's inputs (Solomon text, VROOM JSON, a problem that is inconsistent). Each
// code has a stable string name (code_name) that is part of the CLI's output; never rename one, only add.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lastmile::optimize {

enum class ErrorCode {
  kParseError,    // the text is not in the expected format (a line or JSON value that cannot be read)
  kInvalidValue,  // a value has the right form but is out of range (negative demand, window end < start…)
  kMissingField,  // a required field or section is absent
  kUnsupported,   // valid input that this version does not solve yet (VROOM shipments, breaks)
  kInconsistent,  // fields disagree (matrix size vs location indices, capacity vs amount dimensions)
  kIo,            // the input file cannot be read
};

std::string_view code_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  int line = 0;       // 1-based line of a text input, 0 when not about one line
  std::string field;  // dotted JSON path (e.g. "jobs[3].time_windows[0]"), empty when not about one field

  // "parse_error at line 12: ..." / "invalid_value at jobs[3].service: ..." / "unsupported: ...".
  std::string describe() const;
};

// Expected<T>: a T or an Error.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}      // NOLINT(implicit)
  Expected(Error error) : v_(std::move(error)) {}  // NOLINT(implicit)
  bool ok() const { return v_.index() == 0; }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace lastmile::optimize
