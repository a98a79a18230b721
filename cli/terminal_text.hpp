// Text from the store or from the user, made safe to print for a person.
// Ids, types and values are arbitrary strings (an import may bring any bytes):
// printed raw, an escape sequence in an id could retitle the terminal, move
// the cursor or overwrite what was printed before, and a NUL or a stray byte
// would hide what the value really is. Every human-readable printer of the
// CLI passes such text through here; --json output is escaped by the JSON
// writer instead.
#ifndef GRAPHSTORE_CLI_TERMINAL_TEXT_HPP
#define GRAPHSTORE_CLI_TERMINAL_TEXT_HPP

#include <string>
#include <string_view>

namespace graphstore::cli {

// text with everything a terminal could act on shown as a visible escape:
// C0 controls and DEL as \t, \n, \r or \xHH; C1 controls (U+0080-U+009F) and
// the bidirectional formatting characters (U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069, which reorder what is displayed) as \uHHHH; each byte that
// is not well-formed UTF-8 as \xHH; and a backslash as \\, so that a
// backslash in the output always starts an escape. Printable ASCII and every
// other well-formed UTF-8 character are kept as they are.
std::string terminal_text(std::string_view text);

// The same for JSON text (a record's properties), keeping it JSON that means
// the same: controls and bidirectional characters become \u00HH / \uHHHH
// escapes (JSON's own, valid inside strings, the only place they can be),
// tabs and line breaks (JSON whitespace between tokens) become spaces, and
// backslashes are left alone since JSON's escapes already mean what they
// say. Bytes that are not UTF-8 (never valid JSON) are shown as \xHH.
std::string terminal_json(std::string_view json);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_TERMINAL_TEXT_HPP
