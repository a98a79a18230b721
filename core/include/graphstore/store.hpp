// graphstore::Store: the host's handle on one open store of one plugin.
//
// A Store is created by Registry::open and closes its plugin store when
// destroyed; it keeps the plugin's library loaded for as long as it lives.
// Every data call names a tenant (empty: the global namespace). Calls return
// a Status and write results through output pointers (never null).
//
// Contracts that hold for every method below unless it says otherwise:
// - Outputs are cleared first: on any failure an output pointer holds its
//   empty value (an empty vector, a default Entity, ...), never data of an
//   earlier call and never part of this one, except where a method names
//   what it keeps (a bulk add keeps the skips its checks found).
// - Threads: any method may be called from any thread, concurrently with
//   any other, while the Store lives; calls to a plugin that declares
//   GS_THREADING_SERIAL are serialised here. The destructor must not run
//   concurrently with a call.
// - Callbacks (the fn of for_each_* and scan_*) run on the calling thread
//   while the plugin call is under way. A callback must not call this Store
//   (any method): such a call returns INVALID_ARGUMENT "<op> called from
//   inside a callback of the same store" at once, instead of deadlocking on
//   a serialised plugin or racing with the scan. It may call other stores.
//   An exception thrown by a callback stops the plugin call and is rethrown
//   from the method after the plugin has returned.
// - Input checks: a tenant id must be valid (types.hpp), and ids (of
//   records, of lookups and deletes, and a neighbours call's relation type)
//   1 to 4,096 bytes of valid UTF-8 on every call, reads included:
//   otherwise INVALID_ARGUMENT, before the plugin is called.
// - The plugin's own failures pass through with their code and message:
//   UNAVAILABLE (a server or file is unreachable), RESOURCE_EXHAUSTED,
//   CORRUPTION, PERMISSION_DENIED, INTERNAL may come from any call that
//   reaches the plugin; a plugin status outside the ABI's codes becomes
//   INTERNAL naming it.
//
// Tier 2 calls (traverse, find_paths, subgraph, scans, searches, bulk adds,
// stats) use the plugin's native slot when it has one and the core's default
// algorithm over Tier 1 otherwise; set_force_defaults(true) always uses the
// defaults, which is how the conformance suite compares the two.
#ifndef GRAPHSTORE_STORE_HPP
#define GRAPHSTORE_STORE_HPP

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"
#include "graphstore/write_batch.hpp"

namespace graphstore {

// What a plugin says about itself (its descriptor).
struct PluginInfo {
  std::string id;
  std::string name;
  std::string version;
  std::string path;  // the shared object it was loaded from
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  bool thread_safe = false;
  std::vector<std::string> capabilities;  // native Tier 2 slots and GS_CAP_* flags
};

struct BulkResult {
  struct Skip {
    size_t index;  // position in the input
    Status status;
  };
  uint64_t added = 0;
  std::vector<Skip> skipped;
};

// The reference's query object for execute_query.
struct GraphQuery {
  enum class Type { kEntityLookup, kVectorSearch, kTraversal, kPathFinding, kSubgraph };
  Type type = Type::kEntityLookup;
  std::string entity_id;             // entity_lookup, traversal start, path source
  std::string target_entity_id;      // path_finding
  std::vector<std::string> entity_ids;  // subgraph
  std::vector<float> embedding;      // vector_search
  std::string entity_type;           // vector_search filter
  std::string relation_type;         // traversal, path_finding filter
  uint32_t max_depth = 3;
  uint64_t max_results = 10;         // also k for vector_search and max_paths
  double score_threshold = 0.0;      // vector_search minimum score
};

struct QueryResult {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::vector<Path> paths;
  std::vector<double> scores;  // one per entity, for vector_search
  bool truncated = false;
};

class Store {
 public:
  // Closes the plugin store (the plugin's close slot) and releases the
  // library. Must not run while another thread calls the Store, nor from
  // inside one of its callbacks.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The plugin's descriptor, as loaded. Never fails; any thread.
  const PluginInfo& plugin() const;

