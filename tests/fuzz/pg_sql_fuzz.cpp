// Fuzzes the PostgreSQL driver's text functions (src/storage/postgres/pg_sql.hpp) — the database
// URL an operator passes with --db, and the SQL rewriting every statement goes through: arbitrary
// bytes give a split URL or an Error with a stable code, and a rewrite that never loses text outside
// placeholders — never a crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/postgres/pg_sql.hpp"

namespace pg = lastmile::storage::postgres;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto url = pg::parse_postgres_url(text);
  if (url) {
    if (url->conninfo.size() > text.size()) __builtin_trap();  // only ever removes the schema parameter
    if (url->schema.size() > 63) __builtin_trap();
  } else if (url.error().code != lastmile::core::ErrorCode::kInvalidField || url.error().field != "db") {
    __builtin_trap();
  }

  int n = 0;
  const std::string numbered = pg::number_placeholders(text, &n);
  // Each `?` became `$k`: at least one more byte per placeholder, nothing else changed in length.
  if (n < 0 || numbered.size() < text.size() + static_cast<size_t>(n)) __builtin_trap();
  int again = 0;
  (void)pg::number_placeholders(numbered, &again);
  if (again != 0) __builtin_trap();  // every placeholder was numbered

  (void)pg::postgres_ddl(text);
  const auto e = pg::postgres_error(text.substr(0, 5), text, "fuzz");
  (void)lastmile::core::code_name(e.code);
  return 0;
}
