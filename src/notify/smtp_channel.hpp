#pragma once
// E-mail over SMTP with libcurl (smtp:// with optional STARTTLS, smtps:// for implicit TLS).

#include <string>

#include "notify/notification_channels.hpp"

namespace lastmile::notify {

struct SmtpOptions {
  std::string url;  // "smtp://127.0.0.1:2525"; empty: not configured
  std::string user;
  std::string password;
  std::string from;  // envelope and From: address
  bool require_starttls = false;
  std::string ca_file;  // PEM bundle to verify the server with; empty: the system store
};

class SmtpChannel final : public EmailChannel {
 public:
  explicit SmtpChannel(SmtpOptions options);
  bool configured() const override { return !options_.url.empty() && !options_.from.empty(); }
  std::string from_address() const override { return options_.from; }
  ChannelAnswer send(const MailMessage& m) override;

 private:
  SmtpOptions options_;
};

}  // namespace lastmile::notify
