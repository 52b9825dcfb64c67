#include "notify/form_params.hpp"

namespace lastmile::notify {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      const char d = static_cast<char>(h * 16 + l);
      if (d == '\0') return std::nullopt;
      out += d;
      i += 2;
    } else {
      if (c == '\0') return std::nullopt;
      out += c;
    }
  }
  return out;
}

void encode_into(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

}  // namespace

core::Result<FormParams> parse_form(std::string_view body) {
  FormParams out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) {
      if (amp == body.size()) break;
      continue;
    }
    const size_t eq = pair.find('=');
    auto key = decode(pair.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) return core::Error::invalid_field("body", "the form body has a malformed %-escape");
    if (key->empty()) return core::Error::invalid_field("body", "the form body has a field without a name");
    if (out.size() >= 100) return core::Error::invalid_field("body", "the form body has more than 100 fields");
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::optional<std::string> form_value(const FormParams& params, std::string_view key) {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return std::nullopt;
}

std::string encode_form(const FormParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    encode_into(out, k);
    out += '=';
    encode_into(out, v);
  }
  return out;
}

}  // namespace lastmile::notify
