// graphstore bytes: copying the short strings records are made of (ids, type
// names, small properties), shared by the core and the in-memory plugin.
#ifndef GRAPHSTORE_BYTES_HPP
#define GRAPHSTORE_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace graphstore::sdk {

// memcpy, inline for up to 16 bytes, where a call through the PLT costs more
// than the copy. The ranges must not overlap.
[[gnu::always_inline]] inline void copy_bytes(char* to, const char* from, size_t n) {
  if (n > 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, from, 8);
    std::memcpy(&b, from + n - 8, 8);
    std::memcpy(to, &a, 8);
    std::memcpy(to + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, from, 4);
    std::memcpy(&b, from + n - 4, 4);
    std::memcpy(to, &a, 4);
    std::memcpy(to + n - 4, &b, 4);
  } else if (n > 0) {  // 1 to 3 bytes: the first, middle and last cover them
    char first = from[0], middle = from[n / 2], last = from[n - 1];
    to[0] = first;
    to[n / 2] = middle;
    to[n - 1] = last;
  }
}

// s = the n bytes at from, which must not lie inside s. Reusing s's buffer,
// this is about a third faster than std::string::assign (its general replace
// and a memcpy call) for the few strings of a record, which a point read that
// fills the caller's reused Entity copies every time.
inline void assign_bytes(std::string* s, const char* from, size_t n) {
  if (n != s->size()) {
    if (n > s->capacity()) {
      s->assign(from, n);
      return;
    }
    s->resize(n);
  }
  copy_bytes(s->data(), from, n);
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_BYTES_HPP
