// graphstore UTF-8: the one check of "well-formed UTF-8" the core, the
// importers and the plugins share, so every layer accepts the same strings.
// Well-formed means RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF.
#ifndef GRAPHSTORE_UTF8_HPP
#define GRAPHSTORE_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace graphstore::sdk {

// The length of the longest prefix of s that is well-formed UTF-8 (and, with
// stop_at_nul, holds no NUL byte, which C strings and PostgreSQL text cannot
// carry). Equal to s.size() when all of s is. Eight ASCII bytes at a time:
// most ids and properties are mostly ASCII.
inline size_t utf8_prefix(std::string_view s, bool stop_at_nul = false) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      bool zero = ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
      if ((w & 0x8080808080808080ull) == 0 && !(stop_at_nul && zero)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c == 0 && stop_at_nul) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return n;
}

// Whether every byte of s is ASCII (and so s is well-formed UTF-8): a word at
// a time, the last word overlapping the one before; short strings, most ids
// and type names, take one or two loads.
inline bool ascii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t any = 0, w;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      any |= w;
    }
    std::memcpy(&w, p + n - 8, 8);
    any |= w;
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    any = a | b;
  } else {
    for (size_t i = 0; i < n; ++i) any |= static_cast<unsigned char>(p[i]);
  }
  return (any & 0x8080808080808080ull) == 0;
}

inline bool valid_utf8(std::string_view s) { return ascii(s) || utf8_prefix(s) == s.size(); }

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_UTF8_HPP
