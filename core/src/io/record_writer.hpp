// The record writer behind graphstore/record_json.hpp's entity_json and
// relation_json, for the core's streaming writers (jsonl, json, rejects,
// checkpoints), which write many records into one buffer.
#ifndef GRAPHSTORE_CORE_IO_RECORD_WRITER_HPP
#define GRAPHSTORE_CORE_IO_RECORD_WRITER_HPP

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

#include "graphstore/types.hpp"

namespace graphstore::io {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes text as a JSON string.
void write_string(JsonWriter& w, std::string_view s);

// Writes the record as record_json.hpp's entity_json (relation_json) does.
void write_entity(JsonWriter& w, const Entity& e);
void write_relation(JsonWriter& w, const Relation& r);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_CORE_IO_RECORD_WRITER_HPP
