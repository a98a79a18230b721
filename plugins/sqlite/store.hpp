// SqliteStore: the plugin's store object over one SQLite database.
//
// Connection model. A file database has one writer connection, guarded by a
// mutex, and a pool of read-only reader connections: a read takes an idle
// reader (opening one when none is idle) and gives it back afterwards, so
// readers on many threads run in parallel and, under WAL, never wait for the
// writer. ":memory:" cannot be shared between connections, so it has one
// connection behind a recursive mutex that every call takes. Either way the
// store is GS_THREADING_CONCURRENT; the host never calls it from inside one of its
// own sinks (abi.h's re-entrancy rule).
//
// Writes run in BEGIN IMMEDIATE transactions: one per single-record call,
// per apply_batch and per bulk call, rolled back on any failure. Across
// processes SQLite's file locks serialise writers; one that cannot get the
// lock within `timeout` returns UNAVAILABLE ("database is locked ...").
// Multi-statement reads run inside one read transaction (one snapshot).
#ifndef GRAPHSTORE_SQLITE_STORE_HPP
#define GRAPHSTORE_SQLITE_STORE_HPP

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "connection.hpp"
#include "endpoint_cache.hpp"
#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"
#include "options.hpp"
#include "vector_indexes.hpp"

namespace graphstore::sqlite {

// The state of one write transaction: the next free rid, the changes to the
// per-type counters (written once before COMMIT) and where new text goes.
//
// Text index. FTS5 writes a new segment at every commit that touched it,
// which costs more than the rest of a one-record write. So the text of a
// single-record write goes to text_pending, a plain table, and moves into
// entity_text (FTS5) once text_pending holds kPendingText rows, inside the
// write that fills it; bulk adds write entity_text directly. Text search
// reads both, so every committed write is searchable at once.
struct WriteState {
  static constexpr int64_t kPendingText = 256;
  explicit WriteState(Connection& conn) : c(conn) {}
  Connection& c;
  bool direct_text = false;  // bulk: straight into entity_text
  bool pending_written = false;
  // The store's endpoint cache: filled by entity adds, read by relation
  // writes, cleared by entity removals and by the store after a rollback of
  // a write that filled it.
  EndpointCache* endpoints = nullptr;
  bool endpoints_filled = false;
  using CountKey = std::tuple<std::string, int, std::string>;
  std::map<CountKey, std::pair<int64_t, int64_t>> counts;
  std::pair<int64_t, int64_t>* last_count = nullptr;  // the entry count() touched last
  const CountKey* last_key = nullptr;

  // An entity's rid: the cache, else the entities_key index; 0 when absent.
  int64_t entity_rid(std::string_view tenant, std::string_view id);
  void remember_entity(std::string_view tenant, std::string_view id, int64_t rid);
  // Before removing entities: their rids must not be found again.
  void forget_entities();
  void count(std::string_view tenant, int kind, std::string_view type, int64_t n, int64_t tokens);
  void flush_counts();
  // Adds (removes) an entity's text to (from) the index.
  void add_text(int64_t rid, const std::string& body);
  void remove_text(int64_t rid, const std::string& body);
  // Before COMMIT: the counters, and text_pending into entity_text when full.
  void finish();
};

class SqliteStore {
 public:
  // Every Tier 2 slot natively, gauges and state (plugin.hpp checks each against its method).
  using native_slots = sdk::Slots<sdk::Slot::traverse, sdk::Slot::find_paths, sdk::Slot::subgraph,
                                  sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::vector_search,
                                  sdk::Slot::text_search, sdk::Slot::add_entities_bulk, sdk::Slot::add_relations_bulk,
                                  sdk::Slot::get_stats, sdk::Slot::collect_gauges, sdk::Slot::collect_state,
                                  sdk::Slot::clear, sdk::Slot::delete_by_source>;

  explicit SqliteStore(Options options);
  ~SqliteStore();

  // Options: see README.md (path, timeout, journal_mode, synchronous,
  // cache_size, mmap_size, read_only, check_same_thread). Creates the parent
  // directory of a new file; checks, creates or upgrades the schema.
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<SqliteStore>* out);

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
  // All or nothing in one transaction; the message starts "batch op N: ".
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
  // One transaction per call; skipped items are reported after it ends.
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* entities, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* relations, size_t n,
                                 sdk::SkipSink skip, uint64_t* added);
  sdk::Status get_stats(std::string_view tenant, sdk::StatsSink sink);
  // Reader connections idle and lent (no query).
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  // vector_index: "exact", or "hnsw: N vectors, B bytes".
  // relation_indexes: "present", or "absent" while a bulk load left the
  // deferred indexes (adjacency among them)
  // to be built, as this store last saw them (another store of the file may
  // have dropped or built them since): what a caller reads before running a
  // neighbours call where a build would be unwelcome (the Python drop-in's
  // event loop).
  sdk::Status collect_state(sdk::StateSink sink);
  // Removals (removal.cpp, contracts in abi.h), each one write transaction.
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

 private:
  class Reader;
  // Runs fn(Connection&) -> sdk::Status on a reader (file) or the one
  // connection (":memory:"); SQLite errors become statuses.
  template <class Fn>
  sdk::Status read(std::string_view tenant, const Fn& fn);
  // Runs fn(WriteState&) -> sdk::Status in a write transaction, committed
  // when fn succeeds and rolled back otherwise.
  template <class Fn>
  sdk::Status write(std::string_view tenant, const Fn& fn, bool direct_text = false);
  // Runs attempt() -> sdk::Status, SQLite errors becoming statuses; when it
  // stopped because the deferred indexes are absent (schema.hpp), builds
  // them and runs it once more. So attempt must start afresh each time.
  template <class Fn>
  sdk::Status with_deferred_indexes(const Fn& attempt);
  sdk::Status build_deferred_indexes();
  template <class Item, class Add>
  sdk::Status bulk(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip, uint64_t* added,
                   const Add& add);

  std::unique_ptr<Connection> take_reader();
  void return_reader(std::unique_ptr<Connection> c);
  bool memory() const { return options_.in_memory(); }

  Options options_;
  std::unique_ptr<Connection> main_;  // the writer, or the only connection of :memory:
  std::mutex write_mu_;
  std::recursive_mutex memory_mu_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  size_t lent_readers_ = 0;  // under pool_mu_
  // A bulk add of this store dropped the deferred indexes: it builds them
  // before it closes unless a call built them first (writes.cpp).
  std::atomic<bool> dropped_indexes_{false};
  // Whether the deferred indexes were there when this store last looked:
  // at open, at its own drop and at a build (collect_state). Cleared inside
  // the dropping transaction, before its commit, so no caller trusts them
  // while the drop commits; a load that then rolls back leaves it clear
  // until the next build or open, which only sends callers the slower way.
  std::atomic<bool> indexes_seen_{true};
  // Under the write lock (write_mu_, or memory_mu_ for ":memory:"). Emptied
  // too when the deferred indexes are built: the load that filled it is over.
  EndpointCache endpoints_;
  int64_t data_version_ = -1;  // PRAGMA data_version when endpoints_ was last checked
  // The HNSW graphs (vector_index: hnsw); present, and idle, without it.
  std::unique_ptr<VectorIndexes> vectors_;
};

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_STORE_HPP
