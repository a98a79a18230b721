// StoreHandle: the store behind a long-running host, swappable while calls
// go on (store_handle.hpp has the contract).
#include "graphstore/store_handle.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <type_traits>
#include <vector>

#include "graphstore/migrate.hpp"
#include "reentry.hpp"
#include "write_stamps.hpp"

namespace graphstore {
namespace {

using Clock = std::chrono::steady_clock;

// The most logged writes the catch-up lets accumulate before writers wait;
// about what is left to replay while calls wait for the switch.
constexpr size_t kLogBound = 1000;
// Consecutive logged writes of one tenant replayed as one batch.
constexpr size_t kReplayBatch = 1000;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Copies stamped as Store would stamp them, so that the logged copy of a
// write is what the old store received.
template <class Record>
Record stamped_add(Record r, Timestamp now) {
  stamp_added(&r, now);
  return r;
}
template <class Record>
Record stamped_update(Record r, Timestamp now) {
  stamp_updated(&r, now);
  return r;
}

void append(WriteBatch* batch, const WriteBatch::Op& op) {
  switch (op.kind) {
    case WriteBatch::Kind::kAddEntity: batch->add_entity(op.entity); break;
    case WriteBatch::Kind::kUpdateEntity: batch->update_entity(op.entity); break;
    case WriteBatch::Kind::kDeleteEntity: batch->delete_entity(op.id); break;
    case WriteBatch::Kind::kAddRelation: batch->add_relation(op.relation); break;
    case WriteBatch::Kind::kUpdateRelation: batch->update_relation(op.relation); break;
    case WriteBatch::Kind::kDeleteRelation: batch->delete_relation(op.id); break;
  }
}

WriteBatch stamped(const WriteBatch& batch) {
  Timestamp now = now_us();
  WriteBatch out;
  for (auto op : batch.ops()) {
    if (op.kind == WriteBatch::Kind::kAddEntity) op.entity = stamped_add(op.entity, now);
    if (op.kind == WriteBatch::Kind::kUpdateEntity) op.entity = stamped_update(op.entity, now);
    if (op.kind == WriteBatch::Kind::kAddRelation) op.relation = stamped_add(op.relation, now);
    if (op.kind == WriteBatch::Kind::kUpdateRelation) op.relation = stamped_update(op.relation, now);
    append(&out, op);
  }
  return out;
}

// One logged write applied so that the target ends as the source did: an
// add of an id the copy already brought is an update, an update of a record
// it missed is an add, a delete of an absent record is done, and a relation
// whose endpoint is absent is left out (the endpoint's delete comes later in
// the log, and with it the relation's).
Status upsert(Store& target, std::string_view tenant, const WriteBatch::Op& op) {
  Status s;
  switch (op.kind) {
    case WriteBatch::Kind::kAddEntity:
      s = target.add_entity(tenant, op.entity);
      if (s.is_already_exists()) s = target.update_entity(tenant, op.entity);
      return s;
    case WriteBatch::Kind::kUpdateEntity:
      s = target.update_entity(tenant, op.entity);
      if (s.is_not_found()) s = target.add_entity(tenant, op.entity);
      return s;
    case WriteBatch::Kind::kDeleteEntity:
      s = target.delete_entity(tenant, op.id);
      return s.is_not_found() ? Status::Ok() : s;
    case WriteBatch::Kind::kAddRelation:
      s = target.add_relation(tenant, op.relation);
      if (s.is_already_exists()) s = target.update_relation(tenant, op.relation);
      return s.is_not_found() ? Status::Ok() : s;
    case WriteBatch::Kind::kUpdateRelation:
      s = target.update_relation(tenant, op.relation);
      if (s.is_not_found()) s = target.add_relation(tenant, op.relation);
      return s.is_not_found() ? Status::Ok() : s;
    case WriteBatch::Kind::kDeleteRelation:
      s = target.delete_relation(tenant, op.id);
      return s.is_not_found() ? Status::Ok() : s;
  }
  return Status::Ok();
}

}  // namespace

struct StoreHandle::Impl {
  struct LoggedWrite {
    std::string tenant;
    WriteBatch batch;
  };

  explicit Impl(std::unique_ptr<Store> store) : current(std::move(store)) {}

