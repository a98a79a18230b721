// Owned copies of records, kept by apply_batch to undo what it applied.
#ifndef GRAPHSTORE_INMEMORY_SNAPSHOT_HPP
#define GRAPHSTORE_INMEMORY_SNAPSHOT_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "graphstore/abi.h"

namespace graphstore::inmemory {

struct EntitySnapshot {
  std::string id, type, properties, source;
  bool has_source = false;
  std::vector<float> embedding;
  gs_time_us created_at = 0, updated_at = 0;

  // A view of the copy; valid while the snapshot lives.
  gs_entity view() const {
    gs_entity e{};
    e.struct_size = sizeof e;
    e.id = {id.data(), id.size()};
    e.entity_type = {type.data(), type.size()};
    e.properties_json = {properties.data(), properties.size()};
    e.embedding = embedding.empty() ? nullptr : embedding.data();
    e.embedding_dim = uint32_t(embedding.size());
    e.created_at = created_at;
    e.updated_at = updated_at;
    e.source = has_source ? gs_str{source.data(), source.size()} : gs_str{nullptr, 0};
    return e;
  }
};

struct RelationSnapshot {
  std::string id, type, source_id, target_id, properties, source;
  bool has_source = false;
  double weight = 0;
  gs_time_us created_at = 0, updated_at = 0;

  gs_relation view() const {
    gs_relation r{};
    r.struct_size = sizeof r;
    r.id = {id.data(), id.size()};
    r.relation_type = {type.data(), type.size()};
    r.source_id = {source_id.data(), source_id.size()};
    r.target_id = {target_id.data(), target_id.size()};
    r.properties_json = {properties.data(), properties.size()};
    r.weight = weight;
    r.created_at = created_at;
    r.updated_at = updated_at;
    r.source = has_source ? gs_str{source.data(), source.size()} : gs_str{nullptr, 0};
    return r;
  }
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_SNAPSHOT_HPP
