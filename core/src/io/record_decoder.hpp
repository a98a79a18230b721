// The record decoder behind parse_record (graphstore/record_json.hpp) and
// every reader of core/src/io: one SAX pass over a record's text, without
// recursion, with UTF-8 validation and a nesting cap; `properties` is kept as
// the exact span of the input.
#ifndef GRAPHSTORE_IO_RECORD_DECODER_HPP
#define GRAPHSTORE_IO_RECORD_DECODER_HPP

#include <string_view>
#include <vector>

#include "graphstore/record_json.hpp"
#include "graphstore/status.hpp"

namespace graphstore::io {

// What the text is expected to hold: a JSONL line (a wrapped record of
// either kind, or a bare entity), or a record of one kind (bare or wrapped).
enum class Expect { kLine, kEntity, kRelation };

// Decodes one record. Errors are INVALID_ARGUMENT with the messages listed
// at parse_record. `padded`: text is followed by a NUL and 16 more readable
// bytes, which lets the parser scan strings 16 bytes at a time.
Status decode_record(std::string_view text, Expect expect, Record* out, bool padded = false);

// OK when text is a JSON object within the nesting cap, in valid UTF-8
// ("properties must be a JSON object ..." otherwise). For CSV columns.
Status check_properties_text(std::string_view text);

// Parses a JSON array of numbers into float32 values; "null" gives none.
// For CSV columns.
Status parse_embedding_text(std::string_view text, std::vector<float>* out);

// The checks decode_record makes on a decoded record's values, for readers
// that fill records themselves (CSV): non-empty ids and types, a valid
// tenant id, a weight in [0, 1]; a relation without updated_at
// (updated_at_given false) takes its created_at.
Status check_decoded(Record* rec, bool updated_at_given);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_RECORD_DECODER_HPP
