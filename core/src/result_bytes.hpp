// The memory a result record takes in the host's types: what a result budget
// (PathOptions::max_result_bytes) is measured in.
#ifndef GRAPHSTORE_CORE_RESULT_BYTES_HPP
#define GRAPHSTORE_CORE_RESULT_BYTES_HPP

#include <cstdint>

#include "graphstore/types.hpp"

namespace graphstore {

// The struct plus the bytes its strings and embedding hold.
inline uint64_t result_bytes(const Entity& e) {
  return sizeof(Entity) + e.id.size() + e.entity_type.size() + e.properties.size() + e.source.value_or("").size() +
         e.tenant_id.size() + e.embedding.size() * sizeof(float);
}
inline uint64_t result_bytes(const Relation& r) {
  return sizeof(Relation) + r.id.size() + r.relation_type.size() + r.source_id.size() + r.target_id.size() +
         r.properties.size() + r.source.value_or("").size() + r.tenant_id.size();
}
inline uint64_t result_bytes(const Path& p) {
  uint64_t n = sizeof(Path);
  for (const Entity& e : p.entities) n += result_bytes(e);
  for (const Relation& r : p.relations) n += result_bytes(r);
  return n;
}

// The least a path of two entities and one relation can take: a budget of B
// bytes holds at most B / kSmallestPathBytes paths, whatever they hold.
inline constexpr uint64_t kSmallestPathBytes = sizeof(Path) + 2 * sizeof(Entity) + sizeof(Relation);

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_RESULT_BYTES_HPP
