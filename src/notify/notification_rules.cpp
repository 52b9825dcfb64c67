#include "notify/notification_rules.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "core/json_writer.hpp"
#include "domain/milestone.hpp"
#include "notify/default_templates.hpp"

namespace lastmile::notify {
namespace json = boost::json;

namespace {

std::optional<int64_t> shift_minutes(const std::string& payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* s = v.as_object().if_contains("shift_minutes");
  if (!s) return std::nullopt;
  if (s->is_int64()) return s->as_int64();
  if (s->is_uint64()) return static_cast<int64_t>(s->as_uint64());
  if (s->is_double()) return static_cast<int64_t>(s->as_double());
  return std::nullopt;
}

std::string branded_html(const NotificationSettings& s, const std::string& body) {
  const std::string color = s.brand_color.empty() ? "#0a7d5a" : s.brand_color;
  std::string out = "<!DOCTYPE html>\n<html><body style=\"font-family:sans-serif\">\n<div style=\"border-top:4px solid " +
                    color + ";padding:12px\">\n";
  if (s.logo_url.starts_with("https://"))
    out += "<img src=\"" + html_escape(s.logo_url) + "\" alt=\"\" style=\"max-height:48px\">\n";
  return out + body + "</div>\n</body></html>\n";
}

}  // namespace

std::vector<std::string> triggered_rules(const domain::Event& e, const NotificationSettings& s) {
  std::vector<std::string> out;
  if (e.milestone) {
    switch (*e.milestone) {
      case domain::Milestone::kProcessed:
      case domain::Milestone::kShipped:
      case domain::Milestone::kOutForDelivery:
      case domain::Milestone::kArriving:
      case domain::Milestone::kAttemptFailed: out.emplace_back(domain::milestone_name(*e.milestone)); break;
      case domain::Milestone::kDelivered:
        out.emplace_back("delivered");
        out.emplace_back("survey");
        break;
      default: break;
    }
  }
  if (e.type == "driver_arrived") out.emplace_back("at_address");
  if (e.type == "late_risk") out.emplace_back("late_risk");
  if (e.type == "eta_changed") {
    if (auto m = shift_minutes(e.payload_json); m && std::llabs(*m) >= s.eta_change_min_minutes)
      out.emplace_back("eta_changed");
  }
  return out;
}

RenderedMessage render_message(const NotificationSettings& s, const std::string& rule, const std::string& channel,
                               const TemplateVariables& vars) {
  auto it = s.templates.find(rule);
  const RuleTemplates t = it == s.templates.end() ? default_templates(rule) : it->second;
  RenderedMessage out;
  if (channel == "sms") {
    out.text = render_text(t.sms, vars);
    return out;
  }
  out.subject = render_text(t.email.subject, vars);
  out.text = render_text(t.email.text, vars);
  out.html = branded_html(s, render_text(t.email.html, vars, /*escape_html=*/true));
  return out;
}

std::string message_payload(const RenderedMessage& m) {
  return core::to_json(json::object{{"subject", m.subject},
                                    {"text", m.text},
                                    {"html", m.html},
                                    {"from_name", m.from_name},
                                    {"unsubscribe_url", m.unsubscribe_url}});
}

RenderedMessage parse_message_payload(const std::string& payload) {
  RenderedMessage m;
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return m;
  auto get = [&](const char* k) -> std::string {
    const json::value* x = v.as_object().if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  m.subject = get("subject");
  m.text = get("text");
  m.html = get("html");
  m.from_name = get("from_name");
  m.unsubscribe_url = get("unsubscribe_url");
  return m;
}

std::string first_name(std::string_view full) {
  while (!full.empty() && full.front() == ' ') full.remove_prefix(1);
  const auto sp = full.find(' ');
  return std::string(sp == std::string_view::npos ? full : full.substr(0, sp));
}

}  // namespace lastmile::notify
