// A hierarchical navigable small-world graph (Malkov & Yashunin, 2018) over
// one tenant's embeddings, with what the stores need and hnswlib 0.6.2 (the
// Debian package) lacks: a type filter applied during the walk (as hnswlib
// 0.7 and ACORN do, so a filtered search fills k from matching nodes instead
// of discarding non-matching results afterwards), removal, and a file format
// of our own. plugins/hnsw/README.md has the measurements behind the choice.
//
// Distances are 1 - cosine, taken in float with the stored vector's inverse
// norm; they only steer the walk. Callers rescore the candidates with
// sdk::cosine_similarity on vector(), so scores equal the exact scan's.
//
// Threads: writes (insert, insert_batch, remove, retag) need exclusive access;
// search and the accessors may run on any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "key_map.hpp"

namespace graphstore::hnsw {

struct Params {
  uint32_t m = 16;                 // links per node above level 0; 2m at level 0
  uint32_t ef_construction = 100;  // candidate list while linking a new node
  uint32_t ef_search = 128;        // candidate list of a search (at least k)
};

inline constexpr uint32_t kAnyTag = ~uint32_t{0};

struct Candidate {
  uint32_t node;
  float distance;  // 1 - cosine, in float
};

class Index {
 public:
  // Requires dim > 0, 2 <= params.m <= 128, ef_construction >= 1.
  Index(uint32_t dim, const Params& params, uint64_t seed = 0x2545F4914F6CDD1DULL);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  uint32_t dim() const { return dim_; }
  const Params& params() const { return params_; }
  size_t nodes() const { return count_; }             // including removed ones
  size_t live() const { return count_ - removed_; }   // searchable nodes
  size_t removed() const { return removed_; }
  // Live nodes whose tag is `tag`.
  size_t live_with_tag(uint32_t tag) const { return tag < tag_live_.size() ? tag_live_[tag] : 0; }
  // Bytes held: vectors, links, node records, the key map, search scratch.
  size_t memory_bytes() const;

  // ---- writes (exclusive) ----
  // Adds key's vector with a tag (a small integer the caller maps types to).
  // A key already present is replaced. Requires key != ~0 and tag != kAnyTag.
  void insert(uint64_t key, uint32_t tag, const float* vector);
  // Adds n vectors linking them on `threads` threads. Same contract as insert
  // for each item; keys must be distinct within the batch.
  void insert_batch(const uint64_t* keys, const uint32_t* tags, const float* const* vectors, size_t n,
                    unsigned threads);
  // Removes key: its node stays in the graph as a waypoint and never comes
  // back from search. False when key is absent.
  bool remove(uint64_t key);
  // Changes key's tag in place. False when key is absent.
  bool retag(uint64_t key, uint32_t tag);

  // ---- reads (shared) ----
  bool contains(uint64_t key) const { return keys_.find(key) != KeyMap::kMissing; }
  // The candidates nearest query (any norm; dimension dim()) among live nodes
  // whose tag is `tag` (kAnyTag: any), at most max(ef, k) of them, nearest
  // first. Fewer come back only when the graph holds fewer reachable
  // matches; the caller then falls back to a scan.
  void search(const float* query, uint32_t k, uint32_t ef, uint32_t tag, std::vector<Candidate>* out) const;
  uint64_t key(uint32_t node) const;
  uint32_t tag(uint32_t node) const;
  const float* vector(uint32_t node) const;  // as inserted, not normalised

  // A new index holding only the live nodes, linked on `threads` threads.
  std::unique_ptr<Index> compacted(unsigned threads) const;

  // ---- file ----
  // Writes the whole index to f; false on a write error. Format: README.md.
  bool save(std::FILE* f) const;
  // Reads an index written by save; nullptr with *error set when the data is
  // short, of another format or fails its checksum.
  static std::unique_ptr<Index> load(std::FILE* f, std::string* error);

 private:
  // 24 bytes: one in about m nodes has upper levels, so their links live
  // in uppers_ rather than behind a pointer in every node.
  struct Node {
    uint64_t key = 0;
    float inv_norm = 0;  // 0 for a zero vector: cosine 0 with everything
    uint32_t tag = 0;
    uint32_t upper = ~uint32_t{0};  // index in uppers_ when level > 0
    uint8_t level = 0;
    bool removed = false;
  };
  struct Scratch;
  class ScratchLease;

  uint32_t* links(uint32_t node, uint32_t level) const;
  uint32_t max_links(uint32_t level) const { return level == 0 ? 2 * params_.m : params_.m; }
  float distance(const float* unit_query, uint32_t node) const;
  uint32_t random_level(uint32_t node) const;
  void reserve(size_t nodes);
  uint32_t append(uint64_t key, uint32_t tag, const float* vector);
  void link(uint32_t node, Scratch& scratch, bool locked);
  template <bool kLocked>
  void search_layer(const float* q, uint32_t entry, uint32_t ef, uint32_t level, uint32_t tag, Scratch& s) const;
  template <bool kLocked>
  uint32_t greedy(const float* q, uint32_t entry, uint32_t from_level, uint32_t to_level) const;
  void select_neighbors(std::vector<Candidate>* sorted, uint32_t keep) const;
  void connect(uint32_t node, uint32_t level, const std::vector<Candidate>& chosen, bool locked);
  std::mutex& lock_of(uint32_t node) const { return stripes_[node & (kStripes - 1)]; }

  static constexpr uint32_t kChunkShift = 14;  // 16,384 nodes per chunk
  static constexpr uint32_t kStripes = 4096;

  uint32_t dim_;
  Params params_;
  uint64_t seed_;
  double level_mult_;
  size_t record_bytes_;  // vector then level-0 links: count, 2m ids
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<Node> meta_;
  std::vector<std::unique_ptr<uint32_t[]>> uppers_;  // levels 1..level: count, m ids each
  size_t count_ = 0;
  size_t removed_ = 0;
  std::vector<size_t> tag_live_;
  KeyMap keys_;
  uint32_t entry_ = ~uint32_t{0};
  uint32_t top_level_ = 0;
  mutable std::mutex entry_lock_;
  mutable std::unique_ptr<std::mutex[]> stripes_;
  mutable std::mutex scratch_lock_;
  mutable std::vector<std::unique_ptr<Scratch>> scratch_pool_;
};

}  // namespace graphstore::hnsw
