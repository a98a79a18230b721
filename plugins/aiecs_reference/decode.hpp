// Decoding the reference's stored columns into graphstore's record fields:
// properties text (json.dumps, whose NaN and Infinity tokens are not JSON),
// packed float32 embeddings, and the SQL timestamp columns. One job: bytes
// of one cell in, one field out; errors name the record.
#ifndef GRAPHSTORE_AIECS_REFERENCE_DECODE_HPP
#define GRAPHSTORE_AIECS_REFERENCE_DECODE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/abi.h"

namespace graphstore::aiecs_reference {

// How a message names a record: "entity 'e1' of tenant 'acme'".
std::string record_name(std::string_view kind, std::string_view tenant, std::string_view id);

// The properties JSON text of a row. NULL (absent) reads as "{}". Python's
// json.dumps writes the bare tokens NaN, Infinity and -Infinity, which JSON
// (and graphstore) refuse: each one outside a string becomes null, and the
// return value counts them. Text that is not a JSON object's is CORRUPTION
// naming `what` (thrown as sdk::Error).
size_t decode_properties(const char* data, size_t len, bool is_null, std::string_view what, std::string* out);

// A packed float32 little-endian embedding (struct.pack / numpy tobytes).
// NULL or zero bytes: no embedding. A length that is not a multiple of 4 is
// CORRUPTION naming `what`.
void decode_embedding(const void* data, size_t len, std::string_view what, std::vector<float>* out);

// A timestamp's text as SQLite's CURRENT_TIMESTAMP writes it
// ("YYYY-MM-DD HH:MM:SS", also with 'T', a fraction of up to 6 digits, and
// a "Z" or "+HH:MM" suffix), read as UTC, in microseconds. False when the
// text is not such a time.
bool parse_sql_time(std::string_view text, gs_time_us* out);

}  // namespace graphstore::aiecs_reference

#endif  // GRAPHSTORE_AIECS_REFERENCE_DECODE_HPP
