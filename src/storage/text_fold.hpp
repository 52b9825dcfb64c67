#pragma once
// Case folding for search columns, done by the application so every database compares the same
// way (SQLite's LOWER() and LIKE fold ASCII only).

#include <string>
#include <string_view>

namespace lastmile::storage {

// Lower-cases UTF-8 text: ASCII, Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic capitals
// map to their small letters (final sigma folds to sigma); other code points and invalid bytes are
// copied unchanged. Enough for substring search of names; not full Unicode case folding.
std::string fold_case(std::string_view utf8);

// `text` for use inside a LIKE pattern with ESCAPE '\': '%', '_' and '\' are escaped.
std::string escape_like(std::string_view text);

}  // namespace lastmile::storage