  // Runs write(store, log) on the current store: log is null when nothing
  // records; while recording, writes run one at a time and the one that
  // succeeds is kept with what it put in *log. `op` names the write in the
  // refusal of a call from a callback of this handle.
  template <class Write>
  Status write(const char* op, Write&& write);
  Status catch_up(Store& target, std::vector<LoggedWrite>* writes, uint64_t* replayed);
  std::vector<LoggedWrite> take_log();  // empties the log and wakes throttled writers
  void set_throttling(bool on);
  // New calls wait here while a switch is under way, so that the switch
  // waits only for the calls in flight (a reader-preferring shared mutex
  // would otherwise let a stream of readers hold it off).
  void pass_gate();
  void set_gate(bool closed);

  std::shared_mutex swap_mutex;  // shared by every call, exclusive for the switch
  std::unique_ptr<Store> current;
  std::mutex swap_in_progress;      // one swap at a time
  bool recording = false;           // guarded by swap_mutex (set and cleared exclusively)
  std::mutex record_mutex;          // serialises writes while recording, so the log is in store order
  std::vector<LoggedWrite> log;     // guarded by record_mutex
  std::atomic<size_t> log_size{0};  // log.size(), readable without the lock
  // While the catch-up runs, a write waits here when the log is full: the
  // writers go at the replay's pace, so that what is left for the switch
  // (when calls wait) stays small.
  std::atomic<bool> throttling{false};
  std::atomic<bool> gate_closed{false};
  std::mutex throttle_mutex;  // with throttle_cv, for the throttle and the gate
  std::condition_variable throttle_cv;
};

StoreHandle::StoreHandle(std::unique_ptr<Store> store) : impl_(std::make_unique<Impl>(std::move(store))) {}

StoreHandle::~StoreHandle() = default;

void StoreHandle::visit(const std::function<void(Store&)>& fn) {
  Impl& h = *impl_;
  // Inside a callback of this handle the swap lock is already held on this
  // thread: taking it again could wait behind a swap that waits for us.
  if (is_busy(&h)) {
    fn(*h.current);
    return;
  }
  BusyMark busy(&h);
  h.pass_gate();
  std::shared_lock lock(h.swap_mutex);
  fn(*h.current);
}

PluginInfo StoreHandle::plugin() {
  Impl& h = *impl_;
  if (is_busy(&h)) return h.current->plugin();
  h.pass_gate();
  std::shared_lock lock(h.swap_mutex);
  return h.current->plugin();
}

void StoreHandle::Impl::pass_gate() {
  if (!gate_closed.load(std::memory_order_acquire)) return;
  std::unique_lock wait(throttle_mutex);
  throttle_cv.wait(wait, [&] { return !gate_closed.load(); });
}

void StoreHandle::Impl::set_gate(bool closed) {
  {
    std::lock_guard wait(throttle_mutex);
    gate_closed.store(closed, std::memory_order_release);
  }
  throttle_cv.notify_all();
}

template <class Write>
Status StoreHandle::Impl::write(const char* op, Write&& write) {
  BusyMark busy(this);
  if (busy.reentered()) return reentered_error(op, "store handle");
  pass_gate();
  if (throttling.load(std::memory_order_acquire) && log_size.load(std::memory_order_acquire) >= kLogBound) {
    std::unique_lock wait(throttle_mutex);  // holding no other lock, so the switch is never held up
    throttle_cv.wait(wait, [&] { return !throttling.load() || log_size.load() < kLogBound; });
  }
  std::shared_lock lock(swap_mutex);
  if (!recording) return write(*current, nullptr);
  std::lock_guard record_lock(record_mutex);
  LoggedWrite logged;
  Status s = write(*current, &logged);
  if (s.ok() && !logged.batch.empty()) {
    log.push_back(std::move(logged));
    log_size.store(log.size(), std::memory_order_release);
  }
  return s;
}

std::vector<StoreHandle::Impl::LoggedWrite> StoreHandle::Impl::take_log() {
  std::vector<LoggedWrite> taken;
  {
    std::lock_guard record_lock(record_mutex);
    taken.swap(log);
    log_size.store(0, std::memory_order_release);
  }
  // Through the mutex, so that a writer about to wait sees the new size.
  { std::lock_guard wait(throttle_mutex); }
  throttle_cv.notify_all();
  return taken;
}

void StoreHandle::Impl::set_throttling(bool on) {
  {
    std::lock_guard wait(throttle_mutex);
    throttling.store(on, std::memory_order_release);
  }
  throttle_cv.notify_all();
}

// Each write below runs as is when nothing records; while recording, it
// stamps the record first so that the logged copy is what the store got.

Status StoreHandle::add_entity(std::string_view tenant, const Entity& entity) {
  return impl_->write("add_entity", [&](Store& s, Impl::LoggedWrite* log) {
    if (log == nullptr) return s.add_entity(tenant, entity);
    log->tenant = tenant;
    log->batch.add_entity(stamped_add(entity, now_us()));
    return s.add_entity(tenant, log->batch.ops().back().entity);
  });
}

Status StoreHandle::update_entity(std::string_view tenant, const Entity& entity) {
  return impl_->write("update_entity", [&](Store& s, Impl::LoggedWrite* log) {
    if (log == nullptr) return s.update_entity(tenant, entity);
    log->tenant = tenant;
    log->batch.update_entity(stamped_update(entity, now_us()));
    return s.update_entity(tenant, log->batch.ops().back().entity);
  });
}

Status StoreHandle::delete_entity(std::string_view tenant, std::string_view id) {
  return impl_->write("delete_entity", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr) {
      log->tenant = tenant;
      log->batch.delete_entity(std::string(id));
    }
    return s.delete_entity(tenant, id);
  });
}

