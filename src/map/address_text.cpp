#include "map/address_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace lastmile::map {
namespace {

// Base letters of U+00C0..U+00FF; "" for × and ÷ (separators).
constexpr std::array<std::string_view, 64> kLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Base letters of U+0100..U+017F (Latin Extended-A), by ranges.
std::string_view latin_extended_a(char32_t c) {
  struct Range { char32_t last; std::string_view base; };
  static constexpr Range kRanges[] = {
      {0x105, "a"}, {0x10D, "c"}, {0x111, "d"}, {0x11B, "e"}, {0x123, "g"}, {0x127, "h"},
      {0x131, "i"}, {0x133, "ij"}, {0x135, "j"}, {0x138, "k"}, {0x142, "l"}, {0x14B, "n"},
      {0x151, "o"}, {0x153, "oe"}, {0x159, "r"}, {0x161, "s"}, {0x167, "t"}, {0x173, "u"},
      {0x175, "w"}, {0x178, "y"}, {0x17E, "z"}, {0x17F, "s"}};
  for (const Range& r : kRanges) {
    if (c <= r.last) return r.base;
  }
  return "";
}

// Decodes one UTF-8 sequence at `s[i]`; returns its length (1 for an invalid byte, decoded as
// U+FFFD so it is kept as a letter-like character).
size_t decode(std::string_view s, size_t i, char32_t& out) {
  const auto b = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  if (b < 0x80) {
    out = b;
    return 1;
  }
  if ((b & 0xE0) == 0xC0 && b >= 0xC2 && cont(1)) {
    out = (char32_t(b & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
    return 2;
  }
  if ((b & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    out = (char32_t(b & 0x0F) << 12) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
          (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    return 3;
  }
  if ((b & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    out = 0xFFFD;  // letters outside the planes we fold: kept as an opaque letter
    return 4;
  }
  out = 0xFFFD;
  return 1;
}

bool is_separator(char32_t c) {
  if (c < 0x80) return !std::isalnum(static_cast<int>(c));
  return c == 0xD7 || c == 0xF7 || (c >= 0x80 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F);
}

struct Abbreviation { std::string_view from; std::string_view to; };
constexpr Abbreviation kAbbreviations[] = {
    {"av", "avenue"},   {"ave", "avenue"},     {"bd", "boulevard"}, {"bld", "boulevard"},
    {"blvd", "boulevard"}, {"boul", "boulevard"}, {"r", "rue"},     {"pl", "place"},
    {"ste", "sainte"},  {"ch", "chemin"},      {"che", "chemin"},   {"rte", "route"},
    {"imp", "impasse"}, {"sq", "square"},      {"qu", "quai"},      {"esc", "escalier"},
    {"all", "allee"},   {"rd", "road"},        {"dr", "drive"},     {"ln", "lane"},
    {"str", "strasse"}, {"sr", "saint"},       {"mgr", "monseigneur"}};
constexpr std::string_view kLinkingWords[] = {"de", "du", "des", "la", "le", "les", "l", "d",
                                              "the", "of", "di", "della", "del", "et", "and"};

size_t edit_distance_capped(std::string_view a, std::string_view b) {
  // Levenshtein distance, enough to tell 0, 1 or more.
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return 2;
  std::vector<size_t> prev(a.size() + 1), cur(a.size() + 1);
  for (size_t i = 0; i <= a.size(); ++i) prev[i] = i;
  for (size_t j = 1; j <= b.size(); ++j) {
    cur[0] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[i] = std::min({prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[a.size()];
}

double token_match(std::string_view a, std::string_view b) {
  if (a == b) return 1;
  if (a.size() >= 5 && b.size() >= 5 && edit_distance_capped(a, b) <= 1) return 0.8;
  return 0;
}

std::vector<std::string> split_words(std::string_view folded) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < folded.size()) {
    const size_t j = std::min(folded.find(' ', i), folded.size());
    if (j > i) out.emplace_back(folded.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool starts_with_digit(std::string_view s) { return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])); }

}  // namespace

std::string fold_address_text(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  auto put = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += piece;
  };
  for (size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    const size_t n = decode(utf8, i, c);
    if (is_separator(c)) {
      pending_space = true;
    } else if (c < 0x80) {
      const char lower = static_cast<char>(std::tolower(static_cast<int>(c)));
      put(std::string_view(&lower, 1));
    } else if (c >= 0xC0 && c <= 0xFF) {
      const std::string_view base = kLatin1[c - 0xC0];
      if (base.empty()) pending_space = true; else put(base);
    } else if (c >= 0x100 && c <= 0x17F) {
      put(latin_extended_a(c));
    } else {
      put(utf8.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::vector<std::string> street_tokens(std::string_view street) {
  std::vector<std::string> words = split_words(fold_address_text(street));
  std::vector<std::string> out;
  for (size_t k = 0; k < words.size(); ++k) {
    std::string w = words[k];
    if (w == "st") {
      w = (k + 1 == words.size() && k > 0) ? "street" : "saint";
    } else {
      for (const Abbreviation& a : kAbbreviations) {
        if (w == a.from) {
          w = a.to;
          break;
        }
      }
    }
    if (std::find(std::begin(kLinkingWords), std::end(kLinkingWords), w) != std::end(kLinkingWords)) continue;
    out.push_back(std::move(w));
  }
  return out;
}

std::string street_key(std::string_view street) {
  std::string key;
  for (const std::string& t : street_tokens(street)) {
    if (!key.empty()) key += ' ';
    key += t;
  }
  return key;
}

std::string normalize_house_number(std::string_view text) {
  const std::string folded = fold_address_text(text);
  if (!starts_with_digit(folded)) return "";
  std::string out;
  size_t i = 0;
  while (i < folded.size() && std::isdigit(static_cast<unsigned char>(folded[i]))) out += folded[i++];
  // A suffix: letters right after the digits or after one space ("12 bis", "7 a"), not another number.
  if (i < folded.size() && folded[i] == ' ') ++i;
  std::string suffix;
  while (i < folded.size() && std::isalpha(static_cast<unsigned char>(folded[i]))) suffix += folded[i++];
  const bool suffix_ends_word = i == folded.size() || folded[i] == ' ';
  if (!suffix.empty() && suffix_ends_word && suffix.size() <= 3) out += suffix;
  return out;
}

int house_number_value(std::string_view normalized) {
  int v = 0;
  for (char c : normalized) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    if (v > 1'000'000) break;
    v = v * 10 + (c - '0');
  }
  return v;
}

AddressLine split_address_line(std::string_view line) {
  const std::vector<std::string> words = split_words(fold_address_text(line));
  AddressLine out;
  if (words.empty()) return out;
  size_t first = 0, last = words.size();
  if (starts_with_digit(words.front())) {
    // "12", "12bis", "12 bis", "12 a": the number, then an optional short suffix word.
    out.house_number = normalize_house_number(words.front());
    first = 1;
    const bool plain_number = out.house_number == words.front();
    if (words.size() > 2 && plain_number &&
        (words[1] == "bis" || words[1] == "ter" || words[1] == "a" || words[1] == "b" || words[1] == "c")) {
      out.house_number += words[1];
      first = 2;
    } else if (words.size() > 2 && plain_number && std::all_of(words[1].begin(), words[1].end(), [](char c) {
                 return std::isdigit(static_cast<unsigned char>(c)) != 0;
               })) {
      first = 2;  // "12-14 rue …": a range keeps its first number
    }
  } else if (words.size() > 1 && starts_with_digit(words.back())) {
    out.house_number = normalize_house_number(words.back());  // "Avenue de la Costa 12"
    last = words.size() - 1;
  }
  for (size_t k = first; k < last; ++k) {
    if (!out.street.empty()) out.street += ' ';
    out.street += words[k];
  }
  return out;
}

double token_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  std::vector<bool> used(b.size(), false);
  double matched = 0;
  for (const std::string& x : a) {
    double best = 0;
    size_t best_j = b.size();
    for (size_t j = 0; j < b.size(); ++j) {
      if (used[j]) continue;
      const double m = token_match(x, b[j]);
      if (m > best) {
        best = m;
        best_j = j;
      }
    }
    if (best_j < b.size()) {
      used[best_j] = true;
      matched += best;
    }
  }
  return 2 * matched / static_cast<double>(a.size() + b.size());
}

}  // namespace lastmile::map
