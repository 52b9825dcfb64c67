#pragma once
// Which notifications an event causes and what they say (docs/notifications.md). Pure.

#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "notify/message_template.hpp"
#include "notify/notification_settings.hpp"

namespace lastmile::notify {

// The rules `event` triggers, whatever their channels: a milestone's own name (processed, shipped,
// out_for_delivery, arriving, delivered, attempt_failed), "at_address" for driver_arrived,
// "late_risk", "eta_changed" when |shift_minutes| >= settings.eta_change_min_minutes, and "survey"
// beside "delivered".
std::vector<std::string> triggered_rules(const domain::Event& event, const NotificationSettings& settings);

// The text of one message. Email: subject, text and html; SMS: body only.
struct RenderedMessage {
  std::string subject;
  std::string text;  // the SMS body for sms
  std::string html;
  std::string from_name;        // e-mail display name (the shipper)
  std::string unsubscribe_url;  // e-mail: the List-Unsubscribe target
};

// Renders the rule's template for `channel` ("email" | "sms"). The HTML part is wrapped in the
// tenant's branding (colour bar, https logo); values are HTML-escaped there.
RenderedMessage render_message(const NotificationSettings& settings, const std::string& rule,
                               const std::string& channel, const TemplateVariables& vars);

// The outbox payload of a rendered message (JSON) and back.
std::string message_payload(const RenderedMessage& m);
RenderedMessage parse_message_payload(const std::string& payload);

// "Ann" from "Ann Smith".
std::string first_name(std::string_view full_name);

}  // namespace lastmile::notify
