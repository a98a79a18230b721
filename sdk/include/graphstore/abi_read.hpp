// graphstore ABI input: reading the structs a host passes in. A host built
// against an older minor passes shorter structs (struct_size tells); each
// read_* copies the fields present and leaves the absent ones at their zero
// value (a scan's limit at GS_NO_LIMIT), so plugin code can use every field of
// the current layout without checking.
#ifndef GRAPHSTORE_ABI_READ_HPP
#define GRAPHSTORE_ABI_READ_HPP

#include "graphstore/abi.h"

#define GS_SDK_READ(TYPE, dst, src, field) \
  if (GS_HAS_FIELD(TYPE, &(src), field)) (dst).field = (src).field

namespace graphstore::sdk {

// A struct of the current size or larger is copied whole (the common case,
// and cheaper than clearing a struct first); a shorter one field by field.
inline gs_entity read_entity(const gs_entity& in) {
  if (in.struct_size >= sizeof(gs_entity)) {
    gs_entity e = in;
    e.struct_size = sizeof e;
    e.tenant_id = gs_str{nullptr, 0};
    return e;
  }
  gs_entity e{};
  e.struct_size = sizeof e;
  GS_SDK_READ(gs_entity, e, in, id);
  GS_SDK_READ(gs_entity, e, in, entity_type);
  GS_SDK_READ(gs_entity, e, in, properties_json);
  GS_SDK_READ(gs_entity, e, in, embedding);
  GS_SDK_READ(gs_entity, e, in, embedding_dim);
  GS_SDK_READ(gs_entity, e, in, created_at);
  GS_SDK_READ(gs_entity, e, in, updated_at);
  GS_SDK_READ(gs_entity, e, in, source);
  return e;
}

inline gs_relation read_relation(const gs_relation& in) {
  if (in.struct_size >= sizeof(gs_relation)) {
    gs_relation r = in;
    r.struct_size = sizeof r;
    r.tenant_id = gs_str{nullptr, 0};
    return r;
  }
  gs_relation r{};
  r.struct_size = sizeof r;
  GS_SDK_READ(gs_relation, r, in, id);
  GS_SDK_READ(gs_relation, r, in, relation_type);
  GS_SDK_READ(gs_relation, r, in, source_id);
  GS_SDK_READ(gs_relation, r, in, target_id);
  GS_SDK_READ(gs_relation, r, in, properties_json);
  GS_SDK_READ(gs_relation, r, in, weight);
  GS_SDK_READ(gs_relation, r, in, created_at);
  GS_SDK_READ(gs_relation, r, in, updated_at);
  GS_SDK_READ(gs_relation, r, in, source);
  return r;
}

inline gs_traverse_params read_params(const gs_traverse_params& in) {
  gs_traverse_params p{};
  p.struct_size = sizeof p;
  GS_SDK_READ(gs_traverse_params, p, in, start_id);
  GS_SDK_READ(gs_traverse_params, p, in, direction);
  GS_SDK_READ(gs_traverse_params, p, in, relation_type);
  GS_SDK_READ(gs_traverse_params, p, in, max_depth);
  GS_SDK_READ(gs_traverse_params, p, in, max_results);
  return p;
}

inline gs_paths_params read_params(const gs_paths_params& in) {
  gs_paths_params p{};
  p.struct_size = sizeof p;
  GS_SDK_READ(gs_paths_params, p, in, source_id);
  GS_SDK_READ(gs_paths_params, p, in, target_id);
  GS_SDK_READ(gs_paths_params, p, in, relation_type);
  GS_SDK_READ(gs_paths_params, p, in, max_depth);
  GS_SDK_READ(gs_paths_params, p, in, max_paths);
  return p;
}

inline gs_scan_params read_params(const gs_scan_params& in) {
  gs_scan_params p{};
  p.struct_size = sizeof p;
  p.limit = GS_NO_LIMIT;
  GS_SDK_READ(gs_scan_params, p, in, type);
  GS_SDK_READ(gs_scan_params, p, in, after_id);
  GS_SDK_READ(gs_scan_params, p, in, offset);
  GS_SDK_READ(gs_scan_params, p, in, limit);
  return p;
}

inline gs_vector_params read_params(const gs_vector_params& in) {
  gs_vector_params p{};
  p.struct_size = sizeof p;
  GS_SDK_READ(gs_vector_params, p, in, query);
  GS_SDK_READ(gs_vector_params, p, in, dim);
  GS_SDK_READ(gs_vector_params, p, in, k);
  GS_SDK_READ(gs_vector_params, p, in, entity_type);
  GS_SDK_READ(gs_vector_params, p, in, min_score);
  return p;
}

inline gs_text_params read_params(const gs_text_params& in) {
  gs_text_params p{};
  p.struct_size = sizeof p;
  GS_SDK_READ(gs_text_params, p, in, query);
  GS_SDK_READ(gs_text_params, p, in, method);
  GS_SDK_READ(gs_text_params, p, in, k);
  GS_SDK_READ(gs_text_params, p, in, entity_type);
  GS_SDK_READ(gs_text_params, p, in, min_score);
  return p;
}

inline gs_write_op read_op(const gs_write_op& in) {
  gs_write_op op{};
  op.struct_size = sizeof op;
  GS_SDK_READ(gs_write_op, op, in, kind);
  GS_SDK_READ(gs_write_op, op, in, entity);
  GS_SDK_READ(gs_write_op, op, in, relation);
  GS_SDK_READ(gs_write_op, op, in, id);
  return op;
}

}  // namespace graphstore::sdk

#undef GS_SDK_READ

#endif  // GRAPHSTORE_ABI_READ_HPP
