// The read-side algorithms over one Graph: expansion, traversal, paths,
// subgraphs, scans, searches and statistics. Each follows its slot's contract
// in abi.h to the letter (orderings, tie-breaks, truncation), because the
// conformance suite compares them with the core's defaults. The caller holds
// the graph's lock shared; a sink returning false ends the call with OK.
#ifndef GRAPHSTORE_INMEMORY_QUERIES_HPP
#define GRAPHSTORE_INMEMORY_QUERIES_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph.hpp"
#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"

namespace graphstore::inmemory {

// A type filter: any type, or one interned type (kNone when the name was never
// used, so nothing matches).
inline constexpr uint32_t kAnyType = kNone - 1;
inline uint32_t resolve_type(const Graph& g, std::string_view name) {
  return name.empty() ? kAnyType : g.find_type(name);
}
inline bool type_matches(uint32_t filter, uint32_t type) { return filter == kAnyType || filter == type; }

// Calls fn(edge) for every edge of slot in direction dir (GS_DIRECTION_*)
// whose type matches filter, in relation-id order; a self-loop once.
template <class Fn>
void for_each_edge(const Graph& g, uint32_t slot, int32_t dir, uint32_t filter, const Fn& fn) {
  if (dir != GS_DIRECTION_BOTH) {
    for (const Edge& e : dir == GS_DIRECTION_OUT ? g.out_edges(slot) : g.in_edges(slot))
      if (type_matches(filter, e.type)) fn(e);
    return;
  }
  const EdgeList& out = g.out_edges(slot);
  const EdgeList& in = g.in_edges(slot);
  uint32_t i = 0, j = 0;
  while (i < out.size || j < in.size) {
    const Edge* e;
    if (j == in.size) {
      e = &out.data[i++];
    } else if (i == out.size) {
      e = &in.data[j++];
    } else if (out.data[i].relation == in.data[j].relation) {  // a self-loop sits in both lists
      e = &out.data[i++];
      ++j;
    } else if (g.relation_less(out.data[i].relation, in.data[j].relation)) {
      e = &out.data[i++];
    } else {
      e = &in.data[j++];
    }
    if (type_matches(filter, e->type)) fn(*e);
  }
}

sdk::Status get_neighbors(const Graph& g, std::string_view id, int32_t direction, std::string_view relation_type,
                          sdk::NeighborSink sink);
sdk::Status traverse(const Graph& g, const gs_traverse_params& p, sdk::TraverseSink sink, bool* truncated);
sdk::Status find_paths(const Graph& g, const gs_paths_params& p, sdk::PathSink sink, bool* truncated);
sdk::Status subgraph(const Graph& g, const gs_str* ids, size_t n_ids, sdk::EntitySink entity_sink,
                     sdk::RelationSink relation_sink);
sdk::Status scan_entities(const Graph& g, const gs_scan_params& p, sdk::EntitySink sink);
sdk::Status scan_relations(const Graph& g, const gs_scan_params& p, sdk::RelationSink sink);
// The caller has rejected a query of dimension 0.
sdk::Status vector_search(const Graph& g, const gs_vector_params& p, sdk::ScoredSink sink);
// The caller has rejected unknown methods.
sdk::Status text_search(const Graph& g, const gs_text_params& p, sdk::ScoredSink sink);
sdk::Status get_stats(const Graph& g, sdk::StatsSink sink);

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_QUERIES_HPP
