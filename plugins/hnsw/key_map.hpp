// A flat hash map from a store's 64-bit key (an in-memory slot, an SQLite
// rowid) to an index node: 16 bytes per entry at a load of at most 1/2, about
// a third of std::unordered_map's footprint at 1M keys.
#pragma once

#include <cstdint>
#include <vector>

namespace graphstore::hnsw {

class KeyMap {
 public:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static constexpr uint32_t kMissing = ~uint32_t{0};

  // The node of key, or kMissing.
  uint32_t find(uint64_t key) const {
    if (slots_.empty()) return kMissing;
    for (size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return slots_[i].node;
      if (slots_[i].key == kEmpty) return kMissing;
    }
  }
  // Sets key's node. Requires key != kEmpty.
  void put(uint64_t key, uint32_t node) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) {
        slots_[i].node = node;
        return;
      }
      if (slots_[i].key == kEmpty) {
        slots_[i] = {key, node};
        ++size_;
        return;
      }
    }
  }
  // Removes key if present (backward-shift deletion: no tombstones).
  void erase(uint64_t key) {
    if (slots_.empty()) return;
    size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == kEmpty) return;
      i = (i + 1) & mask();
    }
    for (size_t j = (i + 1) & mask();; j = (j + 1) & mask()) {
      if (slots_[j].key == kEmpty) break;
      size_t h = home(slots_[j].key);
      // Move j back into the hole at i unless its home lies cyclically in (i, j].
      bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = {kEmpty, 0};
    --size_;
  }
  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }
  void reserve(size_t n) {
    while (n * 2 > slots_.size()) grow();
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t node;
  };
  size_t mask() const { return slots_.size() - 1; }
  size_t home(uint64_t key) const {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return static_cast<size_t>(key) & mask();
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{kEmpty, 0});
    size_ = 0;
    for (const Slot& s : old)
      if (s.key != kEmpty) put(s.key, s.node);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace graphstore::hnsw
