// Quoting a value inside an error message: a bounded, escaped prefix, so a
// message stays short and printable whatever the value (a megabyte id, a
// key holding control bytes or broken UTF-8) and the value cannot fake the
// message's structure.
#ifndef GRAPHSTORE_QUOTE_HPP
#define GRAPHSTORE_QUOTE_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "graphstore/utf8.hpp"

namespace graphstore::sdk {

// How many bytes of a value a message quotes by default.
inline constexpr size_t kQuotedPrefixBytes = 64;

// The value between single quotes, at most max_bytes of it (cut at a UTF-8
// character boundary), with "'" and "\" escaped by a backslash and control
// bytes and bytes of invalid UTF-8 written as \xNN. A longer value is
// followed by "... (N bytes)". Never throws but std::bad_alloc.
inline std::string quoted_prefix(std::string_view value, size_t max_bytes = kQuotedPrefixBytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  size_t i = 0;
  while (i < value.size()) {
    auto byte = static_cast<unsigned char>(value[i]);
    size_t len = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    bool whole = byte >= 0xc2 && byte <= 0xf4 && i + len <= value.size() && valid_utf8(value.substr(i, len));
    if (byte >= 0x80 && !whole) len = 1;
    if (i + len > max_bytes) break;
    if (byte >= 0x80 && whole) {
      out.append(value.substr(i, len));
    } else if (byte < 0x20 || byte == 0x7f || byte >= 0x80) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      if (byte == '\'' || byte == '\\') out += '\\';
      out += static_cast<char>(byte);
    }
    i += len;
  }
  out += '\'';
  if (i < value.size()) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_QUOTE_HPP
