#pragma once
// Notification templates (docs/notifications.md): text with {{variable}} placeholders. Pure.
//
// Syntax: "{{name}}" (spaces inside the braces allowed) where name is one of known_variables();
// everything else is literal. An unknown name, an empty "{{}}", a "{{" without "}}" or a "}}"
// without "{{" is rejected with kInvalidTemplate naming the template and the variable.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::notify {

// first_name, tracking_url, eta_window, driver_first_name, shipper_name, tracking_number,
// survey_url, unsubscribe_url.
const std::vector<std::string>& known_variables();

struct TemplatePart {
  bool is_variable = false;
  std::string text;  // literal text, or the variable's name
};

struct MessageTemplate {
  std::vector<TemplatePart> parts;
};

using TemplateVariables = std::map<std::string, std::string, std::less<>>;

// `name` ("delivered.sms.body") only goes into the error message and field.
core::Result<MessageTemplate> parse_template(std::string_view name, std::string_view text);

// Replaces each variable with its value ("" when absent). `escape_html`: values are HTML-escaped
// (the literal text is the tenant's own HTML and is kept as is).
std::string render_template(const MessageTemplate& t, const TemplateVariables& vars, bool escape_html = false);

// Parses and renders; a template already validated at PUT cannot fail here, so a parse error
// renders the raw text (never lost).
std::string render_text(std::string_view text, const TemplateVariables& vars, bool escape_html = false);

std::string html_escape(std::string_view s);

}  // namespace lastmile::notify
