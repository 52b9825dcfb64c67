#include "domain/instructions.hpp"

namespace lastmile::domain {

bool recipient_may_edit_instructions(Milestone status) {
  return status == Milestone::kCreated || status == Milestone::kProcessed || status == Milestone::kShipped;
}

}  // namespace lastmile::domain
