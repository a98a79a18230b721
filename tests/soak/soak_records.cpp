#include "soak_records.hpp"

#include <rapidjson/document.h>

namespace graphstore::soak {

std::string owner_name(std::string_view identity, int thread) {
  return std::string(identity) + ".t" + std::to_string(thread);
}

std::string owner_of(std::string_view id) {
  size_t first = id.find('.');
  if (first == std::string_view::npos) return "";
  size_t second = id.find('.', first + 1);
  if (second == std::string_view::npos) return "";
  return std::string(id.substr(0, second));
}

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = {"amber",   "basalt", "cedar",  "delta",   "ember", "fjord",
                                                 "granite", "harbor", "indigo", "juniper", "kelp",  "lagoon"};
  return words;
}

namespace {

// FNV-1a: the same text gives the same words and vector in every process.
uint64_t mix(std::string_view text, uint64_t version) {
  uint64_t h = 1469598103934665603ull ^ version;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool same_json(const std::string& a, const std::string& b) {
  rapidjson::Document da, db;
  da.Parse(a.c_str(), a.size());
  db.Parse(b.c_str(), b.size());
  return !da.HasParseError() && !db.HasParseError() && da == db;
}

}  // namespace

Entity expected_entity(const std::string& id, uint64_t version, bool with_embedding) {
  uint64_t h = mix(id, version);
  const auto& words = vocabulary();
  Entity e;
  e.id = id;
  e.entity_type = "Soak" + std::to_string(version % 3);
  e.properties = "{\"owner\":\"" + owner_of(id) + "\",\"version\":" + std::to_string(version) + ",\"text\":\"" +
                 words[h % words.size()] + " " + words[(h >> 8) % words.size()] + " v" + std::to_string(version) +
                 "\"}";
  if (with_embedding) e.embedding = {float(h % 97) + 1.0f, float((h >> 16) % 89), float((h >> 32) % 83), 0.5f};
  return e;
}

Relation expected_relation(const std::string& id, const std::string& source, const std::string& target,
                           uint64_t version) {
  Relation r;
  r.id = id;
  r.relation_type = version % 2 ? "LINKS" : "CITES";
  r.source_id = source;
  r.target_id = target;
  r.weight = double(version % 11) / 10.0;  // 0.0 to 1.0
  r.properties = "{\"owner\":\"" + owner_of(id) + "\",\"version\":" + std::to_string(version) + "}";
  return r;
}

bool same_entity(const Entity& want, const Entity& got, std::string* why) {
  if (want.id != got.id) return *why = "id", false;
  if (want.entity_type != got.entity_type) return *why = "entity_type", false;
  if (want.embedding != got.embedding) return *why = "embedding", false;
  if (!same_json(want.properties, got.properties)) return *why = "properties " + got.properties, false;
  return true;
}

bool same_relation(const Relation& want, const Relation& got, std::string* why) {
  if (want.id != got.id) return *why = "id", false;
  if (want.relation_type != got.relation_type) return *why = "relation_type", false;
  if (want.source_id != got.source_id || want.target_id != got.target_id) return *why = "endpoints", false;
  if (want.weight != got.weight) return *why = "weight", false;
  if (!same_json(want.properties, got.properties)) return *why = "properties " + got.properties, false;
  return true;
}

}  // namespace graphstore::soak
