#include "terminal_text.hpp"

#include <cstdint>
#include <cstdio>

#include "graphstore/utf8.hpp"

namespace graphstore::cli {
namespace {

enum class Mode { kText, kJson };

void append_byte_escape(std::string* out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out->append(buf);
}

void append_code_point_escape(std::string* out, uint32_t cp) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  out->append(buf);
}

// Marks and embeddings/overrides/isolates of the Unicode bidirectional
// algorithm: they make a terminal show text in another order than stored.
bool reorders_display(uint32_t cp) {
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// The code point of the well-formed multi-byte UTF-8 sequence at p, and its
// length in *len.
uint32_t decode(const unsigned char* p, size_t* len) {
  if ((p[0] & 0xE0) == 0xC0) {
    *len = 2;
    return (uint32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if ((p[0] & 0xF0) == 0xE0) {
    *len = 3;
    return (uint32_t(p[0] & 0x0F) << 12) | (uint32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  *len = 4;
  return (uint32_t(p[0] & 0x07) << 18) | (uint32_t(p[1] & 0x3F) << 12) | (uint32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

void append_ascii(std::string* out, unsigned char c, Mode mode) {
  if (c >= 0x20 && c != 0x7F && c != '\\') {
    out->push_back(static_cast<char>(c));
  } else if (c == '\\') {
    out->append(mode == Mode::kJson ? "\\" : "\\\\");
  } else if (mode == Mode::kJson) {
    if (c == '\t' || c == '\n' || c == '\r') {
      out->push_back(' ');
    } else {
      append_code_point_escape(out, c);
    }
  } else if (c == '\t') {
    out->append("\\t");
  } else if (c == '\n') {
    out->append("\\n");
  } else if (c == '\r') {
    out->append("\\r");
  } else {
    append_byte_escape(out, c);
  }
}

std::string escape(std::string_view text, Mode mode) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    // A run of well-formed UTF-8, then (if the text goes on) one bad byte.
    size_t run_end = i + sdk::utf8_prefix(text.substr(i));
    while (i < run_end) {
      if (p[i] < 0x80) {
        append_ascii(&out, p[i], mode);
        ++i;
        continue;
      }
      size_t len = 0;
      uint32_t cp = decode(p + i, &len);
      if (cp <= 0x9F || reorders_display(cp)) {
        append_code_point_escape(&out, cp);
      } else {
        out.append(text.substr(i, len));
      }
      i += len;
    }
    if (i < text.size()) append_byte_escape(&out, p[i++]);
  }
  return out;
}

}  // namespace

std::string terminal_text(std::string_view text) { return escape(text, Mode::kText); }

std::string terminal_json(std::string_view json) { return escape(json, Mode::kJson); }

}  // namespace graphstore::cli
