// Rows to ABI views. The select lists below are the only column orders the
// readers use; a view points into the statement's current row and is valid
// until the statement steps or resets.
#ifndef GRAPHSTORE_SQLITE_RECORDS_HPP
#define GRAPHSTORE_SQLITE_RECORDS_HPP

#include <cstring>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "graphstore/abi.h"

// Entities as "e", relations as "r" with their endpoints as "rs" and "rt"
// (joined by GS_SQLITE_RELATION_ENDS after "FROM relations r ...").
#define GS_SQLITE_ENTITY_COLS "e.id, e.entity_type, e.properties, e.embedding, e.created_at, e.updated_at, e.source"
#define GS_SQLITE_RELATION_COLS \
  "r.id, r.relation_type, rs.id, rt.id, r.properties, r.weight, r.created_at, r.updated_at, r.source"
#define GS_SQLITE_RELATION_ENDS \
  " CROSS JOIN entities rs ON rs.rid = r.source_rid CROSS JOIN entities rt ON rt.rid = r.target_rid"

namespace graphstore::sqlite {

inline constexpr int kEntityCols = 7;
inline constexpr int kRelationCols = 9;

inline gs_str as_str(std::string_view s) { return gs_str{s.data() ? s.data() : "", s.size()}; }

// Reads entities; owns an aligned copy of the embedding (a blob need not be
// aligned for float).
class EntityReader {
 public:
  gs_entity read(const Stmt& s, int first, std::string_view tenant) {
    gs_entity e{};
    e.struct_size = sizeof e;
    e.id = as_str(s.text(first));
    e.entity_type = as_str(s.text(first + 1));
    e.properties_json = as_str(s.text(first + 2));
    size_t n = 0;
    const void* blob = s.blob(first + 3, &n);
    if (blob != nullptr && n >= sizeof(float)) {
      embedding_.resize(n / sizeof(float));
      std::memcpy(embedding_.data(), blob, embedding_.size() * sizeof(float));
      e.embedding = embedding_.data();
      e.embedding_dim = uint32_t(embedding_.size());
    }
    e.created_at = s.i64(first + 4);
    e.updated_at = s.i64(first + 5);
    e.source = s.str(first + 6);
    e.tenant_id = as_str(tenant);
    return e;
  }

 private:
  std::vector<float> embedding_;
};

inline gs_relation read_relation_row(const Stmt& s, int first, std::string_view tenant) {
  gs_relation r{};
  r.struct_size = sizeof r;
  r.id = as_str(s.text(first));
  r.relation_type = as_str(s.text(first + 1));
  r.source_id = as_str(s.text(first + 2));
  r.target_id = as_str(s.text(first + 3));
  r.properties_json = as_str(s.text(first + 4));
  r.weight = s.dbl(first + 5);
  r.created_at = s.i64(first + 6);
  r.updated_at = s.i64(first + 7);
  r.source = s.str(first + 8);
  r.tenant_id = as_str(tenant);
  return r;
}

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_RECORDS_HPP
