// Graph: one tenant's entities and relations, compactly stored.
//
// Records live in two SlotStores of fixed-size structs with stable slots
// (freed slots are reused); their variable bytes live in an Arena; type names are
// interned to small integers; ids map to slots through an IdIndex; each
// entity holds an out- and an in-list of edges. Writes append edges without
// comparing ids (a comparison costs cache misses on two relation records);
// readers get the lists sorted by relation id, the order every traversal
// contract asks for, through out_edges / in_edges, which sort a list on first
// use after a write.
//
// Locking is the caller's: reads need lock() shared, writes need it
// exclusive. Two lazily built things change under the shared lock, each
// behind its own mutex: an edge list's sort and the scan caches. Nothing here
// calls a host callback, so a sink never runs while an invariant is broken.
#ifndef GRAPHSTORE_INMEMORY_GRAPH_HPP
#define GRAPHSTORE_INMEMORY_GRAPH_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "arena.hpp"
#include "edge_pool.hpp"
#include "graphstore/abi.h"
#include "graphstore/checks.hpp"
#include "graphstore/plugin.hpp"
#include "graphstore/records.hpp"
#include "id_index.hpp"
#include "locks.hpp"
#include "memory_budget.hpp"
#include "prefaulter.hpp"
#include "slot_store.hpp"
#include "vector_index.hpp"

namespace graphstore::inmemory {

inline constexpr uint32_t kNone = UINT32_MAX;
inline constexpr uint32_t kNoSource = UINT32_MAX;  // source_len of a record without source

// Ids up to this long are also kept in the entity record itself.
inline constexpr uint32_t kInlineId = 16;

// Blob layout: id, properties, source (when present), then the embedding at
// the next 4-byte boundary. The first cache line holds all that resolving an
// id and appending an edge touch (the id itself when it is short), so a
// relation's endpoint costs one line of the record and none of the blob.
struct alignas(64) EntityRecord {
  char short_id[kInlineId];  // the id's bytes when id_len <= kInlineId
  uint32_t id_len;
  uint32_t type;  // kNone: free slot
  EdgeList out;
  EdgeList in;
  const char* blob;
  // Second line.
  uint32_t props_len;
  uint32_t source_len;
  uint32_t dim;
  uint32_t type_pos;  // position in TypeInfo::entities
  gs_time_us created_at;
  gs_time_us updated_at;
};
static_assert(offsetof(EntityRecord, props_len) == 64, "the lookup fields fill the first cache line");

// Blob layout: id, properties, source (when present).
struct RelationRecord {
  const char* blob;
  uint32_t id_len;
  uint32_t props_len;
  uint32_t source_len;
  uint32_t type;  // kNone: free slot
  uint32_t source;
  uint32_t target;
  double weight;
  gs_time_us created_at;
  gs_time_us updated_at;
};

// The IdIndex hashes of an item's ids, computed once per bulk item and handed
// to each of its prefetches and lookups.
struct EntityHashes {
  uint32_t id;
};
struct RelationHashes {
  uint32_t id, source, target;
};
inline EntityHashes hashes_of(const gs_entity& e) { return {IdIndex::hash(sdk::view(e.id))}; }
inline RelationHashes hashes_of(const gs_relation& r) {
  return {IdIndex::hash(sdk::view(r.id)), IdIndex::hash(sdk::view(r.source_id)), IdIndex::hash(sdk::view(r.target_id))};
}

// What appending a relation's two edges needs, so that it can happen on
// another thread than the one that added the record (see EdgeLinker).
struct LinkJob {
  uint32_t relation;
  uint32_t source;
  uint32_t target;
  uint32_t type;
};

// The first eight bytes of a name, zero-padded: with the length, equal to a
// short name's whole content (see Graph::find_type).
uint64_t name_head(std::string_view name);

struct TypeInfo {
  std::string name;
  uint64_t head;                   // name_head(name)
  std::vector<uint32_t> entities;  // slots of the live entities of this type
  uint64_t relations = 0;          // live relations of this type
};

class Graph {
 public:
  Graph(std::string tenant, MemoryBudget* budget);
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  RwLock& lock() const { return lock_; }
  std::string_view tenant() const { return tenant_; }
  std::string where() const { return sdk::describe_tenant(tenant_); }

  // ---- Reads: the caller holds lock() at least shared. ----

