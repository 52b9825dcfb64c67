#pragma once
// Wiring of e-mail/SMS notifications for `serve` (docs/notifications.md): the channels from the
// provider options, the worker, its metrics, and the Services fields.

#include <atomic>
#include <memory>
#include <string>

#include "api/context.hpp"
#include "app/serve_command.hpp"
#include "notify/notification_worker.hpp"
#include "notify/sms_http_channel.hpp"
#include "notify/smtp_channel.hpp"

namespace lastmile::app {

class NotificationRuntime {
 public:
  // Starts the worker when the store has notifications. REQUIRES: services.public_url is set.
  NotificationRuntime(const ServeOptions& o, storage::Store& store, const core::Clock& clock, api::Metrics& metrics,
                      api::Services& services, std::function<bool()> may_send = {});
  ~NotificationRuntime();  // stops the worker after the try in progress
  void wake();             // new events were committed (any thread)

 private:
  notify::SmtpChannel email_;
  notify::SmsHttpChannel sms_;
  std::atomic<uint64_t> email_sent_{0}, email_dead_{0}, sms_sent_{0}, sms_dead_{0};
  std::unique_ptr<notify::NotificationWorker> worker_;
};

}  // namespace lastmile::app
