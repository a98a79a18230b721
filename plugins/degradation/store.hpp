// DegradingStore: the degradation plugin's store. Every call goes to the
// primary until it has answered UNAVAILABLE max_failures times in a row or
// failed a health probe; then reads go to the fallback and writes to the
// journal (synced) and the fallback. The health thread probes the primary
// every health_interval; once it answers, the journal is replayed to it in
// order, idempotently, and only then do calls go back to the primary.
// README.md states what reads may miss meanwhile.
#ifndef GRAPHSTORE_DEGRADATION_STORE_HPP
#define GRAPHSTORE_DEGRADATION_STORE_HPP

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "graphstore/plugin.hpp"
#include "inner_store.hpp"
#include "journal.hpp"
#include "options.hpp"
#include "record_codec.hpp"

namespace graphstore::degradation {

class DegradingStore {
 public:
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<DegradingStore>* out);
  ~DegradingStore();

  // ---- Tier 1 ----
  sdk::Status add_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink);
  sdk::Status update_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status delete_entity(std::string_view tenant, std::string_view id);
  sdk::Status add_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink);
  sdk::Status update_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status delete_relation(std::string_view tenant, std::string_view id);
  sdk::Status get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                            std::string_view relation_type, sdk::NeighborSink sink);
  sdk::Status for_each_entity(std::string_view tenant, sdk::EntitySink sink);
  sdk::Status for_each_relation(std::string_view tenant, sdk::RelationSink sink);
  sdk::Status list_tenants(sdk::TenantSink sink);
  sdk::Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);

  // ---- Tier 2: the serving store's slot, or UNSUPPORTED for the core's default ----
  sdk::Status traverse(std::string_view tenant, const gs_traverse_params& p, sdk::TraverseSink sink, bool* truncated);
  sdk::Status find_paths(std::string_view tenant, const gs_paths_params& p, sdk::PathSink sink, bool* truncated);
  sdk::Status subgraph(std::string_view tenant, const gs_str* ids, size_t n, sdk::EntitySink entities,
                       sdk::RelationSink relations);
  sdk::Status scan_entities(std::string_view tenant, const gs_scan_params& p, sdk::EntitySink sink);
  sdk::Status scan_relations(std::string_view tenant, const gs_scan_params& p, sdk::RelationSink sink);
  sdk::Status vector_search(std::string_view tenant, const gs_vector_params& p, sdk::ScoredSink sink);
  sdk::Status text_search(std::string_view tenant, const gs_text_params& p, sdk::ScoredSink sink);
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n,
                                 sdk::SkipSink skip, uint64_t* added);
  sdk::Status get_stats(std::string_view tenant, sdk::StatsSink sink);
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  sdk::Status collect_state(sdk::StateSink sink);
  // ---- Removals (removal.cpp): the primary's, UNAVAILABLE while degraded ----
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

 private:
  enum Mode : int { kNormal = 0, kDegraded = 1 };

  DegradingStore(const gs_host* host, Options options) : host_(host), options_(std::move(options)) {}

  // Routing (store.cpp). call is sdk::Status(InnerStore&).
  template <class Call>
  sdk::Status read(Call call);
  template <class Call>
  sdk::Status write(std::string_view tenant, const gs_write_op& op, Call call);
  template <class Item>
  sdk::Status bulk_add(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                       uint64_t* added);
  using RemovalCall = std::function<sdk::Status(InnerStore&)>;
  sdk::Status removal(const char* op, RemovalCall call);
  sdk::Status after_primary(sdk::Status s);
  sdk::Status from_fallback(sdk::Status s);
  // Appends the writes to the journal, then runs apply on the fallback; the
  // journal record is rolled back if apply fails. Holds journal_mutex_.
  template <class Apply>
  sdk::Status journaled(std::string_view tenant, const gs_write_op* const* ops, size_t n, Apply apply);

  // Modes and recovery (recovery.cpp).
  void degrade(const std::string& reason);
  void health_loop();
  sdk::Status probe_primary();
  sdk::Status open_primary();
  // Opens the primary if needed, probes it, replays the journal and returns
  // to normal; leaves the store degraded and says why otherwise.
  sdk::Status try_recover();
  sdk::Status replay_range(uint64_t from, uint64_t to);
  sdk::Status apply_group(InnerStore& target, const std::vector<const DecodedBatch*>& group,
                          const std::vector<uint64_t>& offsets);
  // Applies one journal record to target: as one batch, or write by write as
  // upserts when the batch conflicts with what target already holds. A write
  // target refuses for good goes to the rejected file when keep_refused, else
  // fails the call.
  sdk::Status apply_record(InnerStore& target, const DecodedBatch& batch, uint64_t offset, bool keep_refused);
  sdk::Status rebuild_fallback_from_journal();
  void reset_fallback();
  void set_last_error(const std::string& message);
  std::string last_error() const;
  double degraded_seconds() const;  // of the current outage; 0 when normal
  void log(int32_t level, const std::string& message) const;

  const gs_host* host_;
  Options options_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Journal> rejected_;  // writes the primary refused at replay, opened on first use

  std::atomic<int> mode_{kDegraded};
  std::unique_ptr<InnerStore> primary_owner_;  // set once, by open or the health thread
  std::atomic<InnerStore*> primary_{nullptr};
  std::unique_ptr<InnerStore> fallback_;
  std::shared_mutex fallback_mutex_;  // exclusive only to replace the fallback after a recovery
  std::mutex journal_mutex_;          // degraded writes, and the switch back to normal
  std::mutex replay_mutex_;           // one recovery at a time

  std::atomic<uint32_t> failures_{0};           // consecutive UNAVAILABLE answers of the primary
  std::atomic<int64_t> degraded_since_ns_{0};   // steady clock, while degraded
  std::atomic<uint64_t> degradations_{0}, recoveries_{0}, replayed_{0}, rejected_count_{0};
  mutable std::mutex last_error_mutex_;
  std::string last_error_;

  std::mutex health_mutex_;
  std::condition_variable health_cv_;
  bool stop_ = false;
  std::thread health_thread_;
};

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_STORE_HPP
