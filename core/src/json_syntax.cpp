#include "json_syntax.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "graphstore/utf8.hpp"

namespace graphstore {
namespace {

using Byte = unsigned char;

bool digit(Byte c) { return c >= '0' && c <= '9'; }
bool space(Byte c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The bytes of w that a string scan stops at ('"', '\\' or a control
// character), each marked by its top bit. Exact per byte: no carry or
// borrow crosses from one byte to the next.
uint64_t stop_bytes(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kLow7 = 0x7f * kOnes, kHigh = 0x80 * kOnes;
  auto zero_bytes = [](uint64_t x) { return ~(((x & kLow7) + kLow7) | x) & kHigh; };
  return zero_bytes(w & (0xe0 * kOnes)) | zero_bytes(w ^ ('"' * kOnes)) | zero_bytes(w ^ ('\\' * kOnes));
}

// The position of the text is a local pointer passed along, never a member:
// a byte load may alias any object (char aliases anything), so a member
// position would be stored back to memory at every step. The scanners take
// the position and return the one after what they read, or nullptr after
// recording the error.
class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(reinterpret_cast<const Byte*>(text.data())), end_(begin_ + text.size()) {}

  JsonSyntax run() {
    // Non-ASCII bytes are legal only inside strings, where any well-formed
    // UTF-8 is, so one check of the whole text up front covers them all.
    std::string_view text(reinterpret_cast<const char*>(begin_), size_t(end_ - begin_));
    if (!sdk::ascii(text)) {
      size_t good = sdk::utf8_prefix(text);
      if (good != text.size()) return at(begin_ + good, "invalid UTF-8");
    }
    const Byte* p = skip_space(begin_);
    if (p == end_) return at(p, "the text is empty");
    bool root_object = *p == '{';
    // nest_ holds the open containers, '{' or '['. Each label is entered
    // with p past any whitespace.
  value:
    if (p == end_) return at(p, "a value is expected");
    switch (*p) {
      case '{':
        p = skip_space(p + 1);
        if (p != end_ && *p == '}') {
          ++p;
          goto after_value;
        }
        nest_.push_back('{');
        goto key;
      case '[':
        p = skip_space(p + 1);
        if (p != end_ && *p == ']') {
          ++p;
          goto after_value;
        }
        nest_.push_back('[');
        goto value;
      case '"':
        p = string(p);
        break;
      case 't':
        p = literal(p, "true");
        break;
      case 'f':
        p = literal(p, "false");
        break;
      case 'n':
        p = literal(p, "null");
        break;
      default:
        p = number(p);
    }
    if (p == nullptr) return error_;
  after_value:
    p = skip_space(p);
    if (nest_.empty()) {
      if (p != end_) return at(p, "text after the end of the JSON value");
      return JsonSyntax{nullptr, 0, root_object};
    }
    if (nest_.back() == '{') {
      if (p != end_ && *p == ',') {
        p = skip_space(p + 1);
        goto key;
      }
      if (p == end_ || *p != '}') return at(p, "',' or '}' is expected");
    } else {
      if (p != end_ && *p == ',') {
        p = skip_space(p + 1);
        goto value;
      }
      if (p == end_ || *p != ']') return at(p, "',' or ']' is expected");
    }
    ++p;
    nest_.pop_back();
    goto after_value;
  key:
    if (p == end_ || *p != '"') return at(p, "a string key is expected");
    if ((p = string(p)) == nullptr) return error_;
    p = skip_space(p);
    if (p == end_ || *p != ':') return at(p, "':' is expected after a key");
    p = skip_space(p + 1);
    goto value;
  }

 private:
  JsonSyntax at(const Byte* p, const char* what) { return JsonSyntax{what, size_t(p - begin_), false}; }
  // For the scanners below: records the error, returns nullptr.
  const Byte* fail(const Byte* p, const char* what) {
    error_ = at(p, what);
    return nullptr;
  }

  const Byte* skip_space(const Byte* p) const {
    while (p != end_ && space(*p)) ++p;
    return p;
  }

  const Byte* literal(const Byte* p, std::string_view word) {
    if (size_t(end_ - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0)
      return fail(p, "invalid literal");
    return p + word.size();
  }

  const Byte* digits(const Byte* p) const {
    while (p != end_ && digit(*p)) ++p;
    return p;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  const Byte* number(const Byte* p) {
    if (p != end_ && *p == '-') ++p;
    if (p == end_ || !digit(*p)) return fail(p, "a value is expected");
    if (*p++ != '0') p = digits(p);
    if (p != end_ && *p == '.') {
      ++p;
      if (p == end_ || !digit(*p)) return fail(p, "a digit is expected after '.'");
      p = digits(p);
    }
    if (p != end_ && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p != end_ && (*p == '+' || *p == '-')) ++p;
      if (p == end_ || !digit(*p)) return fail(p, "a digit is expected in the exponent");
      p = digits(p);
    }
    return p;
  }

  // Four hex digits after the "\u" at p.
  bool hex4(const Byte* p, unsigned* code) const {
    if (end_ - p < 6) return false;
    unsigned v = 0;
    for (int i = 2; i < 6; ++i) {
      Byte c = p[i];
      unsigned d = digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 16;
      if (d == 16) return false;
      v = v * 16 + d;
    }
    *code = v;
    return true;
  }

  // The escape at p (a backslash).
  const Byte* escape(const Byte* p) {
    if (end_ - p < 2) return fail(p, "unterminated string");
    switch (p[1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return p + 2;
      case 'u':
        break;
      default:
        return fail(p, "invalid escape in a string");
    }
    unsigned code;
    if (!hex4(p, &code)) return fail(p, "invalid \\u escape");
    if (code >= 0xDC00 && code <= 0xDFFF) return fail(p, "unpaired UTF-16 surrogate in a \\u escape");
    p += 6;
    if (code < 0xD800 || code > 0xDBFF) return p;
    // A high surrogate needs a low one right after it.
    unsigned low;
    if (end_ - p < 2 || p[0] != '\\' || p[1] != 'u' || !hex4(p, &low) || low < 0xDC00 || low > 0xDFFF)
      return fail(p, "unpaired UTF-16 surrogate in a \\u escape");
    return p + 6;
  }

  // Advances p to the first byte a string scan stops at, or to end_.
  const Byte* skip_plain(const Byte* p) const {
    if constexpr (std::endian::native == std::endian::little) {
      for (uint64_t w; end_ - p >= 8; p += 8) {
        std::memcpy(&w, p, 8);
        if (uint64_t stops = stop_bytes(w)) return p + std::countr_zero(stops) / 8;
      }
    }
    while (p != end_ && *p != '"' && *p != '\\' && *p >= 0x20) ++p;
    return p;
  }

  // The string whose opening quote is at p.
  const Byte* string(const Byte* p) {
    const Byte* open = p++;
    for (;;) {
      p = skip_plain(p);
      if (p == end_) return fail(open, "unterminated string");
      if (*p == '"') return p + 1;
      if (*p != '\\') return fail(p, "control character in a string (escape it)");
      if ((p = escape(p)) == nullptr) return nullptr;
    }
  }

  const Byte* begin_;
  const Byte* end_;
  std::string nest_;  // short strings need no heap: 15 levels before the first allocation
  JsonSyntax error_;
};

}  // namespace

JsonSyntax check_json_syntax(std::string_view text) { return Scanner(text).run(); }

}  // namespace graphstore