Status StoreHandle::clear(std::string_view tenant, ClearScope scope, Removed* out) {
  if (out != nullptr) *out = Removed{};
  return impl_->write("clear", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr) return Unavailable("clear: a migrating swap is copying the store; retry once it has switched");
    return s.clear(tenant, scope, out);
  });
}

Status StoreHandle::delete_by_source(std::string_view tenant, std::string_view source, Removed* out) {
  if (out != nullptr) *out = Removed{};
  return impl_->write("delete_by_source", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr)
      return Unavailable("delete_by_source: a migrating swap is copying the store; retry once it has switched");
    return s.delete_by_source(tenant, source, out);
  });
}

Status StoreHandle::add_relation(std::string_view tenant, const Relation& relation) {
  return impl_->write("add_relation", [&](Store& s, Impl::LoggedWrite* log) {
    if (log == nullptr) return s.add_relation(tenant, relation);
    log->tenant = tenant;
    log->batch.add_relation(stamped_add(relation, now_us()));
    return s.add_relation(tenant, log->batch.ops().back().relation);
  });
}

Status StoreHandle::update_relation(std::string_view tenant, const Relation& relation) {
  return impl_->write("update_relation", [&](Store& s, Impl::LoggedWrite* log) {
    if (log == nullptr) return s.update_relation(tenant, relation);
    log->tenant = tenant;
    log->batch.update_relation(stamped_update(relation, now_us()));
    return s.update_relation(tenant, log->batch.ops().back().relation);
  });
}

Status StoreHandle::delete_relation(std::string_view tenant, std::string_view id) {
  return impl_->write("delete_relation", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr) {
      log->tenant = tenant;
      log->batch.delete_relation(std::string(id));
    }
    return s.delete_relation(tenant, id);
  });
}

Status StoreHandle::apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index) {
  return impl_->write("apply", [&](Store& s, Impl::LoggedWrite* log) {
    if (log == nullptr) return s.apply(tenant, batch, failed_index);
    log->tenant = tenant;
    log->batch = stamped(batch);
    return s.apply(tenant, log->batch, failed_index);
  });
}

// A bulk add logs the items the store added (not the ones it skipped).
template <class Record, class Add>
Status bulk_write(std::span<const Record> items, BulkResult* out, WriteBatch* log, Add add) {
  if (log == nullptr) return add(items);
  Timestamp now = now_us();
  std::vector<Record> copies;
  copies.reserve(items.size());
  for (const auto& item : items) copies.push_back(stamped_add(item, now));
  Status s = add(std::span<const Record>(copies));
  if (!s.ok()) return s;
  size_t next_skip = 0;
  for (size_t i = 0; i < copies.size(); ++i) {
    if (next_skip < out->skipped.size() && out->skipped[next_skip].index == i) {
      ++next_skip;
      continue;
    }
    if constexpr (std::is_same_v<Record, Entity>) log->add_entity(std::move(copies[i]));
    else log->add_relation(std::move(copies[i]));
  }
  return s;
}

Status StoreHandle::add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out) {
  return impl_->write("add_entities_bulk", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr) log->tenant = tenant;
    return bulk_write(entities, out, log ? &log->batch : nullptr,
                      [&](std::span<const Entity> items) { return s.add_entities_bulk(tenant, items, out); });
  });
}

