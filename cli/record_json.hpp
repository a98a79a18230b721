// The reference's record shape (shared/formats/aiecs-jsonl.md) for the CLI:
// entities and relations to and from JSON, and its timestamps.
//
// This is the CLI's own small copy of the format; the core's streaming
// import/export will own the full one (gzip, whole files).
#ifndef GRAPHSTORE_CLI_RECORD_JSON_HPP
#define GRAPHSTORE_CLI_RECORD_JSON_HPP

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"

namespace graphstore::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes text as a JSON string.
void write_string(JsonWriter& w, std::string_view s);

// Naive UTC ISO-8601 as Python's isoformat prints it:
// "2025-12-09T10:11:12.123456", without the fraction when it is zero.
std::string format_timestamp(Timestamp us);

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,6}]" with an optional "Z" or "+00:00"
// suffix (a space may replace the 'T'). False when malformed or out of range.
bool parse_timestamp(std::string_view text, Timestamp* out);

// Writes the record with the reference's keys in the reference's order;
// empty source/tenant become null. Relations also carry updated_at.
void write_entity(JsonWriter& w, const Entity& e);
void write_relation(JsonWriter& w, const Relation& r);

// Reads an ENTITY / RELATION object. Omitted fields keep their defaults
// (no embedding, timestamps 0 = now, weight 1, properties {}); a null
// tenant_id is the global namespace. INVALID_ARGUMENT names the offending key
// (wrong type, unknown key, malformed timestamp).
Status entity_from_json(const rapidjson::Value& v, Entity* out);
Status relation_from_json(const rapidjson::Value& v, Relation* out);

enum class RecordKind { kEntity, kRelation };

// Splits a JSONL record: {"type": "entity"|"relation", "data": OBJECT} gives
// that kind and data; an object without "type" is a bare entity (itself).
// INVALID_ARGUMENT for any other shape.
Status unwrap_record(const rapidjson::Value& v, RecordKind* kind, const rapidjson::Value** data);

// Parses text holding one record: the bare object, or a JSONL line
// {"type": "entity"|"relation", "data": {...}} of the matching kind.
// INVALID_ARGUMENT for malformed JSON, with the offset and the reason.
Status parse_entity_text(std::string_view text, Entity* out);
Status parse_relation_text(std::string_view text, Relation* out);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_RECORD_JSON_HPP
