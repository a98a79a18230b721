// PostgresStore: the postgres plugin's store object.
//
// Every call borrows a connection from a pool, runs its statements (each a
// prepared statement with bound parameters) and returns the connection before
// it hands results to the host, except for streamed scans, which return it
// between pages. Reads may go to a read replica (see read_consistency in
// README.md); writes always go to the primary. A tenant is a value of the
// tenant_id column; with row-level security the session's
// graphstore.tenant setting is set (set_config, bound parameter) before
// every call whose tenant differs from the connection's last.
//
// Thread-safety: every method may be called from any thread at once
// (GS_THREADING_CONCURRENT); connections are never shared between calls.
#ifndef GRAPHSTORE_POSTGRES_STORE_HPP
#define GRAPHSTORE_POSTGRES_STORE_HPP

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"
#include "deferred_indexes.hpp"
#include "options.hpp"
#include "pool.hpp"
#include "schema.hpp"

namespace graphstore::postgres {

// A text search that sums more text_stats rows than this folds them.
inline constexpr uint64_t kFoldTextStatsAbove = 64;

class PostgresStore {
 public:
  // Every Tier 2 slot natively, and gauges (plugin.hpp checks each against its method).
  using native_slots = sdk::Slots<sdk::Slot::traverse, sdk::Slot::find_paths, sdk::Slot::subgraph,
                                  sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::vector_search,
                                  sdk::Slot::text_search, sdk::Slot::add_entities_bulk, sdk::Slot::add_relations_bulk,
                                  sdk::Slot::get_stats, sdk::Slot::collect_gauges, sdk::Slot::clear,
                                  sdk::Slot::delete_by_source>;

  PostgresStore(const gs_host* host, PgOptions options);
  ~PostgresStore();

  // Parses the options (README.md), opens the pools (min_pool_size
  // connections to the primary at once) and creates or checks the schema.
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<PostgresStore>* out);

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
  // One transaction; on failure it is rolled back, *failed_index names the
  // op and the message starts with "batch op N: ".
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
  // COPY into the tables, one transaction per call; skipped items go to skip
  // after the transaction ends.
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* entities, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* relations, size_t n,
                                 sdk::SkipSink skip, uint64_t* added);
  sdk::Status get_stats(std::string_view tenant, sdk::StatsSink sink);
  // Pool use of the primary and the replicas (no query).
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  // Removals (removal.cpp, contracts in abi.h), each one transaction.
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

  // ---- Internal, shared by the implementation files ----
  // kLoad: a bulk add, the one kind of call that runs while secondary
  // indexes are deferred (deferred_indexes.hpp); any other call builds them
  // first.
  enum class Route { kWrite, kRead, kLoad };
  // Runs fn(Connection&) -> sdk::Status on a connection of route with the
  // session prepared for tenant; a pqxx exception becomes a status (see
  // errors.hpp). Reads fall back to the primary when no replica can be
  // reached. `where` names the call in messages.
  template <class Fn>
  sdk::Status run(std::string_view where, Route route, std::string_view tenant, const Fn& fn) {
    return run_impl(where, route, tenant, std::function<sdk::Status(Connection&)>(std::cref(fn)));
  }
  sdk::Status run_impl(std::string_view where, Route route, std::string_view tenant,
                       const std::function<sdk::Status(Connection&)>& fn);
  // A statement template ("@S" for the schema) made concrete.
  std::string sql(std::string_view tmpl) const { return with_schema(tmpl, quoted_schema_); }
  const ConnSettings& settings() const { return options_.primary; }
  const std::string& schema() const { return options_.schema; }
  const SchemaState& schema_state() const { return schema_state_; }
  // Call after a write committed (read_your_writes bookkeeping).
  void wrote() { writes_.fetch_add(1, std::memory_order_relaxed); }
  // Call after a bulk add of many rows: the next read first refreshes the
  // planner's statistics (ANALYZE), so plans fit the new data at once
  // instead of after autovacuum's next round.
  void loaded_in_bulk() { analyze_pending_.store(true, std::memory_order_relaxed); }
  // Deferring a table's secondary indexes (deferred_indexes.hpp), in a load's
  // transaction adding `adds` rows to the store's current run of loads: true
  // when it dropped them (call deferred() once that transaction committed).
  // Skips the check when this store deferred them.
  bool defer(pqxx::transaction_base& tx, Connection& c, Table table, size_t adds);
  void deferred(Table table) { deferred_[int(table)].store(true); }
  // Starts fn on another connection of the primary, prepared for tenant as
  // a read, on a thread of its own: work beside a transaction that holds
  // this call's connection. Never waits for the pool: nullopt (the caller
  // then does the work itself) when no connection is free or no thread
  // starts. The future's destructor waits for fn.
  std::optional<std::future<sdk::Status>> beside(std::string tenant, std::function<sdk::Status(Connection&)> fn);
  // The last bulk add found an id already stored: the next one looks ids up
  // before COPY instead of relying on the primary key to refuse them.
  std::atomic<bool> ids_collided{false};

 private:
  sdk::Status attempt(std::string_view where, Lease& lease, std::string_view tenant,
                      const std::function<sdk::Status(Connection&)>& fn, bool write);
  // Sets graphstore.tenant for row-level security when it differs.
  void prepare_session(Connection& c, std::string_view tenant, bool write);
  // A replica lease for a read, or an empty lease to use the primary.
  void replica_for_read(Lease* out);
  bool replica_caught_up(Connection& replica);
  void log(int32_t level, const std::string& message) const;
  // pgvector: creates the HNSW index for dim on the primary, once; a
  // missing extension is UNSUPPORTED naming pgvector.
  sdk::Status ensure_hnsw_index(std::string_view tenant, uint32_t dim);
  // This store has made sure the HNSW index for dim exists.
  bool hnsw_ready(uint32_t dim);
  // Builds the indexes a load deferred, once, before a call that needs them.
  void settle_indexes();
  // ANALYZE of both tables on the primary.
  sdk::Status analyze();
  // Folds the tenant's text_stats deltas (schema.cpp) into one row per type.
  void fold_text_stats(std::string_view tenant);

  const gs_host* host_;
  PgOptions options_;
  std::string quoted_schema_;
  SchemaState schema_state_;
  std::shared_ptr<Pool> primary_;
  std::vector<std::shared_ptr<Pool>> replicas_;
  std::unique_ptr<std::atomic<int64_t>[]> replica_down_until_ms_;
  std::atomic<size_t> next_replica_{0};
  std::atomic<uint64_t> writes_{0};       // writes committed through this store
  std::atomic<uint64_t> synced_writes_{0};  // writes a replica was seen to have replayed
  std::atomic<bool> analyze_pending_{false};
  std::atomic<bool> deferred_[2] = {false, false};  // by Table: this store dropped them, or found them recorded
  std::atomic<uint64_t> load_run_[2] = {0, 0};       // by Table: rows its loads added since its last other call
  std::mutex settle_mu_;
  std::mutex hnsw_mu_;
  std::unordered_set<uint32_t> hnsw_dims_;  // dimensions whose HNSW index exists (pgvector)
  std::mutex tenants_mu_;
  std::unordered_set<std::string> registered_tenants_;  // in the tenants table
};

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_STORE_HPP
