#include "push/outbox.hpp"

#include <cassert>

namespace lastmile::push {

size_t Outbox::find_position(std::string_view key) const {
  if (positions_ > kLinearScan) {
    auto it = index_->find(key);
    return it == index_->end() ? kNone : it->second;
  }
  if (positions_ == 0) return kNone;
  for (size_t i = items_.size(); i-- > 0;) {
    const auto& m = *items_[i];
    if (m.kind == LiveMessage::Kind::kPosition && m.coalesce_key == key) return i;
  }
  return kNone;
}

Outbox::Offer Outbox::push(LiveMessagePtr m) {
  assert(m);
  if (m->kind != LiveMessage::Kind::kPosition) {
    if (ordered_ >= limits_.max_ordered) return Offer::kOverflow;
    items_.push_back(std::move(m));
    ++ordered_;
    return Offer::kQueued;
  }
  if (size_t at = find_position(m->coalesce_key); at != kNone) {
    if (positions_ > kLinearScan) {
      index_->erase(items_[at]->coalesce_key);
      index_->emplace(m->coalesce_key, at);
    }
    items_[at] = std::move(m);
    return Offer::kCoalesced;
  }
  if (positions_ >= limits_.max_positions) return Offer::kOverflow;
  items_.push_back(std::move(m));
  ++positions_;
  if (positions_ == kLinearScan + 1) {
    index_ = std::make_unique<std::unordered_map<std::string_view, size_t>>();
    for (size_t i = 0; i < items_.size(); ++i)
      if (items_[i]->kind == LiveMessage::Kind::kPosition) index_->emplace(items_[i]->coalesce_key, i);
  } else if (positions_ > kLinearScan + 1) {
    index_->emplace(items_.back()->coalesce_key, items_.size() - 1);
  }
  return Offer::kQueued;
}

void Outbox::take(std::vector<LiveMessagePtr>& out) {
  if (out.empty()) {
    out.swap(items_);
  } else {
    for (auto& m : items_) out.push_back(std::move(m));
  }
  items_.clear();
  if (items_.capacity() > 64) std::vector<LiveMessagePtr>().swap(items_);
  ordered_ = positions_ = 0;
  index_.reset();
}

void Outbox::clear() {
  std::vector<LiveMessagePtr>().swap(items_);
  index_.reset();
  ordered_ = positions_ = 0;
}

}  // namespace lastmile::push
