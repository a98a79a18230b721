// An entity's searchable text as the FTS5 index holds it: its string values
// (sdk::string_values) joined by spaces, and its token count under
// sdk::tokenize's rule, which FTS5's 'ascii' tokenizer applies too (runs of
// ASCII letters, digits and bytes >= 0x80; ASCII lower-cased).
#ifndef GRAPHSTORE_SQLITE_TEXT_HPP
#define GRAPHSTORE_SQLITE_TEXT_HPP

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <string>
#include <string_view>

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
// order, as sdk::string_values reads them, joined by single spaces.
inline EntityText entity_text(std::string_view properties_json) {
  struct Handler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
    std::string* body;
    bool String(const char* s, rapidjson::SizeType n, bool) {
      if (!body->empty()) body->push_back(' ');
      body->append(s, n);
      return true;
    }
    bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  };
  EntityText t;
  Handler h;
  h.body = &t.body;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(properties_json.data(), properties_json.size());
  reader.Parse<rapidjson::kParseIterativeFlag>(ms, h);
  t.tokens = count_tokens(t.body);
  return t;
}

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_TEXT_HPP