  // The slot of the live entity / relation with this id, or kNone.
  uint32_t find_entity(std::string_view id) const { return find_entity(id, IdIndex::hash(id)); }
  uint32_t find_relation(std::string_view id) const { return find_relation(id, IdIndex::hash(id)); }
  // The same, given h = IdIndex::hash(id).
  uint32_t find_entity(std::string_view id, uint32_t h) const {
    return entity_index_.find(id, h, [this](uint32_t s) { return entity_id(s); });
  }
  uint32_t find_relation(std::string_view id, uint32_t h) const {
    return relation_index_.find(id, h, [this](uint32_t s) { return relation_id(s); });
  }
  // The interned id of a type name, or kNone when no record ever had it.
  uint32_t find_type(std::string_view name) const;

  const EntityRecord& entity(uint32_t slot) const { return entities_[slot]; }
  const RelationRecord& relation(uint32_t slot) const { return relations_[slot]; }
  size_t entity_slots() const { return entities_.size(); }
  size_t relation_slots() const { return relations_.size(); }
  bool entity_live(uint32_t slot) const { return entities_[slot].type != kNone; }
  bool relation_live(uint32_t slot) const { return relations_[slot].type != kNone; }
  uint64_t entity_count() const { return entity_index_.size(); }
  uint64_t relation_count() const { return relation_index_.size(); }
  const std::vector<TypeInfo>& types() const { return types_; }

  // The entity's edges sorted by relation id. A list appended to since it
  // was last sorted is sorted here, under sort_mu_; readers check the flag
  // first, so none ever sees a list while it is being sorted.
  const EdgeList& out_edges(uint32_t slot) const { return sorted(entities_[slot].out); }
  const EdgeList& in_edges(uint32_t slot) const { return sorted(entities_[slot].in); }

  std::string_view entity_id(uint32_t slot) const {
    const EntityRecord& r = entities_[slot];
    return {r.id_len <= kInlineId ? r.short_id : r.blob, r.id_len};
  }
  std::string_view relation_id(uint32_t slot) const {
    const RelationRecord& r = relations_[slot];
    return {r.blob, r.id_len};
  }
  std::string_view entity_properties(uint32_t slot) const {
    const EntityRecord& r = entities_[slot];
    return {r.blob + r.id_len, r.props_len};
  }
  const float* embedding(uint32_t slot) const;

  // The dimension shared by every stored embedding (0 when there is none).
  uint32_t embedding_dim() const { return embedded_ ? embedding_dim_ : 0; }

  // Views of records for sinks; valid until the next write.
  gs_entity entity_view(uint32_t slot) const;
  gs_relation relation_view(uint32_t slot) const;

  bool relation_less(uint32_t a, uint32_t b) const { return relation_id(a) < relation_id(b); }
  bool entity_less(uint32_t a, uint32_t b) const { return entity_id(a) < entity_id(b); }

  // Live slots ordered by id, all (type kNone) or of one type. Built on first
  // use after a write and shared by concurrent readers; the reference stays
  // valid until the next write.
  const std::vector<uint32_t>& entities_by_id(uint32_t type) const;
  const std::vector<uint32_t>& relations_by_id(uint32_t type) const;

  sdk::OwnedEntity snapshot_entity(uint32_t slot) const;
  sdk::OwnedRelation snapshot_relation(uint32_t slot) const;

  // ---- Checked writes: the caller holds lock() exclusive. ----
  // Each validates first and changes nothing when it fails. A write that adds
  // or replaces data fails with RESOURCE_EXHAUSTED once the budget is spent.

  // hashes, when given, are hashes_of(e) (a bulk add computes them once).
  sdk::Status add_entity(const gs_entity& e, const EntityHashes* hashes = nullptr);
  // before, when given, receives the entity as it was.
  sdk::Status update_entity(const gs_entity& e, sdk::OwnedEntity* before);
  // before / relations, when given, receive the entity and the relations
  // deleted with it.
  sdk::Status delete_entity(std::string_view id, sdk::OwnedEntity* before, std::vector<sdk::OwnedRelation>* relations);
  // With deferred, the relation is added without its edges and *deferred
  // says how to link it (link_edges); until then only erase_relation(slot,
  // false) may remove it.
  sdk::Status add_relation(const gs_relation& r, const RelationHashes* hashes = nullptr, LinkJob* deferred = nullptr);
  sdk::Status update_relation(const gs_relation& r, sdk::OwnedRelation* before);
  sdk::Status delete_relation(std::string_view id, sdk::OwnedRelation* before);

