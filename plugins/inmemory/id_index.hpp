// IdIndex: id -> slot, an open-addressing table (linear probing, backward
// shift deletion) that stores only a 32-bit hash and the slot. The key itself
// lives in the record; lookups take a string_view and a function reading a
// slot's id, so a lookup never builds a std::string.
#ifndef GRAPHSTORE_INMEMORY_ID_INDEX_HPP
#define GRAPHSTORE_INMEMORY_ID_INDEX_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace graphstore::inmemory {

class IdIndex {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  // Multiply-xorshift over 8-byte words with a splitmix64 finish: inline and
  // quick for the short ids that dominate, well mixed in every bit.
  static uint32_t hash(std::string_view key) {
    const char* p = key.data();
    size_t n = key.size();
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t(n) * 0xff51afd7ed558ccdull);
    uint64_t w;
    for (; n > 8; p += 8, n -= 8) {
      std::memcpy(&w, p, 8);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
      h ^= h >> 32;
    }
    if (key.size() >= 8) {
      std::memcpy(&w, key.data() + key.size() - 8, 8);  // the last 8 bytes, overlapping if need be
    } else {
      w = 0;
      for (size_t i = 0; i < n; ++i) w |= uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return uint32_t(h ^ (h >> 32));
  }

  // Whether two ids (or type names) are equal; inline up to 16 bytes, the
  // common case (memcmp is a call through the PLT). Two overlapping words
  // from each end cover any length from one word to two.
  static bool same(std::string_view a, std::string_view b) {
    size_t n = a.size();
    if (n != b.size()) return false;
    if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
    if (n >= 8) return same_ends<uint64_t>(a.data(), b.data(), n);
    if (n >= 4) return same_ends<uint32_t>(a.data(), b.data(), n);
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  // The slot stored under key, or kAbsent. key_of(slot) returns a slot's id;
  // h, when given, is hash(key).
  template <class KeyOf>
  uint32_t find(std::string_view key, const KeyOf& key_of) const {
    return find(key, hash(key), key_of);
  }
  template <class KeyOf>
  uint32_t find(std::string_view key, uint32_t h, const KeyOf& key_of) const {
    if (size_ == 0) return kAbsent;
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kAbsent) return kAbsent;
      if (s.hash == h && same(key_of(s.value), key)) return s.value;
    }
  }

  // For prefetching: the slot where a probe for hash h starts, and the first
  // value stored under h (the likely match), or kAbsent.
  const void* home(uint32_t h) const { return capacity_ == 0 ? nullptr : &slots_[h & mask_]; }
  uint32_t first_with_hash(uint32_t h) const {
    if (size_ == 0) return kAbsent;
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].value == kAbsent || slots_[i].hash == h) return slots_[i].value;
    }
  }

  // Makes room for one more entry so that the next insert cannot allocate.
  // Throws std::bad_alloc and then leaves the index unchanged.
  void reserve_one() {
    if ((size_ + 1) * 4 > capacity_ * 3) rehash(capacity_ == 0 ? 16 : capacity_ * 2);
  }

  // For a bulk add of up to n more keys: when they will make the table grow,
  // allocates the grown table now, untouched, for the growth to move into,
  // and appends its memory to *out (for a Prefaulter). Throws std::bad_alloc.
  template <class Out>
  void upcoming(size_t n, Out* out) {
    if (capacity_ == 0 || (size_ + n) * 4 <= capacity_ * 3) return;
    if (!spare_) spare_ = std::make_unique_for_overwrite<Slot[]>(capacity_ * 2);
    out->push_back({spare_.get(), capacity_ * 2 * sizeof(Slot)});
  }

  // Frees a table upcoming() allocated that no growth used. Returns whether
  // it did.
  bool drop_spare() {
    bool had = spare_ != nullptr;
    spare_.reset();
    return had;
  }

  // Adds key -> value, h being hash(key); key must be absent and reserve_one
  // called before.
  void insert(uint32_t h, uint32_t value) {
    size_t i = h & mask_;
    while (slots_[i].value != kAbsent) i = (i + 1) & mask_;
    slots_[i] = Slot{h, value};
    ++size_;
  }

  // Removes the entry key -> value, which must be present.
  void erase(std::string_view key, uint32_t value) {
    size_t i = hash(key) & mask_;
    while (slots_[i].value != value) i = (i + 1) & mask_;
    // Backward shift: pull later members of the probe run into the hole
    // unless their home position lies cyclically in (hole, j].
    for (size_t j = i;;) {
      j = (j + 1) & mask_;
      if (slots_[j].value == kAbsent) break;
      size_t home = slots_[j].hash & mask_;
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i].value = kAbsent;
    --size_;
  }

  size_t size() const { return size_; }
  size_t bytes() const { return (capacity_ + (spare_ ? capacity_ * 2 : 0)) * sizeof(Slot); }

 private:
  template <class Word>
  static bool same_ends(const char* a, const char* b, size_t n) {
    Word a0, a1, b0, b1;
    std::memcpy(&a0, a, sizeof(Word));
    std::memcpy(&b0, b, sizeof(Word));
    std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
    std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }

  // Trivial, so that a table can be allocated without touching its pages;
  // an empty slot has value kAbsent.
  struct Slot {
    uint32_t hash;
    uint32_t value;
  };

  void rehash(size_t capacity) {
    // The spare upcoming() set aside is the grown table (capacity_ * 2).
    std::unique_ptr<Slot[]> fresh =
        spare_ && capacity == capacity_ * 2 ? std::move(spare_) : std::make_unique_for_overwrite<Slot[]>(capacity);
    std::fill(fresh.get(), fresh.get() + capacity, Slot{0, kAbsent});
    size_t mask = capacity - 1;
    for (size_t k = 0; k < capacity_; ++k) {
      const Slot& s = slots_[k];
      if (s.value == kAbsent) continue;
      size_t i = s.hash & mask;
      while (fresh[i].value != kAbsent) i = (i + 1) & mask;
      fresh[i] = s;
    }
    slots_ = std::move(fresh);
    capacity_ = capacity;
    mask_ = mask;
  }

  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::unique_ptr<Slot[]> spare_;  // the grown table, allocated ahead by upcoming()
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_ID_INDEX_HPP
