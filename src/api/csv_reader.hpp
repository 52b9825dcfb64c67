#pragma once
// An incremental (push) RFC 4180 CSV reader with bounded memory: bytes go in by chunks of any size
// (a record may span chunks), complete records come out through a callback. It holds at most one
// record (max_record_bytes), whatever the size of the input — the CSV order import feeds it a
// spooled body of up to 512 MiB (docs/order-intake.md).
//
// Accepted: fields separated by ',', records by CRLF, LF or CR; a field in double quotes may hold
// commas, line breaks and doubled quotes (""); a UTF-8 byte order mark at the very start is
// skipped; blank lines are skipped; the last record may lack its line break. Bytes are passed
// through as they are (encoding is checked by the caller, field by field).
// Lenient where RFC 4180 is strict, but flagged: a quote inside an unquoted field, or text after a
// closing quote, is kept literally and the record carries `malformed` — the caller reports that
// row and goes on. Fatal (the reader stops): a quoted field still open at the end of the input,
// and a record longer than max_record_bytes.
//
// Pure, no I/O; one reader per input; not thread-safe. Fuzzed by tests/fuzz/csv_reader_fuzz.cpp.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lastmile::api {

struct CsvRecord {
  int64_t line = 0;                     // 1-based line of the input where the record starts
  std::vector<std::string_view> fields; // valid only during the callback
  std::string_view malformed;           // why the record breaks RFC 4180; empty when it does not
};

struct CsvFailure {
  std::string code;  // "unterminated_quote" | "record_too_large"
  int64_t line = 0;  // where the offending record starts
  std::string message;
};

class CsvReader {
 public:
  // Return false to stop reading (feed/finish then return without further callbacks).
  using OnRecord = std::function<bool(const CsvRecord&)>;
  explicit CsvReader(size_t max_record_bytes = 1 << 20) : max_record_bytes_(max_record_bytes) {}

  // Consumes `chunk`, calling `on_record` for each record it completes. Returns the failure when
  // the input is broken; after a failure or a stop, further input is ignored.
  std::optional<CsvFailure> feed(std::string_view chunk, const OnRecord& on_record);
  // The end of the input: emits the last record when it lacks a line break. A quoted field still
  // open is the failure "unterminated_quote".
  std::optional<CsvFailure> finish(const OnRecord& on_record);

  // Bytes held for the current record, and the most ever held: never above max_record_bytes.
  size_t buffered_bytes() const { return buf_.size(); }
  size_t peak_buffered_bytes() const { return peak_; }
  int64_t records() const { return records_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuoted };
  bool byte(char c, const OnRecord& on_record);  // false: stop
  bool end_record(const OnRecord& on_record);
  void end_field() { ends_.push_back(buf_.size()); }
  void put(char c);

  size_t max_record_bytes_;
  std::string buf_;           // the current record's field bytes, back to back
  std::vector<size_t> ends_;  // end offset in buf_ of each finished field
  State state_ = State::kFieldStart;
  int64_t line_ = 1;          // current input line
  int64_t record_line_ = 1;   // line where the current record started
  bool record_started_ = false;
  bool skip_lf_ = false;      // the last byte was a CR ending a line
  std::string malformed_;
  size_t bom_seen_ = 0;       // bytes of a leading BOM matched so far
  bool at_start_ = true;
  bool stopped_ = false;
  std::optional<CsvFailure> failure_;
  size_t peak_ = 0;
  int64_t records_ = 0;
  std::vector<std::string_view> views_;  // reused for each record
};

}  // namespace lastmile::api