  // ---- Unchecked primitives (rollback): exclusive lock, valid input. ----

  uint32_t insert_entity(const gs_entity& e) { return insert_entity(e, IdIndex::hash(sdk::view(e.id))); }
  uint32_t insert_entity(const gs_entity& e, uint32_t id_hash);
  // Erases the entity and every relation touching it.
  void erase_entity(uint32_t slot);
  // Replaces every field but id and created_at.
  void replace_entity(uint32_t slot, const gs_entity& e);
  uint32_t insert_relation(const gs_relation& r, uint32_t source, uint32_t target) {
    return insert_relation(r, source, target, IdIndex::hash(sdk::view(r.id)));
  }
  uint32_t insert_relation(const gs_relation& r, uint32_t source, uint32_t target, uint32_t id_hash);
  // linked: false for a relation added with a deferred LinkJob never linked.
  void erase_relation(uint32_t slot, bool linked = true);
  void replace_relation(uint32_t slot, const gs_relation& r, uint32_t source, uint32_t target);

  // ---- Bulk loads ----
  // Prefetch hints for a bulk load, so that the cache misses of consecutive
  // items overlap instead of queueing one after another. A lookup of an
  // entity id misses up to three times in a row (index slot, record, and the
  // blob for a long id); a bulk add calls stage 1 for an item some way ahead,
  // stage 2 nearer and stage 3 just before the item, each stage finding the
  // previous one's line in cache. Pure hints: nothing observable changes.
  //   stage 1: the index slot where the probe for an id hash starts;
  //   stage 2: the record of the likely match, returned (or kNone);
  //   stage 3: that record's blob when the id is long and, with `edges`,
  //            where its out- or in-list grows.
  void prefetch_entity_slot(uint32_t hash) const { __builtin_prefetch(entity_index_.home(hash)); }
  uint32_t prefetch_entity_record(uint32_t hash) const;
  void prefetch_endpoint(uint32_t slot, bool out, bool edges) const;
  void prefetch_relation_slot(uint32_t hash) const { __builtin_prefetch(relation_index_.home(hash)); }

  // Makes room for n more entities (relations) whose blobs take about
  // blob_bytes, and appends to *out the memory their records, blobs and id
  // index will be written to, for a Prefaulter. Throws std::bad_alloc and
  // then leaves the graph as it was but for capacity.
  void upcoming_entities(size_t n, size_t blob_bytes, std::vector<MemoryRange>* out);
  void upcoming_relations(size_t n, size_t blob_bytes, std::vector<MemoryRange>* out);
  // The bytes of the blob an add of e (r) stores: id, properties ("{}" when
  // absent), source and embedding.
  static size_t blob_size(const gs_entity& e);
  static size_t blob_size(const gs_relation& r);

  // ---- The approximate vector index (vector_index: hnsw) ----
  // Keeps an HNSW graph of this tenant's embeddings from now on; call before
  // the first write. Every entity write below keeps it in step.
  void enable_vector_index(const hnsw::Params& params);
  // nullptr unless enabled. Read under lock() shared, like the graph.
  const hnsw::TenantVectors* vectors() const { return vectors_.get(); }
  // Between these two calls (a bulk add, under the exclusive lock) added
  // vectors are collected and then linked at once on every core.
  void defer_vectors() { defer_vectors_ = vectors_ != nullptr; }
  void link_deferred_vectors();
  // Ends deferral without linking (the entities were rolled back). noexcept.
  void drop_deferred_vectors() noexcept {
    defer_vectors_ = false;
    deferred_vectors_.clear();
  }

  // Copies live blobs into a fresh arena when garbage dominates the current
  // one, and frees what a bulk add set aside and did not use. Call between
  // top-level writes only (it moves every blob).
  void maybe_compact();

  // Appends a deferred relation's edges. It touches nothing but the two
  // entities' edge lists and the edge pool, so one thread may link while
  // another adds relations (nothing else may run). Throws std::bad_alloc and
  // then leaves both lists as they were.
  void link_edges(const LinkJob& job);
  // The bulk-load prefetch for link_edges: stage 1 the entities' first lines,
  // stage 2 where their lists grow (reading the lines stage 1 fetched).
  void prefetch_link(const LinkJob& job, int stage) const;

