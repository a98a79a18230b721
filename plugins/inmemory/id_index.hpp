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

  // A multiply-fold hash: the key is read as two words a and b (for up to
  // 16 bytes, two overlapping loads that cover every byte; longer keys fold
  // their leading 16-byte blocks into the seed first), then mixed by two
  // 64x64->128-bit multiplies whose halves are xored. Branch-light and
  // inline for the short ids that dominate, well mixed in every bit.
  static uint32_t hash(std::string_view key) {
    const char* p = key.data();
    size_t n = key.size();
    uint64_t seed = kSeed ^ n, a, b;
    if (n >= 8) {
      const char* last = p + n - (n > 16 ? 16 : 8);
      for (; n > 16 && p < last; p += 16) seed = fold(word(p) ^ kMix1, word(p + 8) ^ seed);
      a = word(n > 16 ? last : key.data());
      b = word(key.data() + n - 8);
    } else if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x;
      b = y;
    } else {
      auto byte = [p](size_t i) { return uint64_t(static_cast<unsigned char>(p[i])); };
      a = n ? byte(0) << 16 | byte(n / 2) << 8 | byte(n - 1) : 0;
      b = 0;
    }
    uint64_t h = fold(fold(a ^ kMix1, b ^ seed) ^ kMix0, seed ^ kMix1);
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
  [[gnu::always_inline]] void reserve_one() {
    if ((size_ + 1) * 4 > capacity_ * 3) grow();
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
  static constexpr uint64_t kSeed = 0x9e3779b97f4a7c15ull;
  static constexpr uint64_t kMix0 = 0xa0761d6478bd642full;
  static constexpr uint64_t kMix1 = 0xe7037ed1a0b428dbull;

  static uint64_t word(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }

  // The two halves of the 128-bit product of x and y, xored.
  static uint64_t fold(uint64_t x, uint64_t y) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 U128;
    U128 r = U128(x) * y;
    return uint64_t(r) ^ uint64_t(r >> 64);
#else
    uint64_t xl = uint32_t(x), xh = x >> 32, yl = uint32_t(y), yh = y >> 32;
    uint64_t ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
    uint64_t mid = (ll >> 32) + uint32_t(lh) + uint32_t(hl);
    uint64_t lo = (mid << 32) | uint32_t(ll), hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
#endif
  }

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

  [[gnu::noinline]] void grow() { rehash(capacity_ == 0 ? 16 : capacity_ * 2); }

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
