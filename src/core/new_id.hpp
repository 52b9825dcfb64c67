#pragma once
// Fresh public ids: "<prefix>_<16 random [a-z0-9]>" (about 82 bits), e.g. "shp_k3v9q0x1m2a8b7c4".

#include "core/crypto.hpp"
#include "core/ids.hpp"

namespace lastmile::core {

template <typename IdT>
IdT new_id() {
  return IdT(std::string(IdT::prefix()) + "_" + random_alnum(16));
}

}  // namespace lastmile::core