  // ---- Tier 1 ----
  // Adds an entity. Absent timestamps (kNoTimestamp, the default) become
  // now, an absent updated_at created_at; any other value (0 is 1970-01-01)
  // is stored as given. ALREADY_EXISTS when the id exists in the tenant;
  // INVALID_ARGUMENT for an empty id or type, properties that are not a JSON
  // object, a non-finite embedding value, or an entity.tenant_id that is set
  // and differs from tenant. On failure nothing is stored.
  Status add_entity(std::string_view tenant, const Entity& entity);
  // Reads one entity into *out. NOT_FOUND when the tenant has no entity of
  // that id; INVALID_ARGUMENT for a malformed tenant or id. On any failure
  // *out is a default Entity.
  Status get_entity(std::string_view tenant, std::string_view id, Entity* out);
  // Replaces all but id and created_at; an absent updated_at
  // (kNoTimestamp) becomes now. NOT_FOUND when the id is absent;
  // INVALID_ARGUMENT as add_entity. On failure nothing changes.
  Status update_entity(std::string_view tenant, const Entity& entity);
  // Deletes the entity and every relation that touches it, in one step.
  // NOT_FOUND when the id is absent (nothing changes).
  Status delete_entity(std::string_view tenant, std::string_view id);
  // Adds a relation; timestamps as add_entity. NOT_FOUND when an endpoint
  // is absent from the tenant; ALREADY_EXISTS when the id exists;
  // INVALID_ARGUMENT for an empty id, type or endpoint, a weight outside
  // [0, 1] or properties that are not a JSON object. On failure nothing is
  // stored.
  Status add_relation(std::string_view tenant, const Relation& relation);
  // Reads one relation into *out. NOT_FOUND when absent; INVALID_ARGUMENT
  // for a malformed tenant or id. On any failure *out is a default Relation.
  Status get_relation(std::string_view tenant, std::string_view id, Relation* out);
  // Replaces all but id, endpoints and created_at (updated_at as
  // update_entity). NOT_FOUND when the id is absent; INVALID_ARGUMENT as
  // add_relation. On failure nothing changes.
  Status update_relation(std::string_view tenant, const Relation& relation);
  // Deletes one relation. NOT_FOUND when absent (nothing changes).
  Status delete_relation(std::string_view tenant, std::string_view id);
  // The relations of one direction touching the entity, each with the
  // entity at its other end, ordered by relation id; relation_type, when
  // not empty, keeps that type only. NOT_FOUND when the tenant has no
  // entity of that id (the conformance suite holds every backend to it). On
  // failure *out is empty.
  Status get_neighbors(std::string_view tenant, std::string_view id, Direction direction,
                       std::string_view relation_type, std::vector<Neighbor>* out);
  // get_neighbors without the relations: the entity at the other end of
  // each, in relation id order; with distinct, each entity once, at its
  // first place. Copies only the entities (and the relations' ids), so it
  // is the cheaper call when the relations are not wanted; the records
  // already in *out are overwritten rather than freed, so passing the same
  // vector again reuses their buffers. Failures as get_neighbors; on
  // failure *out is empty.
  Status get_neighbor_entities(std::string_view tenant, std::string_view id, Direction direction,
                               std::string_view relation_type, bool distinct, std::vector<Entity>* out);
  // Visits every entity (relation) of the tenant in the plugin's order until
  // fn returns false (which is OK, not a failure). The record passed to fn
  // lives until fn returns. On failure fn may already have seen some
  // records. fn: see "Callbacks" above.
  Status for_each_entity(std::string_view tenant, const std::function<bool(const Entity&)>& fn);
  Status for_each_relation(std::string_view tenant, const std::function<bool(const Relation&)>& fn);
  // The non-global tenants holding data, sorted. On failure *out is empty.
  Status list_tenants(std::vector<std::string>* out);
  // Applies the batch atomically, its ops in order. INVALID_ARGUMENT when
  // an op fails the input checks ("batch op N: ..."), before the plugin is
  // called; otherwise the first failing op's status (NOT_FOUND,
  // ALREADY_EXISTS, ...). On failure nothing is applied and *failed_index
  // (if given) names the op that failed; on success it is untouched.
  Status apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index = nullptr);