Status StoreHandle::add_relations_bulk(std::string_view tenant, std::span<const Relation> relations,
                                       BulkResult* out) {
  return impl_->write("add_relations_bulk", [&](Store& s, Impl::LoggedWrite* log) {
    if (log != nullptr) log->tenant = tenant;
    return bulk_write(relations, out, log ? &log->batch : nullptr,
                      [&](std::span<const Relation> items) { return s.add_relations_bulk(tenant, items, out); });
  });
}

Status StoreHandle::Impl::catch_up(Store& target, std::vector<LoggedWrite>* writes, uint64_t* replayed) {
  // Tenants are separate namespaces, so each tenant's writes are replayed
  // in their own order, in batches of up to kReplayBatch writes; a batch
  // that conflicts with what the copy brought goes write by write, as
  // upserts.
  std::map<std::string_view, std::vector<const LoggedWrite*>> by_tenant;
  for (const auto& w : *writes) by_tenant[w.tenant].push_back(&w);
  for (const auto& [tenant, list] : by_tenant) {
    for (size_t i = 0; i < list.size();) {
      WriteBatch merged;
      size_t end = i;
      while (end < list.size() && (merged.empty() || merged.size() + list[end]->batch.size() <= kReplayBatch)) {
        for (const auto& op : list[end]->batch.ops()) append(&merged, op);
        ++end;
      }
      Status s = target.apply(tenant, merged);
      if (!s.ok()) {
        if (!s.is_already_exists() && !s.is_not_found()) return s;
        for (size_t k = i; k < end; ++k) {
          if (target.apply(tenant, list[k]->batch).ok()) continue;
          for (const auto& op : list[k]->batch.ops())
            if (Status u = upsert(target, tenant, op); !u.ok()) return u;
        }
      }
      *replayed += end - i;
      i = end;
    }
  }
  return Status::Ok();
}

Status StoreHandle::swap(std::unique_ptr<Store> next, const SwapOptions& options, SwapReport* report,
                         std::unique_ptr<Store>* previous) {
  if (next == nullptr) return InvalidArgument("swap: no store to swap to");
  Impl& h = *impl_;
  if (is_busy(&h)) return reentered_error("swap", "store handle");
  std::lock_guard one_swap(h.swap_in_progress);
  auto t0 = Clock::now();
  SwapReport r;
  auto stop_recording = [&] {
    h.set_throttling(false);
    h.set_gate(true);
    {
      std::unique_lock lock(h.swap_mutex);
      h.recording = false;
      h.take_log();
    }
    h.set_gate(false);
  };
  if (options.migrate) {
    h.set_gate(true);
    {
      // From here every write is logged: those before it are in the store
      // when the copy reads it.
      std::unique_lock lock(h.swap_mutex);
      h.recording = true;
    }
    h.set_gate(false);
    // Only a swap replaces h.current, and this is the one running.
    MigrateOptions copy;
    copy.batch_size = options.batch_size;
    copy.live_source = true;
    MigrateReport copied;
    if (Status s = migrate(*h.current, *next, copy, &copied); !s.ok()) {
      stop_recording();
      return Status(s.code(), "swap: copying to " + next->plugin().id + ": " + s.message());
    }
    r.copied_entities = copied.entities;
    r.copied_relations = copied.relations;
    // Catch up while calls go on, writers held to the replay's pace, until
    // what one pass finds is within the bound.
    h.set_throttling(true);
    for (;;) {
      std::vector<Impl::LoggedWrite> pending = h.take_log();
      if (Status s = h.catch_up(*next, &pending, &r.caught_up_writes); !s.ok()) {
        stop_recording();
        return Status(s.code(), "swap: catching up on " + next->plugin().id + ": " + s.message());
      }
      if (pending.size() <= kLogBound) break;
    }
  }
  auto paused = Clock::now();
  h.set_gate(true);
  Status switched;
  {
    std::unique_lock lock(h.swap_mutex);
    if (options.migrate) {
      std::vector<Impl::LoggedWrite> rest = h.take_log();
      h.recording = false;
      switched = h.catch_up(*next, &rest, &r.caught_up_writes);
    }
    if (switched.ok()) h.current.swap(next);
  }
  h.set_gate(false);
  h.set_throttling(false);
  r.paused_seconds = seconds_since(paused);
  if (!switched.ok())
    return Status(switched.code(), "swap: catching up on " + next->plugin().id + ": " + switched.message());
  r.seconds = seconds_since(t0);
  if (report != nullptr) *report = r;
  // next is now the replaced store: handed back, or closed outside the lock.
  if (previous != nullptr) *previous = std::move(next);
  return Status::Ok();
}

}  // namespace graphstore
