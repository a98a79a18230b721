// StoreHandle: what a long-running host holds instead of a Store, so that it
// can move to another backend without restarting or relinking.
//
// Every call goes to the current store. swap() replaces it atomically: calls
// in flight finish on the old store, calls after the swap go to the new one,
// and none fails because of it. With SwapOptions::migrate the old store's
// data is copied first (migrate() with live_source) while calls go on; the
// writes made during the copy are recorded and caught up on the new store
// (replayed in order, as upserts), and only the last few are replayed while
// calls wait, just before the switch. While the catch-up runs, writes are
// held to its pace (a write waits while a full log is replayed), which bounds
// that wait.
//
// Writes must go through the handle's write methods to be caught up; read
// through with_store(). Tier 2 reads and everything else of Store are
// available through with_store too.
#ifndef GRAPHSTORE_STORE_HANDLE_HPP
#define GRAPHSTORE_STORE_HANDLE_HPP

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/store.hpp"
#include "graphstore/write_batch.hpp"

namespace graphstore {

struct SwapOptions {
  bool migrate = false;      // copy the current store's data into the new one first
  uint64_t batch_size = 5000;  // of the copy
};

struct SwapReport {
  uint64_t copied_entities = 0, copied_relations = 0;
  uint64_t caught_up_writes = 0;  // writes made during the copy, replayed on the new store
  double seconds = 0;             // the whole swap
  double paused_seconds = 0;      // how long calls waited for the switch
};

class StoreHandle {
 public:
  explicit StoreHandle(std::unique_ptr<Store> store);
  StoreHandle(const StoreHandle&) = delete;
  StoreHandle& operator=(const StoreHandle&) = delete;

  // Runs fn(Store&) on the current store; a swap waits for it to return.
  // fn must not call the handle again (the lock is not reentrant).
  template <class Fn>
  auto with_store(Fn&& fn) {
    pass_gate();
    std::shared_lock lock(swap_mutex_);
    return fn(*current_);
  }

  // ---- Writes, recorded while a migrating swap copies ----
  Status add_entity(std::string_view tenant, const Entity& entity);
  Status update_entity(std::string_view tenant, const Entity& entity);
  Status delete_entity(std::string_view tenant, std::string_view id);
  Status add_relation(std::string_view tenant, const Relation& relation);
  Status update_relation(std::string_view tenant, const Relation& relation);
  Status delete_relation(std::string_view tenant, std::string_view id);
  Status apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index = nullptr);
  Status add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out);
  Status add_relations_bulk(std::string_view tenant, std::span<const Relation> relations, BulkResult* out);
  // Store::clear and Store::delete_by_source on the current store. While a
  // migrating swap copies, they are UNAVAILABLE (nothing removed): the
  // catch-up replays record by record and a removal names none.
  Status clear(std::string_view tenant, ClearScope scope, Removed* out = nullptr);
  Status delete_by_source(std::string_view tenant, std::string_view source, Removed* out = nullptr);

  // Makes next the current store (see the header comment). On failure the
  // current store stays, unchanged, and next is closed. With previous, the
  // replaced store is handed back instead of closed.
  Status swap(std::unique_ptr<Store> next, const SwapOptions& options, SwapReport* report = nullptr,
              std::unique_ptr<Store>* previous = nullptr);

  // The plugin of the current store.
  PluginInfo plugin();

 private:
  struct LoggedWrite {
    std::string tenant;
    WriteBatch batch;
  };
  // Runs write(store, log) on the current store: log is null when nothing
  // records; while recording, writes run one at a time and the one that
  // succeeds is kept with what it put in *log.
  template <class Write>
  Status write(Write&& write);
  Status catch_up(Store& target, std::vector<LoggedWrite>* writes, uint64_t* replayed);
  std::vector<LoggedWrite> take_log();  // empties the log and wakes throttled writers
  void set_throttling(bool on);
  // New calls wait here while a switch is under way, so that the switch
  // waits only for the calls in flight (a reader-preferring shared mutex
  // would otherwise let a stream of readers hold it off).
  void pass_gate();
  void set_gate(bool closed);

  std::shared_mutex swap_mutex_;   // shared by every call, exclusive for the switch
  std::unique_ptr<Store> current_;
  std::mutex swap_in_progress_;    // one swap at a time
  bool recording_ = false;         // guarded by swap_mutex_ (set and cleared exclusively)
  std::mutex record_mutex_;        // serialises writes while recording, so the log is in store order
  std::vector<LoggedWrite> log_;   // guarded by record_mutex_
  std::atomic<size_t> log_size_{0};  // log_.size(), readable without the lock
  // While the catch-up runs, a write waits here when the log is full: the
  // writers go at the replay's pace, so that what is left for the switch
  // (when calls wait) stays small.
  std::atomic<bool> throttling_{false};
  std::atomic<bool> gate_closed_{false};
  std::mutex throttle_mutex_;            // with throttle_cv_, for the throttle and the gate
  std::condition_variable throttle_cv_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_STORE_HANDLE_HPP
