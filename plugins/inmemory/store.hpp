// InMemoryStore: the plugin's store object. It owns one Graph per tenant (the
// global tenant inline, the others in a map that only grows), validates the
// tenant, takes the right lock and hands the call to the Graph or to the
// queries. Multi-op writes (apply_batch, bulk adds) are all-or-nothing
// through an undo log.
//
// Thread-safety: every method may be called from any thread at once.
// Readers of a tenant share its lock, writers take it alone; tenants never
// block each other. Host sinks run under the tenant's shared lock (the views
// they get point into the graph), except the bulk skip sink, which runs after
// the lock is released. A sink may read the store again; a sink writing to the
// tenant it is reading gets UNSUPPORTED.
#ifndef GRAPHSTORE_INMEMORY_STORE_HPP
#define GRAPHSTORE_INMEMORY_STORE_HPP

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "graph.hpp"
#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"
#include "graphstore/scoring.hpp"
#include "memory_budget.hpp"

namespace graphstore::inmemory {

// Takes g's lock exclusive into *lock, or returns UNSUPPORTED when the calling
// thread is inside a read of g (a sink writing back into the graph it is
// reading), which would otherwise deadlock.
sdk::Status lock_exclusive(Graph& g, std::unique_lock<RwLock>* lock);

class InMemoryStore {
 public:
  // Every Tier 2 slot natively, and gauges (plugin.hpp checks each against its method).
  using native_slots = sdk::Slots<sdk::Slot::traverse, sdk::Slot::find_paths, sdk::Slot::subgraph,
                                  sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::vector_search,
                                  sdk::Slot::text_search, sdk::Slot::add_entities_bulk, sdk::Slot::add_relations_bulk,
                                  sdk::Slot::get_stats, sdk::Slot::collect_gauges, sdk::Slot::collect_state,
                                  sdk::Slot::clear, sdk::Slot::delete_by_source>;

  InMemoryStore(uint64_t max_memory_mb, const hnsw::VectorIndexOptions& vectors);

  // Options: {"max_memory_mb": N} (N >= 0; 0 or absent: unlimited) and the
  // vector index's (plugins/hnsw/README.md). Unknown options are
  // INVALID_ARGUMENT naming the key.
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<InMemoryStore>* out);

  // ---- Tier 1 (contracts in abi.h) ----
  sdk::Status add_entity(std::string_view tenant, const gs_entity& entity);
  sdk::Status get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink);
  sdk::Status update_entity(std::string_view tenant, const gs_entity& entity);
  sdk::Status delete_entity(std::string_view tenant, std::string_view id);
  sdk::Status add_relation(std::string_view tenant, const gs_relation& relation);
  sdk::Status get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink);
  sdk::Status update_relation(std::string_view tenant, const gs_relation& relation);
  sdk::Status delete_relation(std::string_view tenant, std::string_view id);
  sdk::Status get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                            std::string_view relation_type, sdk::NeighborSink sink);
  sdk::Status for_each_entity(std::string_view tenant, sdk::EntitySink sink);
  sdk::Status for_each_relation(std::string_view tenant, sdk::RelationSink sink);
  sdk::Status list_tenants(sdk::TenantSink sink);
  // All or nothing: on failure every applied op is undone, *failed_index
  // names the failing op and the message starts with "batch op N: ".
  sdk::Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);

  // ---- Tier 2, all native ----
  sdk::Status traverse(std::string_view tenant, const gs_traverse_params& params, sdk::TraverseSink sink,
                       bool* truncated);
  sdk::Status find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink, bool* truncated);
  sdk::Status subgraph(std::string_view tenant, const gs_str* ids, size_t n_ids, sdk::EntitySink entity_sink,
                       sdk::RelationSink relation_sink);
  sdk::Status scan_entities(std::string_view tenant, const gs_scan_params& params, sdk::EntitySink sink);
  sdk::Status scan_relations(std::string_view tenant, const gs_scan_params& params, sdk::RelationSink sink);
  sdk::Status vector_search(std::string_view tenant, const gs_vector_params& params, sdk::ScoredSink sink);
  sdk::Status text_search(std::string_view tenant, const gs_text_params& params, sdk::ScoredSink sink);
  // Skipped items (duplicate, missing endpoint, invalid) go to skip after the
  // store's lock is released; any other failure undoes the whole call.
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* entities, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* relations, size_t n,
                                 sdk::SkipSink skip, uint64_t* added);
  sdk::Status get_stats(std::string_view tenant, sdk::StatsSink sink);
  // Memory held and its limit (max_memory_mb), the vector index's size.
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  // The vector index: its kind and, with hnsw, vectors and bytes held.
  sdk::Status collect_state(sdk::StateSink sink);
  // Removals (store_removal.cpp, contracts in abi.h): under the tenant's
  // exclusive lock; clearing every tenant holds every graph's lock at once.
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

 private:
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // The tenant's graph, or nullptr when nothing was ever written to it.
  Graph* find_graph(std::string_view tenant) const { return tenant.empty() ? &global_ : find_named_graph(tenant); }
  Graph* find_named_graph(std::string_view tenant) const;
  // The tenant's graph, created on first use.
  Graph* graph_for_write(std::string_view tenant);

  // Runs one single-record write under the tenant's exclusive lock.
  template <class Fn>
  sdk::Status write(std::string_view tenant, const Fn& fn);
  // Runs fn(graph) under the tenant's shared lock; absent(), when the tenant
  // has no graph.
  template <class Fn, class Absent>
  sdk::Status read(std::string_view tenant, const Fn& fn, const Absent& absent) const;

  // A bulk add: add(graph, item, hashes, linker) for each item, prefetching ahead;
  // skippable failures become skips, any other undoes the call with
  // remove(graph, item, linked). A large relation add passes an EdgeLinker;
  // linked says whether it had linked the item.
  template <class Item, class Add, class Remove>
  sdk::Status bulk(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip, uint64_t* added,
                   const Add& add, const Remove& remove);

  // The vector indexes of every graph, each read under its shared lock.
  struct VectorTotals {
    size_t bytes = 0;
    size_t vectors = 0;
  };
  VectorTotals vector_totals() const;

  MemoryBudget budget_;
  hnsw::VectorIndexOptions vector_options_;
  mutable Graph global_;
  mutable std::shared_mutex tenants_mu_;
  std::unordered_map<std::string, std::unique_ptr<Graph>, NameHash, std::equal_to<>> tenants_;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_STORE_HPP
