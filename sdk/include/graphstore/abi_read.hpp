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
// The two-argument forms write *out once, for a plugin that keeps the copy
// (a bulk add's ring of items): copying a returned struct instead reads back
// a struct just patched, and that read stalls on store forwarding.
inline void read_entity(const gs_entity& in, gs_entity* out) {
  if (in.struct_size >= sizeof(gs_entity)) {
    *out = in;
  } else {
    *out = gs_entity{};
    GS_SDK_READ(gs_entity, *out, in, id);
    GS_SDK_READ(gs_entity, *out, in, entity_type);
    GS_SDK_READ(gs_entity, *out, in, properties_json);
    GS_SDK_READ(gs_entity, *out, in, embedding);
    GS_SDK_READ(gs_entity, *out, in, embedding_dim);
    GS_SDK_READ(gs_entity, *out, in, created_at);
    GS_SDK_READ(gs_entity, *out, in, updated_at);
    GS_SDK_READ(gs_entity, *out, in, source);
  }
  out->struct_size = sizeof *out;
  out->tenant_id = gs_str{nullptr, 0};
}

inline gs_entity read_entity(const gs_entity& in) {
  gs_entity e;
  read_entity(in, &e);
  return e;
}

inline void read_relation(const gs_relation& in, gs_relation* out) {
  if (in.struct_size >= sizeof(gs_relation)) {
    *out = in;
  } else {
    *out = gs_relation{};
    GS_SDK_READ(gs_relation, *out, in, id);
    GS_SDK_READ(gs_relation, *out, in, relation_type);
    GS_SDK_READ(gs_relation, *out, in, source_id);
    GS_SDK_READ(gs_relation, *out, in, target_id);
    GS_SDK_READ(gs_relation, *out, in, properties_json);
    GS_SDK_READ(gs_relation, *out, in, weight);
    GS_SDK_READ(gs_relation, *out, in, created_at);
    GS_SDK_READ(gs_relation, *out, in, updated_at);
    GS_SDK_READ(gs_relation, *out, in, source);
  }
  out->struct_size = sizeof *out;
  out->tenant_id = gs_str{nullptr, 0};
}

inline gs_relation read_relation(const gs_relation& in) {
  gs_relation r;
  read_relation(in, &r);
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
  GS_SDK_READ(gs_vector_params, p, in, flags);
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
