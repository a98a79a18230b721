// An entity's searchable text as the FTS5 index holds it: its string values
// (sdk::string_values) joined by spaces, and its token count under
// sdk::tokenize's rule, which FTS5's 'ascii' tokenizer applies too (runs of
// ASCII letters, digits and bytes >= 0x80; ASCII lower-cased).
#ifndef GRAPHSTORE_SQLITE_TEXT_HPP
#define GRAPHSTORE_SQLITE_TEXT_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "graphstore/scoring.hpp"

namespace graphstore::sqlite {

struct EntityText {
  std::string body;    // the string values, space-separated
  int64_t tokens = 0;  // sdk::document_tokens(properties).size()
};

inline bool token_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

inline int64_t count_tokens(std::string_view text) {
  int64_t n = 0;
  bool in = false;
  for (unsigned char c : text) {
    bool w = token_byte(c);
    if (w && !in) ++n;
    in = w;
  }
  return n;
}

// The string values of properties_json (keys are not text), in document
// order and within sdk::kMaxTextBytesPerEntity, as sdk::string_values reads
// them, joined by single spaces: the index holds what the scores read, and
// the token count is the BM25 length the scores use.
inline EntityText entity_text(std::string_view properties_json) {
  EntityText t;
  for (const std::string& v : sdk::string_values(properties_json)) {
    if (!t.body.empty()) t.body.push_back(' ');
    t.body.append(v);
  }
  t.tokens = count_tokens(t.body);
  return t;
}

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_TEXT_HPP
