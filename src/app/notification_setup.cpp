#include "app/notification_setup.hpp"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include "storage/notification_store.hpp"

namespace lastmile::app {
namespace {

notify::SmtpOptions smtp_options(const ServeOptions& o) {
  return notify::SmtpOptions{o.smtp_url, o.smtp_user, o.smtp_password, o.smtp_from, o.smtp_starttls, o.smtp_ca_file};
}

notify::SmsOptions sms_options(const ServeOptions& o, const std::string& public_url) {
  return notify::SmsOptions{o.sms_url, o.sms_account_sid, o.sms_auth_token, o.sms_from, public_url + "/v1/sms/status"};
}

}  // namespace

NotificationRuntime::NotificationRuntime(const ServeOptions& o, storage::Store& store, const core::Clock& clock,
                                         api::Metrics& metrics, api::Services& services,
                                         std::function<bool()> may_send)
    : email_(smtp_options(o)), sms_(sms_options(o, services.public_url)) {
  storage::NotificationStore* ns = store.notifications();
  services.notifications = ns;
  services.sms_auth_token = o.sms_auth_token;
  if (!ns) return;
  if (auto st = ns->set_notification_public_url(services.public_url); !st)
    spdlog::warn("notify: cannot record the public URL: {}", st.error().message);
  notify::NotificationWorkerOptions options;
  options.max_attempts = o.webhook_max_attempts;
  options.backoff.scale = o.webhook_backoff_scale;
  options.may_send = std::move(may_send);
  options.on_outcome = [this](const std::string& channel, storage::NotificationOutcome::Kind k) {
    const bool email = channel == "email";
    if (k == storage::NotificationOutcome::Kind::kSent) ++(email ? email_sent_ : sms_sent_);
    if (k == storage::NotificationOutcome::Kind::kDead) ++(email ? email_dead_ : sms_dead_);
  };
  worker_ = std::make_unique<notify::NotificationWorker>(*ns, email_, sms_, clock, options);
  worker_->start();
  metrics.add_collector([this](std::string& out) {
    out += fmt::format(
        "# HELP lastmile_notifications_sent_total E-mail/SMS messages accepted by the provider since start\n"
        "# TYPE lastmile_notifications_sent_total counter\n"
        "lastmile_notifications_sent_total{{channel=\"email\"}} {}\nlastmile_notifications_sent_total{{channel=\"sms\"}} {}\n"
        "# HELP lastmile_notifications_dead_total E-mail/SMS messages dead-lettered since start\n"
        "# TYPE lastmile_notifications_dead_total counter\n"
        "lastmile_notifications_dead_total{{channel=\"email\"}} {}\nlastmile_notifications_dead_total{{channel=\"sms\"}} {}\n"
        "# HELP lastmile_notification_channel_configured 1 when the channel has provider settings\n"
        "# TYPE lastmile_notification_channel_configured gauge\n"
        "lastmile_notification_channel_configured{{channel=\"email\"}} {}\n"
        "lastmile_notification_channel_configured{{channel=\"sms\"}} {}\n",
        email_sent_.load(), sms_sent_.load(), email_dead_.load(), sms_dead_.load(), email_.configured() ? 1 : 0,
        sms_.configured() ? 1 : 0);
  });
}

NotificationRuntime::~NotificationRuntime() { worker_.reset(); }

void NotificationRuntime::wake() {
  if (worker_) worker_->wake();
}

}  // namespace lastmile::app
