#include "notify/message_template.hpp"

#include <algorithm>

namespace lastmile::notify {
namespace {

core::Error template_error(std::string_view name, std::string message) {
  return {core::ErrorCode::kInvalidTemplate, "template '" + std::string(name) + "': " + std::move(message),
          "templates." + std::string(name)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

const std::vector<std::string>& known_variables() {
  static const std::vector<std::string> kVars = {"first_name",      "tracking_url",      "eta_window",
                                                 "driver_first_name", "shipper_name",    "tracking_number",
                                                 "survey_url",      "unsubscribe_url"};
  return kVars;
}

core::Result<MessageTemplate> parse_template(std::string_view name, std::string_view text) {
  MessageTemplate out;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "}}") == 0) return template_error(name, "unbalanced braces: '}}' without '{{'");
    if (text.compare(i, 2, "{{") != 0) {
      literal += text[i++];
      continue;
    }
    const size_t close = text.find("}}", i + 2);
    if (close == std::string_view::npos) return template_error(name, "unbalanced braces: '{{' without '}}'");
    const std::string_view var = trim(text.substr(i + 2, close - i - 2));
    if (var.empty()) return template_error(name, "empty variable '{{}}'");
    if (var.find('{') != std::string_view::npos) return template_error(name, "unbalanced braces: nested '{{'");
    const auto& known = known_variables();
    if (std::find(known.begin(), known.end(), var) == known.end())
      return template_error(name, "unknown variable '" + std::string(var) + "'");
    if (!literal.empty()) out.parts.push_back({false, std::move(literal)});
    literal.clear();
    out.parts.push_back({true, std::string(var)});
    i = close + 2;
  }
  if (!literal.empty()) out.parts.push_back({false, std::move(literal)});
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_template(const MessageTemplate& t, const TemplateVariables& vars, bool escape_html) {
  std::string out;
  for (const auto& p : t.parts) {
    if (!p.is_variable) {
      out += p.text;
      continue;
    }
    auto it = vars.find(p.text);
    if (it == vars.end()) continue;
    out += escape_html ? html_escape(it->second) : it->second;
  }
  return out;
}

std::string render_text(std::string_view text, const TemplateVariables& vars, bool escape_html) {
  auto t = parse_template("", text);
  if (!t) return std::string(text);
  return render_template(*t, vars, escape_html);
}

}  // namespace lastmile::notify
