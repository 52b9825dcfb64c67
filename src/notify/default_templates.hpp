#pragma once
// The built-in English templates, one per rule (notification_settings.hpp).

#include <string_view>

#include "notify/notification_settings.hpp"

namespace lastmile::notify {

// REQUIRES: `rule` is one of rule_names().
RuleTemplates default_templates(std::string_view rule);

}  // namespace lastmile::notify
