#include "api/csv_reader.hpp"

#include <algorithm>

namespace lastmile::api {

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

void CsvReader::put(char c) {
  if (buf_.size() >= max_record_bytes_) {
    failure_ = CsvFailure{"record_too_large", record_line_,
                          "the record starting on line " + std::to_string(record_line_) + " is longer than " +
                              std::to_string(max_record_bytes_) + " bytes (an unterminated quote?)"};
    return;
  }
  buf_.push_back(c);
  peak_ = std::max(peak_, buf_.size());
}

bool CsvReader::end_record(const OnRecord& on_record) {
  end_field();
  state_ = State::kFieldStart;
  const bool blank = ends_.size() == 1 && ends_[0] == 0 && malformed_.empty();
  bool go_on = true;
  if (!blank) {
    views_.clear();
    size_t from = 0;
    for (size_t end : ends_) {
      views_.emplace_back(buf_.data() + from, end - from);
      from = end;
    }
    ++records_;
    go_on = on_record(CsvRecord{record_line_, views_, malformed_});
  }
  buf_.clear();
  ends_.clear();
  malformed_.clear();
  record_started_ = false;
  return go_on;
}

bool CsvReader::byte(char c, const OnRecord& on_record) {
  if (skip_lf_) {
    skip_lf_ = false;
    if (c == '\n') return true;  // the LF of a CRLF
  }
  if (!record_started_) {
    record_started_ = true;
    record_line_ = line_;
  }
  const bool newline = c == '\n' || c == '\r';
  switch (state_) {
    case State::kQuoted:
      if (c == '"') {
        state_ = State::kQuoteInQuoted;
        return true;
      }
      if (c == '\n' || c == '\r') {
        ++line_;
        skip_lf_ = c == '\r';
        put('\n');  // an embedded line break is kept as LF, whatever the file's line ends
        return true;
      }
      put(c);
      return true;
    case State::kQuoteInQuoted:
      if (c == '"') {  // a doubled quote
        put('"');
        state_ = State::kQuoted;
        return true;
      }
      state_ = State::kAfterQuoted;
      [[fallthrough]];
    case State::kAfterQuoted:
    case State::kFieldStart:
    case State::kUnquoted:
      if (c == ',') {
        end_field();
        state_ = State::kFieldStart;
        return true;
      }
      if (newline) {
        ++line_;
        skip_lf_ = c == '\r';
        return end_record(on_record);
      }
      if (state_ == State::kFieldStart && c == '"') {
        state_ = State::kQuoted;
        return true;
      }
      if (malformed_.empty() && (c == '"' || state_ == State::kAfterQuoted))
        malformed_ = c == '"' && state_ != State::kAfterQuoted ? "a quote inside an unquoted field"
                                                               : "text after the closing quote of a field";
      if (state_ == State::kFieldStart) state_ = State::kUnquoted;
      put(c);
      return true;
  }
  return true;
}

std::optional<CsvFailure> CsvReader::feed(std::string_view chunk, const OnRecord& on_record) {
  for (size_t i = 0; i < chunk.size() && !failure_ && !stopped_; ++i) {
    const char c = chunk[i];
    if (at_start_) {  // a byte order mark may arrive split across chunks
      if (c == kBom[bom_seen_]) {
        if (++bom_seen_ == kBom.size()) at_start_ = false;
        continue;
      }
      at_start_ = false;
      for (size_t k = 0; k < bom_seen_ && !stopped_; ++k) stopped_ = !byte(kBom[k], on_record);  // not a BOM
      if (stopped_ || failure_) break;
    }
    if (!byte(c, on_record)) stopped_ = true;
  }
  return failure_;
}

std::optional<CsvFailure> CsvReader::finish(const OnRecord& on_record) {
  if (failure_ || stopped_) return failure_;
  if (at_start_ && bom_seen_ > 0) {  // the input was a prefix of a BOM only
    at_start_ = false;
    for (size_t k = 0; k < bom_seen_; ++k) byte(kBom[k], on_record);
  }
  if (state_ == State::kQuoted) {
    failure_ = CsvFailure{"unterminated_quote", record_line_,
                          "the quoted field of the record starting on line " + std::to_string(record_line_) +
                              " is not closed"};
    return failure_;
  }
  if (record_started_ && !failure_) end_record(on_record);
  return failure_;
}

}  // namespace lastmile::api
