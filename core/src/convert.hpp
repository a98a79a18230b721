// Conversions between the host's owning types and the ABI's views.
#ifndef GRAPHSTORE_CORE_CONVERT_HPP
#define GRAPHSTORE_CORE_CONVERT_HPP

#include <optional>
#include <string>

#include "graphstore/abi.h"
#include "graphstore/bytes.hpp"
#include "graphstore/types.hpp"

namespace graphstore {

inline gs_str to_str(std::string_view s) { return gs_str{s.data(), s.size()}; }
inline gs_str to_opt_str(const std::optional<std::string>& s) {
  return s ? gs_str{s->data(), s->size()} : gs_str{nullptr, 0};
}
inline std::string_view to_view(gs_str s) {
  return s.data ? std::string_view(s.data, s.len) : std::string_view();
}

// A view of e; valid while e is unchanged. Every field is listed, so the
// struct is not cleared first (GCC clears with rep stos, which is slow to start).
inline gs_entity entity_view(const Entity& e) {
  return gs_entity{
      .struct_size = sizeof(gs_entity),
      .id = to_str(e.id),
      .entity_type = to_str(e.entity_type),
      .properties_json = to_str(e.properties),
      .embedding = e.embedding.empty() ? nullptr : e.embedding.data(),
      .embedding_dim = static_cast<uint32_t>(e.embedding.size()),
      .created_at = e.created_at,
      .updated_at = e.updated_at,
      .source = to_opt_str(e.source),
      .tenant_id = to_str(e.tenant_id),
  };
}

inline gs_relation relation_view(const Relation& r) {
  return gs_relation{
      .struct_size = sizeof(gs_relation),
      .id = to_str(r.id),
      .relation_type = to_str(r.relation_type),
      .source_id = to_str(r.source_id),
      .target_id = to_str(r.target_id),
      .properties_json = to_str(r.properties),
      .weight = r.weight,
      .created_at = r.created_at,
      .updated_at = r.updated_at,
      .source = to_opt_str(r.source),
      .tenant_id = to_str(r.tenant_id),
  };
}

// *out = s, reusing out's buffer; s is plugin memory or another record's.
inline void assign_text(std::string* out, gs_str s) {
  std::string_view v = to_view(s);
  sdk::assign_bytes(out, v.data(), v.size());
}

inline void assign_optional(std::optional<std::string>* out, gs_str s) {
  if (s.data == nullptr) {
    out->reset();
  } else if (*out) {
    assign_text(&**out, s);
  } else {
    out->emplace(s.data, s.len);
  }
}

// Copies a view into out, reusing out's capacity.
inline void assign(Entity* out, const gs_entity& v) {
  assign_text(&out->id, v.id);
  assign_text(&out->entity_type, v.entity_type);
  assign_text(&out->properties, v.properties_json);
  if (v.embedding_dim != 0 && v.embedding != nullptr)
    out->embedding.assign(v.embedding, v.embedding + v.embedding_dim);
  else
    out->embedding.clear();
  out->created_at = v.created_at;
  out->updated_at = v.updated_at;
  assign_optional(&out->source, v.source);
  assign_text(&out->tenant_id, v.tenant_id);
}

inline void assign(Relation* out, const gs_relation& v) {
  assign_text(&out->id, v.id);
  assign_text(&out->relation_type, v.relation_type);
  assign_text(&out->source_id, v.source_id);
  assign_text(&out->target_id, v.target_id);
  assign_text(&out->properties, v.properties_json);
  out->weight = v.weight;
  out->created_at = v.created_at;
  out->updated_at = v.updated_at;
  assign_optional(&out->source, v.source);
  assign_text(&out->tenant_id, v.tenant_id);
}

inline Entity to_entity(const gs_entity& v) {
  Entity e;
  assign(&e, v);
  return e;
}
inline Relation to_relation(const gs_relation& v) {
  Relation r;
  assign(&r, v);
  return r;
}

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_CONVERT_HPP
