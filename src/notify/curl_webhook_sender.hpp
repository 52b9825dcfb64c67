#pragma once
// The libcurl transport of webhooks: POST with Content-Type application/json, connect timeout 5 s,
// total 15 s, redirects not followed, the answer body read up to kMaxAnswerBytes.

#include "notify/webhook_sender.hpp"

namespace lastmile::notify {

class CurlWebhookSender final : public WebhookSender {
 public:
  CurlWebhookSender();  // curl_global_init once per process
  WebhookAnswer post(const WebhookRequest& request) override;
};

}  // namespace lastmile::notify
