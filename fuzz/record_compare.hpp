// Equality of decoded records for the round-trip invariants, and a short
// description of a record for the message when they differ. Floats compare
// by value (a format that writes -0 as 0 still round-trips what a store
// keeps), as Entity's own operator== does.
#ifndef GRAPHSTORE_FUZZ_RECORD_COMPARE_HPP
#define GRAPHSTORE_FUZZ_RECORD_COMPARE_HPP

#include <string>

#include "graphstore/record_json.hpp"

namespace graphstore::fuzz {

inline bool same_record(const Record& a, const Record& b) {
  if (a.kind != b.kind) return false;
  return a.kind == RecordKind::kEntity ? a.entity == b.entity : a.relation == b.relation;
}

// The record as its JSON text, for messages.
inline std::string describe(const Record& r) {
  return r.kind == RecordKind::kEntity ? entity_json(r.entity) : relation_json(r.relation);
}

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_RECORD_COMPARE_HPP
