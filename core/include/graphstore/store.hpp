// graphstore::Store: the host's handle on one open store of one plugin.
//
// A Store is created by Registry::open and closes its plugin store when
// destroyed; it keeps the plugin's library loaded for as long as it lives.
// Every data call names a tenant (empty: the global namespace). Calls return
// a Status and write results through output pointers; outputs are cleared
// first. A Store may be used from many threads at once: calls to a plugin
// that declares GS_THREADING_SERIAL are serialised here. Ids (of records,
// of lookups and deletes, and a neighbours call's relation type) must be 1
// to 4,096 bytes of valid UTF-8 on every call, reads included: otherwise
// INVALID_ARGUMENT, before the plugin is called.
//
// Tier 2 calls (traverse, find_paths, subgraph, scans, searches, bulk adds,
// stats) use the plugin's native slot when it has one and the core's default
// algorithm over Tier 1 otherwise; set_force_defaults(true) always uses the
// defaults, which is how the conformance suite compares the two.
#ifndef GRAPHSTORE_STORE_HPP
#define GRAPHSTORE_STORE_HPP

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/types.hpp"
#include "graphstore/write_batch.hpp"

namespace graphstore {

class Library;  // a loaded plugin library (core/src/library.hpp)
struct Metered;  // the metering decorator (core/src/metered.hpp)

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
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const PluginInfo& plugin() const { return info_; }

  // ---- Tier 1 ----
  // Adds an entity. Absent timestamps (kNoTimestamp, the default) become
  // now, an absent updated_at created_at; any other value (0 is 1970-01-01)
  // is stored as given. ALREADY_EXISTS when the id exists in the tenant;
  // INVALID_ARGUMENT for an empty id or type, properties that are not a JSON
  // object, a non-finite embedding value, or an entity.tenant_id that is set
  // and differs from tenant.
  Status add_entity(std::string_view tenant, const Entity& entity);
  // NOT_FOUND when absent.
  Status get_entity(std::string_view tenant, std::string_view id, Entity* out);
  // Replaces all but id and created_at; an absent updated_at
  // (kNoTimestamp) becomes now.
  Status update_entity(std::string_view tenant, const Entity& entity);
  // Deletes the entity and every relation that touches it.
  Status delete_entity(std::string_view tenant, std::string_view id);
  // NOT_FOUND when an endpoint is absent; weight must lie in [0, 1].
  Status add_relation(std::string_view tenant, const Relation& relation);
  Status get_relation(std::string_view tenant, std::string_view id, Relation* out);
  Status update_relation(std::string_view tenant, const Relation& relation);
  Status delete_relation(std::string_view tenant, std::string_view id);
  // Neighbours ordered by relation id.
  Status get_neighbors(std::string_view tenant, std::string_view id, Direction direction,
                       std::string_view relation_type, std::vector<Neighbor>* out);
  // Visits every entity (relation) of the tenant in the plugin's order until
  // fn returns false.
  Status for_each_entity(std::string_view tenant, const std::function<bool(const Entity&)>& fn);
  Status for_each_relation(std::string_view tenant, const std::function<bool(const Relation&)>& fn);
  // Non-global tenants holding data, sorted.
  Status list_tenants(std::vector<std::string>* out);
  // Applies the batch atomically; on failure *failed_index (if given) names
  // the op that failed and nothing is applied.
  Status apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index = nullptr);

  // ---- Tier 2 ----
  Status traverse(std::string_view tenant, std::string_view start_id, const TraverseOptions& options,
                  TraverseResult* out);
  Status find_paths(std::string_view tenant, std::string_view source_id, std::string_view target_id,
                    const PathOptions& options, PathResult* out);
  Status subgraph(std::string_view tenant, const std::vector<std::string>& ids, Subgraph* out);
  // Visits entities (relations) ordered by id; see ScanOptions.
  Status scan_entities(std::string_view tenant, const ScanOptions& options,
                       const std::function<bool(const Entity&)>& fn);
  Status scan_relations(std::string_view tenant, const ScanOptions& options,
                        const std::function<bool(const Relation&)>& fn);
  // The reference's get_all_entities: scan_entities collected.
  Status get_all_entities(std::string_view tenant, const ScanOptions& options, std::vector<Entity>* out);
  Status vector_search(std::string_view tenant, const VectorQuery& query, std::vector<ScoredEntity>* out);
  Status text_search(std::string_view tenant, const TextQuery& query, std::vector<ScoredEntity>* out);
  // Adds what it can: duplicates and invalid items are reported in
  // out->skipped, not as the returned status.
  Status add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out);
  Status add_relations_bulk(std::string_view tenant, std::span<const Relation> relations, BulkResult* out);
  Status get_stats(std::string_view tenant, Stats* out);
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
  void set_force_defaults(bool on) { force_defaults_.store(on); }

  // ---- Health and metrics ----
  // One cheap call to the backend (a point lookup in the global tenant): OK
  // when it answered, found or not, else what went wrong. *seconds, when
  // given, receives how long it took.
  Status probe(double* seconds = nullptr);
  // Records the latency and status of every call into the plugin from now
  // on. Call before the store is shared between threads; without it the
  // store measures nothing and pays nothing.
  void enable_metrics();
  bool metrics_enabled() const { return metered_ != nullptr; }
  // Prometheus text format: latency histograms and outcome counts per
  // backend call (when enabled), and the plugin's gauges (pool use, memory).
  Status metrics_text(std::string* out);
  // The plugin's own account of its state as (key, text) lines, such as a
  // degradation store's mode and last error; empty when it gives none.
  Status state(std::vector<std::pair<std::string, std::string>>* out);

 private:
  friend class Registry;
  friend struct StoreAccess;
  Store(std::shared_ptr<Library> library, const gs_plugin_descriptor* descriptor, gs_store* handle,
        PluginInfo info);

  std::shared_ptr<Library> library_;
  const gs_plugin_descriptor* descriptor_;
  const gs_store_api* api_;
  gs_store* handle_;
  PluginInfo info_;
  bool serial_;
  std::mutex serial_mutex_;
  std::atomic<bool> force_defaults_{false};
  std::unique_ptr<Metered> metered_;  // set by enable_metrics; api_ and handle_ then point into it
};

}  // namespace graphstore

#endif  // GRAPHSTORE_STORE_HPP
