// The string values of a JSON document, read within a byte budget: the one
// reader text search uses for an entity's properties. A general JSON parser
// decodes a string whole before anyone sees it, so a 50 MiB value costs 50 MiB
// and its whole decoding however little of it is scored; this reader decodes
// at most `room` bytes of values and stops there, so its memory and (when a
// value crosses the budget) its work are O(room).
#ifndef GRAPHSTORE_JSON_STRING_VALUES_HPP
#define GRAPHSTORE_JSON_STRING_VALUES_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace graphstore::sdk {

namespace json_string_values_detail {

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at text[i..i+4), or -1.
inline long hex4(std::string_view text, size_t i) {
  if (i + 4 > text.size()) return -1;
  long v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int d = hex_digit(text[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

inline void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the string whose opening quote is at text[*i - 1], appending to out
// (when out is not null) until the closing quote or until out holds more
// than limit bytes. *i ends past the closing quote. Returns false on text
// that is not a JSON string (the caller stops reading).
inline bool read_string(std::string_view text, size_t* i, std::string* out, size_t limit) {
  size_t p = *i;
  while (p < text.size()) {
    char c = text[p];
    if (c == '"') {
      *i = p + 1;
      return true;
    }
    if (out != nullptr && out->size() > limit) {
      *i = p;
      return true;
    }
    if (c != '\\') {
      size_t run = p;
      while (run < text.size() && text[run] != '"' && text[run] != '\\') ++run;
      if (out != nullptr) out->append(text.substr(p, std::min(run - p, limit + 1 - std::min(limit + 1, out->size()))));
      if (out != nullptr && out->size() > limit) {
        *i = run;
        return true;
      }
      p = run;
      continue;
    }
    if (p + 1 >= text.size()) return false;
    char e = text[p + 1];
    p += 2;
    if (out == nullptr) {
      if (e == 'u') p += 4;
      continue;
    }
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        long hi = hex4(text, p);
        if (hi < 0) return false;
        p += 4;
        uint32_t cp = static_cast<uint32_t>(hi);
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
          long lo = p + 1 < text.size() && text[p] == '\\' && text[p + 1] == 'u' ? hex4(text, p + 2) : -1;
          if (lo < 0xDC00 || lo > 0xDFFF) return false;
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        append_utf8(cp, out);
        break;
      }
      default: return false;
    }
  }
  return false;
}

// Whether the first byte after the whitespace at json[i...] is ':' (the
// string that ends at i was a key: values are never followed by one).
inline bool followed_by_colon(std::string_view json, size_t i) {
  while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
  return i < json.size() && json[i] == ':';
}

}  // namespace json_string_values_detail

// Every string value of the JSON document `json` (object members and array
// elements, recursively, in document order; keys are names, not values),
// until their decoded lengths add up to `room` bytes: the value that reaches
// it is cut there at a UTF-8 character boundary and nothing
// after it is read. Values are decoded as a JSON parser decodes them (escapes,
// \u surrogate pairs as UTF-8; other bytes as they are). Reading stops at
// text that is not JSON, keeping the values before it. Never throws but
// std::bad_alloc.
inline std::vector<std::string> json_string_values(std::string_view json, size_t room) {
  using namespace json_string_values_detail;
  std::vector<std::string> values;
  size_t i = 0;
  while (i < json.size() && room > 0) {
    if (json[i] != '"') {
      ++i;
      continue;
    }
    ++i;
    // A key is the string followed by ':' (values never are): decode into a
    // scratch string only what the budget could take, and keep it if it is
    // a value.
    std::string value;
    size_t start = i;
    if (!read_string(json, &i, &value, room)) break;
    bool cut = value.size() > room;
    if (cut) {
      size_t n = room;
      while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
      value.resize(n);
      // A cut value ends the reading; it is a value unless a ':' follows its
      // end, which would take reading it whole to find: scan on without
      // keeping anything.
      size_t end = start;
      if (!read_string(json, &end, nullptr, 0)) break;
      if (followed_by_colon(json, end)) {
        i = end;
        continue;
      }
      values.push_back(std::move(value));
      break;
    }
    if (followed_by_colon(json, i)) continue;
    room -= value.size();
    values.push_back(std::move(value));
  }
  return values;
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_JSON_STRING_VALUES_HPP
