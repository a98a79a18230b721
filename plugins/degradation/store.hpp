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
#include "graphstore/host_store.hpp"
#include "journal.hpp"
#include "options.hpp"
#include "record_codec.hpp"

namespace graphstore::degradation {

class DegradingStore {
 public:
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<DegradingStore>* out);
  ~DegradingStore();

  // Reads go to the serving store as they came (forward_slot); writes and
  // bulk adds are journaled while degraded; gauges and state report on both
  // stores. plugin.hpp checks each list against the methods.
  using forwarded_slots =
      sdk::Slots<sdk::Slot::get_entity, sdk::Slot::get_relation, sdk::Slot::get_neighbors, sdk::Slot::for_each_entity,
                 sdk::Slot::for_each_relation, sdk::Slot::list_tenants, sdk::Slot::traverse, sdk::Slot::find_paths,
                 sdk::Slot::subgraph, sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::vector_search,
                 sdk::Slot::text_search, sdk::Slot::get_stats>;
  using native_slots = sdk::Slots<sdk::Slot::add_entities_bulk, sdk::Slot::add_relations_bulk,
                                  sdk::Slot::collect_gauges, sdk::Slot::collect_state, sdk::Slot::clear,
                                  sdk::Slot::delete_by_source>;

  // ---- Tier 1 writes ----
  sdk::Status add_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status update_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status delete_entity(std::string_view tenant, std::string_view id);
  sdk::Status add_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status update_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status delete_relation(std::string_view tenant, std::string_view id);
  sdk::Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);

  // ---- Reads: the serving store's slot with the call's arguments (all but
  // store and errbuf). A Tier 2 slot the serving store lacks answers
  // UNSUPPORTED, so that the core runs its default over this store's Tier 1,
  // which routes each call. ----
  template <sdk::Slot S, class... A>
  sdk::Status forward_slot(A... args) {
    using Info = sdk::SlotInfo<S>;
    return read([&](sdk::HostStore& s) {
      if (!s.has(Info::member, Info::end))
        return sdk::make_error(GS_UNSUPPORTED,
                               std::string(s.plugin_id()) + " has no native " + std::string(Info::name));
      return s.call(s.api().*Info::member, args...);
    });
  }

  // ---- Tier 2 and optional, native ----
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n, sdk::SkipSink skip,
                                 uint64_t* added);
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  sdk::Status collect_state(sdk::StateSink sink);
  // ---- Removals (removal.cpp): the primary's, UNAVAILABLE while degraded ----
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

 private:
  enum Mode : int { kNormal = 0, kDegraded = 1 };

  DegradingStore(const gs_host* host, Options options) : host_(host), options_(std::move(options)) {}

  // Routing (read below, the others in store.cpp). call is
  // sdk::Status(sdk::HostStore&).
  template <class Call>
  sdk::Status read(Call call);
  template <class Call>
  sdk::Status write(std::string_view tenant, const gs_write_op& op, Call call);
  template <class Item>
  sdk::Status bulk_add(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                       uint64_t* added);
  using RemovalCall = std::function<sdk::Status(sdk::HostStore&)>;
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
  sdk::Status apply_group(sdk::HostStore& target, const std::vector<const DecodedBatch*>& group,
                          const std::vector<uint64_t>& offsets);
  // Applies one journal record to target: as one batch, or write by write as
  // upserts when the batch conflicts with what target already holds. A write
  // target refuses for good goes to the rejected file when keep_refused, else
  // fails the call.
  sdk::Status apply_record(sdk::HostStore& target, const DecodedBatch& batch, uint64_t offset, bool keep_refused);
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
  std::unique_ptr<sdk::HostStore> primary_owner_;  // set once, by open or the health thread
  std::atomic<sdk::HostStore*> primary_{nullptr};
  std::unique_ptr<sdk::HostStore> fallback_;
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

// On the serving store: the primary while normal, else the fallback under its
// shared lock; failures of the primary count towards degrading.
template <class Call>
inline sdk::Status DegradingStore::read(Call call) {
  if (mode_.load(std::memory_order_acquire) == kNormal)
    return after_primary(call(*primary_.load(std::memory_order_acquire)));
  std::shared_lock lock(fallback_mutex_);
  // A recovery that finished meanwhile replaced the fallback: ask the primary.
  if (mode_.load(std::memory_order_acquire) == kNormal) {
    lock.unlock();
    return after_primary(call(*primary_.load(std::memory_order_acquire)));
  }
  return from_fallback(call(*fallback_));
}

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_STORE_HPP
