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
//
// Threads: every method may be called from any thread, concurrently with any
// other (swap included) while the handle lives. Callbacks: the fn of
// with_store, and the callbacks of the Store calls it makes, must not call
// this handle's write methods or swap(): such a call returns INVALID_ARGUMENT
// "<op> called from inside a callback of the same store handle" at once,
// instead of deadlocking on the swap lock. A with_store or plugin() inside
// fn runs on the store fn already holds. The Store rule (store.hpp) applies
// to the Store fn receives.
#ifndef GRAPHSTORE_STORE_HANDLE_HPP
#define GRAPHSTORE_STORE_HANDLE_HPP

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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
  // Takes the store that calls go to until the first swap; store must not
  // be null.
  explicit StoreHandle(std::unique_ptr<Store> store);
  // Closes the current store. Must not run while another thread calls the
  // handle.
  ~StoreHandle();
  StoreHandle(const StoreHandle&) = delete;
  StoreHandle& operator=(const StoreHandle&) = delete;

  // Runs fn(Store&) on the current store and returns what fn returns; a
  // swap waits for it to return, so the store stays current while fn runs.
  // An exception from fn passes through. fn must not call this handle's
  // writes or swap() (see the header comment); a nested with_store runs on
  // the same store without waiting.
  template <class Fn>
  auto with_store(Fn&& fn) -> std::invoke_result_t<Fn&, Store&> {
    using Result = std::invoke_result_t<Fn&, Store&>;
    if constexpr (std::is_void_v<Result>) {
      visit([&fn](Store& store) { fn(store); });
    } else {
      std::optional<Result> result;
      visit([&fn, &result](Store& store) { result.emplace(fn(store)); });
      return std::move(*result);
    }
  }

  // ---- Writes, recorded while a migrating swap copies ----
  // Each is the Store method of the same name on the current store (same
  // success, failures and outputs; store.hpp), recorded for the catch-up
  // while a migrating swap copies, plus INVALID_ARGUMENT when called from a
  // callback of this handle. A write may wait while a switch is under way
  // or while the catch-up's log is full; it never fails because of a swap.
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

  // Makes next the current store (see the header comment). OK when calls
  // now go to next. INVALID_ARGUMENT when next is null or when called from
  // a callback of this handle; with options.migrate, the copy's or the
  // catch-up's failure, prefixed "swap: copying to ID: " or "swap: catching
  // up on ID: ". On failure the current store stays, unchanged, next is
  // closed, *report and *previous are untouched. With previous, the
  // replaced store is handed back instead of closed. One swap runs at a
  // time; a second waits for the first.
  Status swap(std::unique_ptr<Store> next, const SwapOptions& options, SwapReport* report = nullptr,
              std::unique_ptr<Store>* previous = nullptr);

  // The plugin of the current store. Never fails.
  PluginInfo plugin();

  // The private state (core/src/store_handle.cpp): the swap lock, the
  // write log and the throttle.
  struct Impl;

 private:
  // Runs fn on the current store under the swap lock (with_store's body).
  void visit(const std::function<void(Store&)>& fn);

  std::unique_ptr<Impl> impl_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_STORE_HANDLE_HPP
