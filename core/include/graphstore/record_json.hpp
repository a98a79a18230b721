// The reference's record shape (docs/record-format.md), both ways:
// entities and relations to and from JSON text, and its timestamps. This is
// the one codec of the project: the streaming import/export (io.hpp) and the
// CLI's single-record commands both use it.
//
// Reading is strict and bounded: text is parsed without recursion, UTF-8 is
// validated, nesting deeper than kMaxJsonDepth is refused, unknown and
// repeated keys are errors naming the key. The `properties` object is kept
// byte for byte as it appears in the input (its whitespace included), so a
// record read and written again carries the same properties text.
#ifndef GRAPHSTORE_RECORD_JSON_HPP
#define GRAPHSTORE_RECORD_JSON_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"

namespace graphstore {

// JSON nested deeper than this (objects and arrays, the record itself being
// level 1) is refused with "JSON nested deeper than 512 levels".
inline constexpr int kMaxJsonDepth = 512;

// Naive UTC ISO-8601 as Python's isoformat prints it:
// "2025-12-09T10:11:12.123456", without the fraction when it is zero. Years
// outside 0000-9999 are printed with their sign or extra digits (which
// parse_timestamp does not read back); every int64 value is safe.
std::string format_timestamp(Timestamp us);

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,6}]" with an optional "Z" or "+00:00"
// suffix (a space may replace the 'T'). False when malformed or out of
// range; *out is then unchanged.
bool parse_timestamp(std::string_view text, Timestamp* out);

// The record as one JSON object's text, with the reference's keys in the
// reference's order: absent embedding, source, tenant (the global namespace)
// and timestamps (kNoTimestamp) become null. Relations also carry
// updated_at, after created_at. `properties` is written as stored (the core
// guarantees a JSON object's text). Never fails; any thread.
std::string entity_json(const Entity& e);
std::string relation_json(const Relation& r);

enum class RecordKind { kEntity, kRelation };

// One decoded record: `entity` when kind is kEntity, else `relation`.
struct Record {
  RecordKind kind = RecordKind::kEntity;
  Entity entity;
  Relation relation;
};

// Parses one JSONL line: {"type": "entity"|"relation", "data": OBJECT}, or
// an object without "type", which is a bare entity (as the reference reads
// it). Omitted or null fields take defaults: properties {}, no embedding, no
// source, the global tenant, weight 1.0, timestamps kNoTimestamp (the store
// stamps them); a relation without updated_at takes its created_at.
// "1970-01-01T00:00:00" is the time 0, not an absent one. INVALID_ARGUMENT names
// the cause: "invalid JSON at offset N: ...", "JSON nested deeper than 512
// levels", "entity key 'id' must be a string", "unknown relation key 'x'",
// "invalid tenant id ...", a missing required key, a weight outside [0, 1].
Status parse_record(std::string_view text, Record* out);

// Parses one record of a known kind: the bare object, or a JSONL line of the
// matching kind. Errors as parse_record, plus a line of the other kind.
Status parse_entity_text(std::string_view text, Entity* out);
Status parse_relation_text(std::string_view text, Relation* out);

}  // namespace graphstore

#endif  // GRAPHSTORE_RECORD_JSON_HPP
