// What a store keeps per tenant to answer vector searches from an HNSW graph,
// and the rule that decides, per call, between the graph and a full scan.
// The in-memory and SQLite plugins share it; README.md documents the options,
// the rule and the measurements behind its thresholds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graphstore/options.hpp"
#include "hnsw_index.hpp"

namespace graphstore::hnsw {

// The store options: vector_index (exact | hnsw), hnsw_m,
// hnsw_ef_construction, hnsw_ef_search, hnsw_metric (cosine only: the one
// score docs/scores.md defines).
struct VectorIndexOptions {
  bool enabled = false;
  Params params;
};
inline constexpr const char* kVectorIndexOptionKeys[] = {"vector_index", "hnsw_m", "hnsw_ef_construction",
                                                         "hnsw_ef_search", "hnsw_metric"};
// Reads the keys above from options; INVALID_ARGUMENT naming the key and the
// accepted values otherwise.
sdk::Status read_vector_index_options(const sdk::Options& options, VectorIndexOptions* out);

// The state line `vector_index` of a store keeping HNSW graphs:
// "hnsw (m M, ef_construction C, ef_search S): N vectors, B bytes".
std::string describe_vector_index(const Params& params, size_t vectors, size_t bytes);

// Below this many live vectors a full scan answers about as fast as the
// graph, and exactly (hnsw_bench at 128 dimensions, ef_search 128: 0.05 ms
// both at 500 vectors, scan 0.10 ms against graph 0.065 ms at 1,000;
// README.md, "Which path answers").
inline constexpr size_t kScanBelow = 512;
// A type filter keeping less than 1/kSelectiveDivisor of a tenant's vectors
// is answered by scanning that type's vectors: a filtered walk would visit
// most of the graph to find k matches (DuckDB's hnsw_acorn uses the same 1%).
inline constexpr size_t kSelectiveDivisor = 100;
// Above 1%, a filtered walk still visits about ef x live / matching nodes
// while the scan reads the `matching` vectors of the type; the graph is used
// when matching^2 >= kFilteredWalkFactor x ef x live. Measured through the
// in-memory store at 128 dimensions, ef 128: 20,000 vectors with a 10% type,
// walk 1.1 ms against scan 0.63 ms (the rule scans); 1M with a 10% type,
// walk 1.3 ms against scan 50 ms (the rule walks).
inline constexpr size_t kFilteredWalkFactor = 4;
// Removed nodes are compacted away once they outnumber live ones.
inline constexpr size_t kCompactAfter = 1024;

struct ScoredKey {
  uint64_t key;
  double score;  // sdk::cosine_similarity(query, stored vector): the exact score
};

// One tenant's graph and its type dictionary. Writes need exclusive access
// (the store's write lock); find() may run on many threads at once.
class TenantVectors {
 public:
  explicit TenantVectors(const Params& params) : params_(params) {}

  // ---- writes ----
  // Adds or replaces key's vector of type `type`. The dimension must stay
  // the tenant's (the store checks it before).
  void put(uint64_t key, std::string_view type, const float* vector, uint32_t dim);
  // Adds many at once, linking them on `threads` threads.
  void put_batch(const std::vector<uint64_t>& keys, const std::vector<std::string_view>& types,
                 const std::vector<const float*>& vectors, uint32_t dim, unsigned threads);
  void erase(uint64_t key);
  void retype(uint64_t key, std::string_view type);
  void clear();

  // ---- reads ----
  size_t live() const { return index_ ? index_->live() : 0; }
  size_t memory_bytes() const;
  // True when a call for k hits of type (empty: any) should use the graph.
  bool use_graph(std::string_view type, uint32_t k) const;
  // The exact scores of the graph's candidates, best first (score then key
  // order is the caller's to settle by id). False when the graph should not
  // answer (use_graph) or found fewer than min(k, matching vectors): the
  // caller scans instead, so results are never short.
  bool find(const float* query, uint32_t dim, uint32_t k, std::string_view type, std::vector<ScoredKey>* out) const;

  // ---- file ----
  bool save(std::FILE* f) const;
  // Replaces this tenant's contents with what f holds; false with *error.
  bool load(std::FILE* f, std::string* error);

 private:
  // use_graph's rule, also giving the filter's tag and the vectors it keeps.
  bool graph_answers(std::string_view type, uint32_t k, uint32_t* tag, size_t* matching) const;
  uint32_t tag_of(std::string_view type);
  uint32_t find_tag(std::string_view type) const;
  void compact_if_sparse();

  Params params_;
  std::unique_ptr<Index> index_;
  std::unordered_map<std::string, uint32_t> tags_;
  std::vector<std::string> tag_names_;
};

}  // namespace graphstore::hnsw
