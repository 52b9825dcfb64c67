// The push CSV reader: RFC 4180 quoting across arbitrary chunk boundaries, line numbers, the
// lenient-but-flagged cases, the fatal failures, and bounded memory over 1 million rows.
#include "api/csv_reader.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

namespace lastmile::api {
namespace {

struct Row {
  int64_t line;
  std::vector<std::string> fields;
  std::string malformed;
};

struct Parsed {
  std::vector<Row> rows;
  std::optional<CsvFailure> failure;
};

// Feeds `text` in chunks of `chunk` bytes.
Parsed parse(std::string_view text, size_t chunk = 1 << 20, size_t max_record = 1 << 20) {
  Parsed out;
  CsvReader reader(max_record);
  auto cb = [&](const CsvRecord& r) {
    Row row{r.line, {}, std::string(r.malformed)};
    for (auto f : r.fields) row.fields.emplace_back(f);
    out.rows.push_back(std::move(row));
    return true;
  };
  for (size_t at = 0; at < text.size() && !out.failure; at += chunk) out.failure = reader.feed(text.substr(at, chunk), cb);
  if (!out.failure) out.failure = reader.finish(cb);
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, SplitsFieldsAndRecordsWithEveryLineEnd) {
  for (std::string_view text : {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"}) {
    auto p = parse(text);
    ASSERT_FALSE(p.failure) << text;
    ASSERT_EQ(p.rows.size(), 2u) << text;
    EXPECT_EQ(p.rows[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(p.rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(p.rows[1].line, 2);
  }
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const std::string text = "name,note\r\n\"Dupont, Marie\",\"say \"\"hi\"\"\r\nat the door\"\r\nnext,\"\"\r\n";
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1000}}) {
    auto p = parse(text, chunk);
    ASSERT_FALSE(p.failure);
    ASSERT_EQ(p.rows.size(), 3u) << chunk;
    EXPECT_EQ(p.rows[1].fields, (Fields{"Dupont, Marie", "say \"hi\"\nat the door"})) << chunk;
    EXPECT_EQ(p.rows[1].line, 2);
    EXPECT_EQ(p.rows[2].fields, (Fields{"next", ""}));
    EXPECT_EQ(p.rows[2].line, 4) << "a record's line counts the line breaks inside quotes before it";
  }
}

TEST(CsvReader, SkipsALeadingByteOrderMarkEvenSplitAcrossChunks) {
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{100}}) {
    auto p = parse("\xEF\xBB\xBFid\n7\n", chunk);
    ASSERT_EQ(p.rows.size(), 2u);
    EXPECT_EQ(p.rows[0].fields, (Fields{"id"}));
  }
  auto not_bom = parse("\xEF\xBBx\n");  // a prefix of a BOM only: the bytes are data
  ASSERT_EQ(not_bom.rows.size(), 1u);
  EXPECT_EQ(not_bom.rows[0].fields[0], "\xEF\xBBx");
}

TEST(CsvReader, SkipsBlankLinesButKeepsTheirLineNumbers) {
  auto p = parse("a\n\n\nb\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1].line, 4);
}

TEST(CsvReader, FlagsAStrayQuoteAndTextAfterAClosingQuote) {
  auto p = parse("a,b\nx\"y,1\n\"q\"z,2\nok,3\n");
  ASSERT_FALSE(p.failure);
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.rows[1].malformed, "a quote inside an unquoted field");
  EXPECT_EQ(p.rows[1].fields, (Fields{"x\"y", "1"}));
  EXPECT_EQ(p.rows[2].malformed, "text after the closing quote of a field");
  EXPECT_TRUE(p.rows[3].malformed.empty());
}

TEST(CsvReader, AnUnterminatedQuoteFailsAtTheEnd) {
  auto p = parse("a,b\n1,\"open\n2,3\n");
  ASSERT_TRUE(p.failure);
  EXPECT_EQ(p.failure->code, "unterminated_quote");
  EXPECT_EQ(p.failure->line, 2);
  EXPECT_EQ(p.rows.size(), 1u);
}

TEST(CsvReader, ARecordLongerThanTheLimitFails) {
  auto p = parse("a\n" + std::string(100, 'x') + "\n", 7, 64);
  ASSERT_TRUE(p.failure);
  EXPECT_EQ(p.failure->code, "record_too_large");
  EXPECT_EQ(p.failure->line, 2);
}

TEST(CsvReader, StopsWhenTheCallbackSaysSo) {
  CsvReader reader;
  int seen = 0;
  auto cb = [&](const CsvRecord&) { return ++seen < 2; };
  EXPECT_FALSE(reader.feed("1\n2\n3\n4\n", cb));
  EXPECT_FALSE(reader.finish(cb));
  EXPECT_EQ(seen, 2);
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  auto p = parse("");
  EXPECT_FALSE(p.failure);
  EXPECT_TRUE(p.rows.empty());
}

#if defined(__SANITIZE_ADDRESS__)
#define LASTMILE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LASTMILE_TEST_ASAN 1
#endif
#endif
#ifdef LASTMILE_TEST_ASAN
constexpr int64_t kStreamRows = 100'000;  // ASan is several times slower; the bound is the same
constexpr bool kCheckRss = false;         // ASan's quarantine and shadow memory blur the RSS
#else
constexpr int64_t kStreamRows = 1'000'000;
constexpr bool kCheckRss = true;
#endif

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// 1 million generated rows (about 85 MB, never held: each 64 KiB chunk is generated, fed, dropped)
// pass through with the reader holding at most one record.
TEST(CsvReader, StreamsAMillionRowsInBoundedMemory) {
  const long rss_before = peak_rss_kib();
  CsvReader reader(4096);
  int64_t rows = 0, checksum = 0;
  auto cb = [&](const CsvRecord& r) {
    ++rows;
    checksum += static_cast<int64_t>(r.fields.size());
    return true;
  };
  std::string chunk;
  chunk.reserve(70 << 10);
  auto flush = [&] {
    ASSERT_FALSE(reader.feed(chunk, cb));
    chunk.clear();
  };
  chunk += "external_order_id,recipient_name,address_line1,city,notes\r\n";
  for (int64_t i = 1; i <= kStreamRows; ++i) {
    chunk += "SO-" + std::to_string(i) + ",\"Dupont, Marie\",12 Avenue de la Costa,Monaco,\"ring \"\"twice\"\"\nthen wait\"\r\n";
    if (chunk.size() >= (64 << 10)) flush();
  }
  flush();
  ASSERT_FALSE(reader.finish(cb));
  EXPECT_EQ(rows, kStreamRows + 1);
  EXPECT_EQ(checksum, (kStreamRows + 1) * 5);
  EXPECT_LE(reader.peak_buffered_bytes(), 200u) << "the reader holds one record, never the input";
  EXPECT_EQ(reader.buffered_bytes(), 0u);
  // The whole input is about 85 MB: had it been held, the process's peak RSS would have grown by that.
  if (kCheckRss) {
    EXPECT_LT(peak_rss_kib() - rss_before, 32 * 1024) << "peak RSS grew (KiB)";
  }
}

}  // namespace
}  // namespace lastmile::api
