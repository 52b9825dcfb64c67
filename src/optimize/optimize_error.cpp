#include "optimize/optimize_error.hpp"

namespace lastmile::optimize {

std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError: return "parse_error";
    case ErrorCode::kInvalidValue: return "invalid_value";
    case ErrorCode::kMissingField: return "missing_field";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kInconsistent: return "inconsistent";
    case ErrorCode::kIo: return "io_error";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out(code_name(code));
  if (line > 0) out += " at line " + std::to_string(line);
  if (!field.empty()) out += " at " + field;
  out += ": " + message;
  return out;
}

}  // namespace lastmile::optimize
