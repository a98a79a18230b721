// JSON syntax check: is a text one well-formed JSON value (RFC 8259, UTF-8)?
//
// The host checks the properties of every record it passes to a plugin, and
// a general parser spends most of that time copying strings into events
// nobody reads. This scanner builds nothing: one pass over the bytes with an
// explicit nesting stack, so hostile depth costs heap, never call stack.
// RapidJSON stays the parser wherever a document is actually read.
#ifndef GRAPHSTORE_CORE_JSON_SYNTAX_HPP
#define GRAPHSTORE_CORE_JSON_SYNTAX_HPP

#include <cstddef>
#include <string_view>

namespace graphstore {

struct JsonSyntax {
  const char* error = nullptr;  // what is wrong, or nullptr when the text is valid
  size_t offset = 0;            // byte offset of the problem
  bool root_object = false;     // valid and the top-level value is an object
};

JsonSyntax check_json_syntax(std::string_view text);

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_JSON_SYNTAX_HPP
