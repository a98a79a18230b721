#include "store_model.hpp"

namespace graphstore::fault_test {

void StoreModel::delete_entity(const std::string& id) {
  entities.erase(id);
  for (auto it = relations.begin(); it != relations.end();) {
    if (it->second.source_id == id || it->second.target_id == id)
      it = relations.erase(it);
    else
      ++it;
  }
}

Stats StoreModel::stats() const {
  Stats s;
  for (const auto& [id, e] : entities) ++s.entities_by_type[e.entity_type];
  for (const auto& [id, r] : relations) ++s.relations_by_type[r.relation_type];
  s.entity_count = entities.size();
  s.relation_count = relations.size();
  return s;
}

std::string word_of(const std::string& id) { return "word" + id; }

Entity text_entity(const std::string& id, const std::string& type, std::vector<float> embedding,
                   const std::string& extra) {
  Entity e;
  e.id = id;
  e.entity_type = type;
  e.properties = "{\"text\": \"" + word_of(id) + " shared" + (extra.empty() ? "" : " " + extra) + "\"}";
  e.embedding = std::move(embedding);
  return e;
}

Relation link(const std::string& id, const std::string& from, const std::string& to, const std::string& type,
              double weight) {
  Relation r;
  r.id = id;
  r.relation_type = type;
  r.source_id = from;
  r.target_id = to;
  r.weight = weight;
  return r;
}

StoreModel prior_content(int entities, int relations) {
  StoreModel m;
  for (int i = 0; i < entities; ++i) {
    std::string id = "p" + std::to_string(i);
    m.entities[id] = text_entity(id, "Doc", {1.0f, 0.1f + float(i) / 1000.0f, 0.5f, 0.25f + float(i % 7) / 10.0f});
  }
  for (int i = 0; i < relations; ++i) {
    std::string id = "pr" + std::to_string(i);
    m.relations[id] = link(id, "p" + std::to_string(i), "p" + std::to_string((i + 1) % entities), "LINKS");
  }
  return m;
}

}  // namespace graphstore::fault_test
