#include "json_syntax.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "graphstore/utf8.hpp"

namespace graphstore {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : begin_(reinterpret_cast<const unsigned char*>(text.data())), p_(begin_), end_(begin_ + text.size()) {}

  JsonSyntax run() {
    // Non-ASCII bytes are legal only inside strings, where any well-formed
    // UTF-8 is, so one check of the whole text up front covers them all.
    size_t good = sdk::utf8_prefix(std::string_view(reinterpret_cast<const char*>(begin_), size_t(end_ - begin_)));
    if (good != size_t(end_ - begin_)) return fail_at(good, "invalid UTF-8");
    skip_space();
    if (p_ == end_) return fail("the text is empty");
    bool root_object = *p_ == '{';
    // nest_ holds the open containers, '{' or '['; state says what comes next.
    enum class Next { kValue, kKey, kAfterValue } next = Next::kValue;
    for (;;) {
      skip_space();
      if (next == Next::kKey) {
        if (p_ == end_ || *p_ != '"') return fail("a string key is expected");
        if (!string()) return error_;
        skip_space();
        if (p_ == end_ || *p_ != ':') return fail("':' is expected after a key");
        ++p_;
        next = Next::kValue;
        continue;
      }
      if (next == Next::kAfterValue) {
        if (nest_.empty()) {
          if (p_ != end_) return fail("text after the end of the JSON value");
          return JsonSyntax{nullptr, 0, root_object};
        }
        bool in_object = nest_.back() == '{';
        if (p_ != end_ && *p_ == ',') {
          ++p_;
          next = in_object ? Next::kKey : Next::kValue;
          continue;
        }
        if (p_ != end_ && *p_ == (in_object ? '}' : ']')) {
          ++p_;
          nest_.pop_back();
          continue;
        }
        return fail(in_object ? "',' or '}' is expected" : "',' or ']' is expected");
      }
      // A value.
      if (p_ == end_) return fail("a value is expected");
      next = Next::kAfterValue;
      switch (*p_) {
        case '{':
          ++p_;
          skip_space();
          if (p_ != end_ && *p_ == '}') {
            ++p_;
          } else {
            nest_.push_back('{');
            next = Next::kKey;
          }
          break;
        case '[':
          ++p_;
          skip_space();
          if (p_ != end_ && *p_ == ']') {
            ++p_;
          } else {
            nest_.push_back('[');
            next = Next::kValue;
          }
          break;
        case '"':
          if (!string()) return error_;
          break;
        case 't':
          if (!literal("true")) return fail("invalid literal");
          break;
        case 'f':
          if (!literal("false")) return fail("invalid literal");
          break;
        case 'n':
          if (!literal("null")) return fail("invalid literal");
          break;
        default:
          if (!number()) return error_;
      }
    }
  }

 private:
  JsonSyntax fail_at(size_t offset, const char* what) { return JsonSyntax{what, offset, false}; }
  JsonSyntax fail(const char* what) { return fail_at(size_t(p_ - begin_), what); }
  // For the scanners below, which return false after recording the error.
  bool failed(const char* what) {
    error_ = fail(what);
    return false;
  }

  // The hot loops below run on a local copy of p_: a byte load could alias
  // the member (char aliases anything), which would store p_ back each step.
  void skip_space() {
    const unsigned char* p = p_;
    while (p != end_ && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    p_ = p;
  }

  bool literal(std::string_view word) {
    if (size_t(end_ - p_) < word.size() || std::string_view(reinterpret_cast<const char*>(p_), word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  static bool digit(unsigned char c) { return c >= '0' && c <= '9'; }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number() {
    const unsigned char* p = p_;
    auto digits = [&] {
      while (p != end_ && digit(*p)) ++p;
    };
    auto fail_here = [&](const char* what) {
      p_ = p;
      return failed(what);
    };
    if (p != end_ && *p == '-') ++p;
    if (p == end_ || !digit(*p)) return fail_here("a value is expected");
    if (*p++ != '0') digits();
    if (p != end_ && *p == '.') {
      ++p;
      if (p == end_ || !digit(*p)) return fail_here("a digit is expected after '.'");
      digits();
    }
    if (p != end_ && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p != end_ && (*p == '+' || *p == '-')) ++p;
      if (p == end_ || !digit(*p)) return fail_here("a digit is expected in the exponent");
      digits();
    }
    p_ = p;
    return true;
  }

  // Four hex digits after "\u" at p_ (which points at the backslash).
  bool hex4(unsigned* code) {
    if (end_ - p_ < 6) return false;
    unsigned v = 0;
    for (int i = 2; i < 6; ++i) {
      unsigned char c = p_[i];
      unsigned d = digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 16;
      if (d == 16) return false;
      v = v * 16 + d;
    }
    *code = v;
    return true;
  }

  bool escape() {
    if (end_ - p_ < 2) return failed("unterminated string");
    switch (p_[1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        p_ += 2;
        return true;
      case 'u':
        break;
      default:
        return failed("invalid escape in a string");
    }
    unsigned code;
    if (!hex4(&code)) return failed("invalid \\u escape");
    if (code >= 0xDC00 && code <= 0xDFFF) return failed("unpaired UTF-16 surrogate in a \\u escape");
    p_ += 6;
    if (code < 0xD800 || code > 0xDBFF) return true;
    // A high surrogate needs a low one right after it.
    unsigned low;
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u' || !hex4(&low) || low < 0xDC00 || low > 0xDFFF)
      return failed("unpaired UTF-16 surrogate in a \\u escape");
    p_ += 6;
    return true;
  }

  // The bytes of w that a string scan stops at ('"', '\\' or a control
  // character), each marked by its top bit. Exact per byte: no carry or
  // borrow crosses from one byte to the next.
  static uint64_t stop_bytes(uint64_t w) {
    constexpr uint64_t kOnes = 0x0101010101010101ull, kLow7 = 0x7f * kOnes, kHigh = 0x80 * kOnes;
    auto zero_bytes = [](uint64_t x) { return ~(((x & kLow7) + kLow7) | x) & kHigh; };
    return zero_bytes(w & (0xe0 * kOnes)) | zero_bytes(w ^ ('"' * kOnes)) | zero_bytes(w ^ ('\\' * kOnes));
  }

  // Advances p to the first byte a string scan stops at, or to end_.
  const unsigned char* skip_plain(const unsigned char* p) const {
    if constexpr (std::endian::native == std::endian::little) {
      for (uint64_t w; end_ - p >= 8; p += 8) {
        std::memcpy(&w, p, 8);
        if (uint64_t stops = stop_bytes(w)) return p + std::countr_zero(stops) / 8;
      }
    }
    while (p != end_ && *p != '"' && *p != '\\' && *p >= 0x20) ++p;
    return p;
  }

  bool string() {
    const unsigned char* open = p_++;
    for (;;) {
      p_ = skip_plain(p_);
      if (p_ == end_) {
        p_ = open;
        return failed("unterminated string");
      }
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\') return failed("control character in a string (escape it)");
      if (!escape()) return false;
    }
  }

  const unsigned char* begin_;
  const unsigned char* p_;
  const unsigned char* end_;
  std::string nest_;  // short strings need no heap: 15 levels before the first allocation
  JsonSyntax error_;
};

}  // namespace

JsonSyntax check_json_syntax(std::string_view text) { return Scanner(text).run(); }

}  // namespace graphstore
