#pragma once
// The libcurl transport of webhooks: POST with Content-Type application/json, connect timeout 5 s,
// total 15 s, redirects not followed, the answer body read up to kMaxAnswerBytes. Unless private
// targets are allowed, the request is aborted before it is sent when the address actually
// connected to is private (is_private_address): DNS cannot smuggle a request into the local network.

#include "notify/webhook_sender.hpp"

namespace lastmile::notify {

class CurlWebhookSender final : public WebhookSender {
 public:
  explicit CurlWebhookSender(bool allow_private = false);
  WebhookAnswer post(const WebhookRequest& request) override;

 private:
  bool allow_private_;
};

}  // namespace lastmile::notify
