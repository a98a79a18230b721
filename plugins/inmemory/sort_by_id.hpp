// Sorting slots by their ids (bytewise), the order of every scan and result.
#ifndef GRAPHSTORE_INMEMORY_SORT_BY_ID_HPP
#define GRAPHSTORE_INMEMORY_SORT_BY_ID_HPP

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace graphstore::inmemory {

// The first 8 bytes of id as a big-endian number (zero-padded): comparing
// two prefixes that differ orders their ids exactly as a bytewise compare
// does, so most comparisons of a large sort avoid touching the strings.
inline uint64_t id_prefix(std::string_view id) {
  uint64_t p = 0;
  size_t n = id.size() < 8 ? id.size() : 8;
  for (size_t i = 0; i < n; ++i) p |= uint64_t(static_cast<unsigned char>(id[i])) << (56 - 8 * i);
  return p;
}

// Sorts slots by id_of(slot).
template <class IdOf>
void sort_by_id(std::vector<uint32_t>& slots, const IdOf& id_of) {
  if (slots.size() < 64) {
    std::sort(slots.begin(), slots.end(), [&](uint32_t a, uint32_t b) { return id_of(a) < id_of(b); });
    return;
  }
  struct Key {
    uint64_t prefix;
    uint32_t slot;
  };
  std::vector<Key> keys;
  keys.reserve(slots.size());
  for (uint32_t s : slots) keys.push_back(Key{id_prefix(id_of(s)), s});
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return id_of(a.slot) < id_of(b.slot);
  });
  for (size_t i = 0; i < keys.size(); ++i) slots[i] = keys[i].slot;
}

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_SORT_BY_ID_HPP
