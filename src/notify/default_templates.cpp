#include "notify/default_templates.hpp"

#include <string>

namespace lastmile::notify {
namespace {

struct Texts {
  std::string_view rule;
  std::string_view subject;
  std::string_view line;  // one sentence, used in the SMS, the text and the HTML part
};

constexpr Texts kTexts[] = {
    {"processed", "Your order {{tracking_number}} is being prepared", "{{shipper_name}} is preparing your order."},
    {"shipped", "Your order {{tracking_number}} has shipped", "Your order from {{shipper_name}} is on its way."},
    {"out_for_delivery", "Out for delivery today", "Your parcel is out for delivery. Expected: {{eta_window}}."},
    {"arriving", "Your parcel is arriving soon", "{{driver_first_name}} is arriving soon with your parcel."},
    {"at_address", "Your driver is at the door", "{{driver_first_name}} is at your address with your parcel."},
    {"delivered", "Delivered: {{tracking_number}}", "Your parcel has been delivered."},
    {"attempt_failed", "We missed you", "We could not deliver your parcel today. See your options:"},
    {"late_risk", "Your delivery may be late", "Your parcel may arrive later than planned."},
    {"eta_changed", "New delivery time: {{eta_window}}", "Your delivery time changed. New estimate: {{eta_window}}."},
    {"survey", "How was your delivery?", "How was your delivery? Tell us in one click:"},
    {"reminder_day_before", "Delivery tomorrow: {{eta_window}}", "Your parcel arrives tomorrow, {{eta_window}}."},
    {"reminder_morning_of", "Delivery today: {{eta_window}}", "Your parcel arrives today, {{eta_window}}."},
};

}  // namespace

RuleTemplates default_templates(std::string_view rule) {
  for (const auto& t : kTexts) {
    if (t.rule != rule) continue;
    const std::string line(t.line);
    const std::string link = rule == "survey" ? "{{survey_url}}" : "{{tracking_url}}";
    RuleTemplates out;
    out.sms = line + " " + link;
    out.email.subject = std::string(t.subject);
    out.email.text = "Hello {{first_name}},\n\n" + line + "\n" + link +
                     "\n\n{{shipper_name}}\n\nUnsubscribe: {{unsubscribe_url}}\n";
    out.email.html = "<p>Hello {{first_name}},</p>\n<p>" + line + "</p>\n<p><a href=\"" + link +
                     "\">" + (rule == "survey" ? "Rate your delivery" : "Track your parcel") +
                     "</a></p>\n<p>{{shipper_name}}</p>\n<p style=\"font-size:small\"><a href=\"{{unsubscribe_url}}\">"
                     "Unsubscribe</a></p>\n";
    return out;
  }
  return {};
}

}  // namespace lastmile::notify
