#pragma once
// The "only the cluster's leader sends" gate of an outbox worker (docs/cluster.md, "Outbox"): a
// worker asks admit() at the start of each pass. Without a may_send function (a single node) every
// pass sends. Worker thread only.

#include <functional>
#include <utility>

namespace lastmile::notify {

class SendGate {
 public:
  explicit SendGate(std::function<bool()> may_send) : may_send_(std::move(may_send)) {}

  // True when this pass may send. On becoming the sender, `on_lead` runs first: it requeues the
  // messages the previous sender left in "sending" when it died or lost the lead.
  template <typename F>
  bool admit(F&& on_lead) {
    if (!may_send_) return true;
    if (!may_send_()) {
      leading_ = false;
      return false;
    }
    if (!leading_) on_lead();
    leading_ = true;
    return true;
  }

 private:
  std::function<bool()> may_send_;
  bool leading_ = false;  // may_send() was true at the last pass
};

}  // namespace lastmile::notify
