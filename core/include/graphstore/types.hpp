// graphstore value types: what the host API takes and returns.
//
// These own their data (std::string, std::vector) and mirror the reference's
// data model; the C structs of abi.h never reach a host.
#ifndef GRAPHSTORE_TYPES_HPP
#define GRAPHSTORE_TYPES_HPP

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graphstore/abi.h"

namespace graphstore {

// Microseconds since 1970-01-01T00:00:00Z, UTC; negative before 1970.
using Timestamp = int64_t;

// A timestamp not given: on write the store stamps it (now). It is the
// default of every record's timestamps, so a record built without them is
// stamped; every other value, 0 (1970-01-01T00:00:00) and negative ones
// included, is a time and is stored exactly. It never reaches a plugin (the
// store stamps first) and no store returns it.
inline constexpr Timestamp kNoTimestamp = std::numeric_limits<Timestamp>::min();

inline constexpr uint64_t kNoLimit = GS_NO_LIMIT;

struct Entity {
  std::string id;
  std::string entity_type;
  std::string properties = "{}";  // a JSON object's text
  std::vector<float> embedding;   // empty: none
  Timestamp created_at = kNoTimestamp;
  Timestamp updated_at = kNoTimestamp;
  std::optional<std::string> source;
  std::string tenant_id;  // empty: the global namespace

  bool operator==(const Entity&) const = default;
};

struct Relation {
  std::string id;
  std::string relation_type;
  std::string source_id;
  std::string target_id;
  std::string properties = "{}";
  double weight = 1.0;  // in [0, 1]
  Timestamp created_at = kNoTimestamp;
  Timestamp updated_at = kNoTimestamp;
  std::optional<std::string> source;
  std::string tenant_id;

  bool operator==(const Relation&) const = default;
};

enum class Direction : int32_t { kOut = GS_DIRECTION_OUT, kIn = GS_DIRECTION_IN, kBoth = GS_DIRECTION_BOTH };

// One step of an expansion: the relation and the entity at its other end.
struct Neighbor {
  Relation relation;
  Entity entity;
  bool operator==(const Neighbor&) const = default;
};

struct Path {
  std::vector<Entity> entities;     // n entities
  std::vector<Relation> relations;  // n - 1 relations, entities[i] -> entities[i+1]
  bool operator==(const Path&) const = default;
};

struct TraverseOptions {
  Direction direction = Direction::kOut;
  std::string relation_type;  // empty: any
  uint32_t max_depth = 3;
  uint64_t max_results = 1000;
};

// An entity reached by a traversal, its depth (>= 1) and the relation that
// reached it.
struct TraverseHit {
  Entity entity;
  uint32_t depth = 0;
  Relation via;
  bool operator==(const TraverseHit&) const = default;
};

struct TraverseResult {
  std::vector<TraverseHit> hits;  // ordered by (depth, id)
  bool truncated = false;         // max_results cut the answer short
};

// The default memory budget of a find_paths answer (PathOptions).
inline constexpr uint64_t kDefaultMaxResultBytes = uint64_t(256) << 20;

struct PathOptions {
  std::string relation_type;  // empty: any
  uint32_t max_depth = 5;
  uint64_t max_paths = 10;
  // The most memory the answer's paths may take, counted as the records'
  // sizes (ids, properties, embeddings) plus their structs. An answer that
  // needs more is RESOURCE_EXHAUSTED, or with truncate_to_budget the paths
  // that fit, in order, with truncated set. The plugin is never asked for
  // more paths than the budget could hold, so its own work is bounded too.
  uint64_t max_result_bytes = kDefaultMaxResultBytes;
  bool truncate_to_budget = false;
};

struct PathResult {
  std::vector<Path> paths;  // shortest first, then by relation ids
  bool truncated = false;   // max_paths, or the memory budget, cut the answer short
};

struct Subgraph {
  std::vector<Entity> entities;     // by id
  std::vector<Relation> relations;  // by id
};

struct ScanOptions {
  std::string type;      // empty: any
  std::string after_id;  // keyset cursor; empty: from the start
  uint64_t offset = 0;
  uint64_t limit = kNoLimit;
};

struct VectorQuery {
  std::vector<float> vector;
  uint32_t k = 10;
  std::string entity_type;  // empty: any
  double min_score = -std::numeric_limits<double>::infinity();
  // True: a full scan finds the top k even where the store keeps an
  // approximate index (`vector_index: hnsw`). Scores are exact either way.
  bool exact = false;
};

enum class TextMethod : int32_t {
  kBm25 = GS_TEXT_BM25,
  kJaccard = GS_TEXT_JACCARD,
  kCosine = GS_TEXT_COSINE,
  kLevenshtein = GS_TEXT_LEVENSHTEIN,
};

struct TextQuery {
  std::string text;
  TextMethod method = TextMethod::kBm25;
  uint32_t k = 10;
  std::string entity_type;  // empty: any
  double min_score = 0.0;
};

struct ScoredEntity {
  Entity entity;
  double score = 0.0;
  bool operator==(const ScoredEntity&) const = default;
};

// What Store::clear removes: the call's tenant (empty: the global namespace
// only), or every tenant and the global namespace (the tenant must then be
// empty).
enum class ClearScope : int32_t { kTenant = GS_CLEAR_TENANT, kAllTenants = GS_CLEAR_ALL_TENANTS };

// What a removal (clear, delete_by_source) took away.
struct Removed {
  uint64_t entities = 0;
  uint64_t relations = 0;
  bool operator==(const Removed&) const = default;
};

struct Stats {
  uint64_t entity_count = 0;
  uint64_t relation_count = 0;
  std::map<std::string, uint64_t> entities_by_type;
  std::map<std::string, uint64_t> relations_by_type;
  bool operator==(const Stats&) const = default;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_TYPES_HPP
