// The CLI's JSON writer: RapidJSON's, with the record codec's text
// (graphstore/record_json.hpp) placed as raw values, so records print as
// export writes them.
#ifndef GRAPHSTORE_CLI_JSON_WRITER_HPP
#define GRAPHSTORE_CLI_JSON_WRITER_HPP

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "graphstore/record_json.hpp"
#include "graphstore/types.hpp"

namespace graphstore::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes text as a JSON string.
inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Writes the record as one JSON object (entity_json, relation_json).
inline void write_entity(JsonWriter& w, const Entity& e) {
  std::string text = entity_json(e);
  w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}
inline void write_relation(JsonWriter& w, const Relation& r) {
  std::string text = relation_json(r);
  w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_JSON_WRITER_HPP
