// Query results for people and for --json, shared by the query commands and
// the demo.
#ifndef GRAPHSTORE_CLI_RESULTS_HPP
#define GRAPHSTORE_CLI_RESULTS_HPP

#include <cstddef>
#include <string_view>
#include <vector>

#include "graphstore/types.hpp"
#include "json_writer.hpp"

namespace graphstore::cli {

inline constexpr size_t kShowAll = static_cast<size_t>(-1);

// [{"relation": RELATION, "entity": ENTITY}, ...]
void write_neighbors(JsonWriter& w, const std::vector<Neighbor>& neighbors);
// {"hits": [{"depth": n, "entity": ENTITY, "via": RELATION}, ...], "truncated": b}
void write_traverse(JsonWriter& w, const TraverseResult& result);
// {"paths": [{"entities": [...], "relations": [...]}, ...], "truncated": b}
void write_paths(JsonWriter& w, const PathResult& result);
// [{"score": x, "entity": ENTITY}, ...]
void write_scored(JsonWriter& w, const std::vector<ScoredEntity>& results);

// The members "entity_count", "relation_count", "entities_by_type" and
// "relations_by_type" of an object the caller has started.
void write_stats_members(JsonWriter& w, const Stats& stats);

// Human forms, indented two spaces, at most `limit` items (then "... n more").
void print_neighbors(std::string_view id, const std::vector<Neighbor>& neighbors, size_t limit = kShowAll);
void print_traverse(const TraverseResult& result, size_t limit = kShowAll);
void print_paths(const PathResult& result, size_t limit = kShowAll);
void print_scored(const std::vector<ScoredEntity>& results, size_t limit = kShowAll);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_RESULTS_HPP
