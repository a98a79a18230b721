// Owning copies of the ABI's records: an entity or relation that must
// outlive the call that lent its view (a path holding several records, an
// undo log, a default that reads before it writes). view() lends it back.
#ifndef GRAPHSTORE_RECORDS_HPP
#define GRAPHSTORE_RECORDS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"

namespace graphstore::sdk {

// A copy of a gs_entity. source is absent when the view's source was NULL
// (distinct from an empty source).
struct OwnedEntity {
  std::string id;
  std::string entity_type;
  std::string properties_json;
  std::vector<float> embedding;
  gs_time_us created_at = 0;
  gs_time_us updated_at = 0;
  std::optional<std::string> source;
  std::string tenant_id;

  OwnedEntity() = default;
  // Copies every field of v. Throws std::bad_alloc only.
  explicit OwnedEntity(const gs_entity& v)
      : id(sdk::view(v.id)),
        entity_type(sdk::view(v.entity_type)),
        properties_json(sdk::view(v.properties_json)),
        created_at(v.created_at),
        updated_at(v.updated_at),
        tenant_id(sdk::view(v.tenant_id)) {
    if (v.embedding != nullptr && v.embedding_dim != 0) embedding.assign(v.embedding, v.embedding + v.embedding_dim);
    if (v.source.data != nullptr) source.emplace(v.source.data, v.source.len);
  }

  // A view of this copy; valid while the copy is alive and unchanged.
  gs_entity view() const {
    gs_entity v{};
    v.struct_size = sizeof(gs_entity);
    v.id = str(id);
    v.entity_type = str(entity_type);
    v.properties_json = str(properties_json);
    v.embedding = embedding.empty() ? nullptr : embedding.data();
    v.embedding_dim = static_cast<uint32_t>(embedding.size());
    v.created_at = created_at;
    v.updated_at = updated_at;
    v.source = source ? str(*source) : null_str();
    v.tenant_id = str(tenant_id);
    return v;
  }
};

// A copy of a gs_relation, with the same rule for source.
struct OwnedRelation {
  std::string id;
  std::string relation_type;
  std::string source_id;
  std::string target_id;
  std::string properties_json;
  double weight = 1.0;
  gs_time_us created_at = 0;
  gs_time_us updated_at = 0;
  std::optional<std::string> source;
  std::string tenant_id;

  OwnedRelation() = default;
  // Copies every field of v. Throws std::bad_alloc only.
  explicit OwnedRelation(const gs_relation& v)
      : id(sdk::view(v.id)),
        relation_type(sdk::view(v.relation_type)),
        source_id(sdk::view(v.source_id)),
        target_id(sdk::view(v.target_id)),
        properties_json(sdk::view(v.properties_json)),
        weight(v.weight),
        created_at(v.created_at),
        updated_at(v.updated_at),
        tenant_id(sdk::view(v.tenant_id)) {
    if (v.source.data != nullptr) source.emplace(v.source.data, v.source.len);
  }

  // A view of this copy; valid while the copy is alive and unchanged.
  gs_relation view() const {
    gs_relation v{};
    v.struct_size = sizeof(gs_relation);
    v.id = str(id);
    v.relation_type = str(relation_type);
    v.source_id = str(source_id);
    v.target_id = str(target_id);
    v.properties_json = str(properties_json);
    v.weight = weight;
    v.created_at = created_at;
    v.updated_at = updated_at;
    v.source = source ? str(*source) : null_str();
    v.tenant_id = str(tenant_id);
    return v;
  }
};

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_RECORDS_HPP