  // ---- Tier 2 ----
  // Breadth-first walk from start_id (see TraverseOptions): the hits are
  // the entities reached at depth 1 and beyond, never the start itself.
  // NOT_FOUND when start_id is absent from the tenant.
  // RESOURCE_EXHAUSTED when the hits do not fit in memory. On failure *out
  // is empty and not truncated.
  Status traverse(std::string_view tenant, std::string_view start_id, const TraverseOptions& options,
                  TraverseResult* out);
  // Every simple path from source_id to target_id of at most max_depth
  // relations, shortest first (see PathOptions). NOT_FOUND when either
  // endpoint is absent from the tenant. RESOURCE_EXHAUSTED when
  // the paths pass max_result_bytes and truncate_to_budget is off, or do not
  // fit in memory. On failure *out is empty and not truncated.
  Status find_paths(std::string_view tenant, std::string_view source_id, std::string_view target_id,
                    const PathOptions& options, PathResult* out);
  // The entities of ids that exist and the relations between them.
  // RESOURCE_EXHAUSTED when they do not fit in memory. On failure *out is
  // empty.
  Status subgraph(std::string_view tenant, const std::vector<std::string>& ids, Subgraph* out);
  // Visits entities (relations) ordered by id; see ScanOptions. Stopping
  // and failures as for_each_entity; fn: see "Callbacks" above.
  Status scan_entities(std::string_view tenant, const ScanOptions& options,
                       const std::function<bool(const Entity&)>& fn);
  Status scan_relations(std::string_view tenant, const ScanOptions& options,
                        const std::function<bool(const Relation&)>& fn);
  // The reference's get_all_entities: scan_entities collected. On failure
  // *out is empty.
  Status get_all_entities(std::string_view tenant, const ScanOptions& options, std::vector<Entity>* out);
  // The k entities most similar to the query vector (cosine), best first;
  // see VectorQuery. INVALID_ARGUMENT for an empty query or a non-finite
  // value in it. On failure *out is empty.
  Status vector_search(std::string_view tenant, const VectorQuery& query, std::vector<ScoredEntity>* out);
  // The k best text matches by the query's method, best first; see
  // TextQuery. INVALID_ARGUMENT for an unknown method. On failure *out is
  // empty.
  Status text_search(std::string_view tenant, const TextQuery& query, std::vector<ScoredEntity>* out);
  // Adds what it can: duplicates and invalid items are reported in
  // out->skipped (in input order), not as the returned status; out->added
  // counts the rest. A failure of the call itself (INVALID_ARGUMENT for the
  // tenant, or the plugin's) leaves out->added 0 and out->skipped holding
  // the items the core's checks refused before the plugin was called.
  Status add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out);
  Status add_relations_bulk(std::string_view tenant, std::span<const Relation> relations, BulkResult* out);
  // Counts of entities and relations per type. On failure *out is a default
  // Stats.
  Status get_stats(std::string_view tenant, Stats* out);
  // Runs the reference's query object (query.cpp): one of the calls above
  // chosen by query.type. Failures as that call's. On failure *out is empty.
  Status execute_query(std::string_view tenant, const GraphQuery& query, QueryResult* out);

  // ---- Removal (store_removal.cpp) ----
  // kTenant removes every entity and relation of tenant (empty: the global
  // namespace only); kAllTenants removes everything in the store and needs
  // an empty tenant. OK with *out (if given) holding the counts removed;
  // INVALID_ARGUMENT for kAllTenants with a tenant, an unknown scope or a
  // bad tenant, removing nothing; else the backend's failure, with nothing
  // removed where the backend has transactions (the core's default, used
  // when the plugin has no clear slot, is atomic per tenant). *out is zero
  // on failure. Any thread; see the class comment for serial plugins.
  Status clear(std::string_view tenant, ClearScope scope, Removed* out = nullptr);
  // Removes every entity of tenant whose source equals source byte for byte,
  // every relation of tenant whose source equals it, and every relation
  // touching a removed entity; other sources and tenants are untouched.
  // source must be 1 to 4,096 bytes of valid UTF-8 (else INVALID_ARGUMENT,
  // before the plugin is called). OK with *out (if given) holding the counts
  // removed, zero when nothing matched; on failure *out is zero and nothing
  // is removed where the backend has transactions. Any thread.
  Status delete_by_source(std::string_view tenant, std::string_view source, Removed* out = nullptr);

  // Forces the core's Tier 2 defaults even where the plugin has a slot.
  // Any thread; calls already under way keep the mode they started with.
  void set_force_defaults(bool on);

  // ---- Health and metrics ----
  // One cheap call to the backend (a point lookup in the global tenant): OK
  // when it answered, found or not, else what went wrong. *seconds, when
  // given, receives how long it took (also on failure).
  Status probe(double* seconds = nullptr);
  // Records the latency and status of every call into the plugin from now
  // on. Call before the store is shared between threads, never from a
  // callback; without it the store measures nothing and pays nothing.
  void enable_metrics();
  bool metrics_enabled() const;
  // Prometheus text format: latency histograms and outcome counts per
  // backend call (when enabled), and the plugin's gauges (pool use, memory).
  // The plugin's failure to report gauges passes through. On failure *out
  // is empty.
  Status metrics_text(std::string* out);
  // The plugin's own account of its state as (key, text) lines, such as a
  // degradation store's mode and last error; empty when it gives none. On
  // failure *out is empty.
  Status state(std::vector<std::pair<std::string, std::string>>* out);

  // The private state (core/src/store_impl.hpp): the plugin's table and
  // handle, the serialising mutex, the metering decorator.
  struct Impl;

 private:
  friend struct StoreAccess;  // core/src/store_access.hpp: Registry::open makes Stores
  explicit Store(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_STORE_HPP