 private:
  struct ScanCache {
    uint64_t version = UINT64_MAX;
    std::unordered_map<uint32_t, std::vector<uint32_t>> lists;  // by type; kNone: all
  };
  struct TypeHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sdk::Status check_embedding(const gs_entity& e, uint32_t replaced_dim) const;
  sdk::Status check_entity(const gs_entity& e) const;
  sdk::Status check_relation(const gs_relation& r, const RelationHashes& hashes, uint32_t* source,
                             uint32_t* target) const;

  // Whether type t is name, given head = name_head(name).
  bool type_is(uint32_t t, std::string_view name, uint64_t head) const;
  uint32_t intern(std::string_view type);
  uint32_t intern_uncached(std::string_view type, uint64_t head);  // intern past its cache
  char* store_blob(std::string_view id, gs_str props, gs_str source, const float* emb, uint32_t dim);
  static size_t entity_blob_size(const EntityRecord& r);
  static size_t relation_blob_size(const RelationRecord& r);
  void fill_entity(EntityRecord& rec, const gs_entity& e, gs_str props, char* blob) const;
  void fill_relation(RelationRecord& rec, const gs_relation& r, gs_str props, char* blob) const;

  // Type membership of an entity slot; add_member needs ensure_member_room.
  void ensure_member_room(uint32_t type);
  void add_member(uint32_t type, uint32_t slot);
  void remove_member(uint32_t slot);

  void embedding_added(uint32_t dim);
  void embedding_removed();
  // Index updates: none throws (update_vectors drops the index on failure
  // and maybe_compact rebuilds it with rebuild_vectors).
  void index_vector(uint32_t slot);
  template <class Fn>
  void update_vectors(const Fn& fn) noexcept;
  void rebuild_vectors() noexcept;
  void link_vectors(std::vector<uint32_t>& slots);  // the body of link_deferred_vectors

  const EdgeList& sorted(const EdgeList& list) const {
    if (std::atomic_ref<uint8_t>(list.sorted).load(std::memory_order_acquire)) return list;
    sort_edges(list);
    return list;
  }
  void sort_edges(const EdgeList& list) const;

  // insert_edge appends (reserve_one first); remove_edge keeps the order and
  // the list's block.
  void insert_edge(EdgeList& list, Edge edge);
  void remove_edge(EdgeList& list, uint32_t relation);
  // The body of insert_entity, inlined into add_entity.
  uint32_t insert_entity_record(const gs_entity& e, uint32_t id_hash);
  // The record and index entry of a checked relation, without its edges.
  uint32_t insert_relation_record(const gs_relation& r, uint32_t source, uint32_t target, uint32_t id_hash);
  void link(uint32_t relation);    // adds both edges of a filled record
  void unlink(uint32_t relation);  // removes both edges

  void build_cache(ScanCache& cache, uint32_t type, bool entities) const;

  size_t footprint() const;
  void changed();  // bumps the version and reports the footprint change

  std::string tenant_;
  MemoryBudget* budget_;
  std::unique_ptr<hnsw::TenantVectors> vectors_;
  bool defer_vectors_ = false;
  bool vectors_stale_ = false;  // an update failed: the index is empty until rebuilt
  std::vector<uint32_t> deferred_vectors_;  // slots added while deferred
  mutable RwLock lock_;

  SlotStore<EntityRecord> entities_;
  SlotStore<RelationRecord> relations_;
  std::vector<uint32_t> free_entities_;
  std::vector<uint32_t> free_relations_;
  IdIndex entity_index_;
  IdIndex relation_index_;
  Arena arena_;
  EdgePool edges_;

  std::vector<TypeInfo> types_;
  std::unordered_map<std::string, uint32_t, TypeHash, std::equal_to<>> type_ids_;
  size_t type_bytes_ = 0;
  static constexpr int kTypeCacheLog2 = 4;
  uint32_t type_cache_[1 << kTypeCacheLog2] = {};  // type ids, each checked on use (see intern)

  uint64_t embedded_ = 0;  // entities with an embedding
  uint32_t embedding_dim_ = 0;

  uint64_t version_ = 0;
  int64_t accounted_ = 0;  // bytes last reported to budget_

  mutable std::mutex sort_mu_;
  mutable std::mutex cache_mu_;
  mutable ScanCache entity_cache_;
  mutable ScanCache relation_cache_;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_GRAPH_HPP
