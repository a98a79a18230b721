// Leaving and regaining the primary: degrading, the health thread, the
// journal's replay, and putting a fresh fallback in place afterwards.
#include <chrono>
#include <exception>
#include <map>
#include <string_view>

#include "store.hpp"

namespace graphstore::degradation {
namespace {

// Pending records left when the replay stops letting writers append beside
// it and finishes under the journal lock.
constexpr uint64_t kCatchUpRecords = 64;
// The replay reads this many records at a time and moves the journal's
// replay offset past them once they are all applied.
constexpr size_t kChunkRecords = 1000;
// A tenant's records of a chunk go to the primary in batches of up to this
// many writes (one transaction on a database).
constexpr size_t kGroupWrites = 1000;

int64_t steady_now_ns() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

int32_t ignore_entity(void*, const gs_entity*) { return 0; }

}  // namespace

void DegradingStore::log(int32_t level, const std::string& message) const {
  if (host_->log != nullptr) host_->log(host_->ctx, level, sdk::str(message));
}

void DegradingStore::set_last_error(const std::string& message) {
  std::lock_guard lock(last_error_mutex_);
  last_error_ = message;
}

std::string DegradingStore::last_error() const {
  std::lock_guard lock(last_error_mutex_);
  return last_error_.empty() ? std::string("unavailable") : last_error_;
}

void DegradingStore::degrade(const std::string& reason) {
  set_last_error(reason);
  int expected = kNormal;
  // The store also starts degraded (mode_ begins so): count that too.
  bool was_normal = mode_.compare_exchange_strong(expected, kDegraded, std::memory_order_acq_rel);
  if (!was_normal && degraded_since_ns_.load() != 0) return;
  degraded_since_ns_.store(steady_now_ns());
  degradations_.fetch_add(1);
  log(GS_LOG_WARN, "degradation: degraded, serving from the fallback and journaling writes to '" +
                       journal_->path() + "': " + reason);
}

sdk::Status DegradingStore::open_primary() {
  std::unique_ptr<sdk::HostStore> primary;
  if (sdk::Status s = sdk::HostStore::open(host_, options_.primary_section, &primary); !s.ok()) return s;
  primary_owner_ = std::move(primary);
  primary_.store(primary_owner_.get(), std::memory_order_release);
  return sdk::Status::Ok();
}

sdk::Status DegradingStore::probe_primary() {
  sdk::HostStore* p = primary_.load(std::memory_order_acquire);
  sdk::Status s = p->call(p->api().get_entity, sdk::str(""), sdk::str("graphstore:health-probe"), &ignore_entity,
                          static_cast<void*>(nullptr));
  return s.code == GS_NOT_FOUND ? sdk::Status::Ok() : s;
}

void DegradingStore::health_loop() {
  auto interval = std::chrono::duration<double>(options_.health_interval_s);
  std::unique_lock lock(health_mutex_);
  while (!stop_) {
    health_cv_.wait_for(lock, interval);
    if (stop_) break;
    lock.unlock();
    // This thread is the plugin's own: an exception here (out of memory)
    // would end the host process, so it is caught and the check tried again
    // at the next interval.
    try {
      if (mode_.load(std::memory_order_acquire) == kNormal) {
        if (sdk::Status s = probe_primary(); !s.ok()) degrade("the health probe failed: " + s.message);
      } else {
        (void)try_recover();
      }
    } catch (const std::exception& e) {
      log(GS_LOG_ERROR, std::string("degradation: health check failed: ") + e.what());
    } catch (...) {
      log(GS_LOG_ERROR, "degradation: health check failed");
    }
    lock.lock();
  }
}

sdk::Status DegradingStore::try_recover() {
  std::lock_guard replay_lock(replay_mutex_);
  if (mode_.load(std::memory_order_acquire) == kNormal) return sdk::Status::Ok();
  sdk::Status s;
  if (primary_.load(std::memory_order_acquire) == nullptr) s = open_primary();
  if (s.ok()) s = probe_primary();
  int64_t replay_start = steady_now_ns();
  double degraded_seconds = 0;
  uint64_t replayed_before = replayed_.load();
  // Replay without the journal lock while writers keep appending, as long as
  // each pass at least halves what is left; then the rest under the lock
  // (writers wait rather than outrun the replay), and switch while no
  // degraded write can start.
  for (uint64_t left = journal_->pending(); s.ok() && left > kCatchUpRecords;) {
    s = replay_range(journal_->replayed(), journal_->end());
    uint64_t now_left = journal_->pending();
    if (now_left > left / 2) break;
    left = now_left;
  }
  if (s.ok()) {
    std::lock_guard journal_lock(journal_mutex_);
    s = replay_range(journal_->replayed(), journal_->end());
    if (s.ok()) s = journal_->reset();
    if (s.ok()) {
      failures_.store(0, std::memory_order_relaxed);
      degraded_seconds = static_cast<double>(steady_now_ns() - degraded_since_ns_.exchange(0)) / 1e9;
      mode_.store(kNormal, std::memory_order_release);
      // The error that degraded the store is over and the journal is empty:
      // a stale message would read as writes still waiting for the primary.
      set_last_error("");
      // Still under the journal lock, so that a write of an outage that
      // begins right now waits for the fresh fallback rather than land in
      // the old one.
      reset_fallback();
    }
  }
  if (!s.ok()) {
    set_last_error(s.message);
    return s;
  }
  recoveries_.fetch_add(1);
  log(GS_LOG_WARN, "degradation: the primary is back; " + std::to_string(replayed_.load() - replayed_before) +
                       " journal records replayed in " +
                       std::to_string(static_cast<double>(steady_now_ns() - replay_start) / 1e9) +
                       " s; normal again after " + std::to_string(degraded_seconds) + " s degraded");
  return s;
}

sdk::Status DegradingStore::replay_range(uint64_t from, uint64_t to) {
  sdk::HostStore& primary = *primary_.load(std::memory_order_acquire);
  std::string payload;
  for (uint64_t offset = from; offset < to;) {
    // A chunk of records, then each tenant's writes in their order (tenants
    // are separate namespaces, so records of different tenants may be
    // replayed out of their mutual order), in batches of up to kGroupWrites.
    std::vector<DecodedBatch> chunk;
    std::vector<uint64_t> offsets;
    uint64_t chunk_end = offset;
    while (chunk_end < to && chunk.size() < kChunkRecords) {
      uint64_t next = 0;
      if (sdk::Status s = journal_->read(chunk_end, &payload, &next); !s.ok()) return s;
      chunk.emplace_back();
      if (sdk::Status s = decode_batch(payload, &chunk.back()); !s.ok())
        return sdk::make_error(s.code, "journal '" + journal_->path() + "' at offset " + std::to_string(chunk_end) +
                                           ": " + s.message);
      offsets.push_back(chunk_end);
      chunk_end = next;
    }
    std::map<std::string_view, std::vector<size_t>> by_tenant;
    for (size_t i = 0; i < chunk.size(); ++i) by_tenant[chunk[i].tenant].push_back(i);
    for (const auto& [tenant, records] : by_tenant) {
      for (size_t k = 0; k < records.size();) {
        std::vector<const DecodedBatch*> group;
        std::vector<uint64_t> group_offsets;
        for (size_t writes = 0; k < records.size(); ++k) {
          const DecodedBatch& b = chunk[records[k]];
          if (!group.empty() && writes + b.ops.size() > kGroupWrites) break;
          writes += b.ops.size();
          group.push_back(&b);
          group_offsets.push_back(offsets[records[k]]);
        }
        if (sdk::Status s = apply_group(primary, group, group_offsets); !s.ok())
          return sdk::make_error(s.code, "replaying the journal to the primary: " + s.message);
      }
    }
    // The header moves past the chunk only once all of it is applied; a
    // crash before replays the chunk again, harmlessly.
    replayed_.fetch_add(chunk.size(), std::memory_order_relaxed);
    if (sdk::Status s = journal_->mark_replayed(chunk_end, chunk.size()); !s.ok()) return s;
    offset = chunk_end;
  }
  return sdk::Status::Ok();
}

sdk::Status DegradingStore::apply_group(sdk::HostStore& target, const std::vector<const DecodedBatch*>& group,
                                        const std::vector<uint64_t>& offsets) {
  if (group.size() > 1) {
    WriteBatchView view(group);
    size_t failed = 0;
    sdk::Status s = target.call(target.api().apply_batch, view.tenant(), view.ops(), view.size(), &failed);
    if (s.ok() || (s.code != GS_ALREADY_EXISTS && s.code != GS_NOT_FOUND)) return s;
  }
  // A conflict: record by record, each falling back to upserts.
  for (size_t i = 0; i < group.size(); ++i)
    if (sdk::Status s = apply_record(target, *group[i], offsets[i], true); !s.ok()) return s;
  return sdk::Status::Ok();
}

sdk::Status DegradingStore::apply_record(sdk::HostStore& target, const DecodedBatch& batch, uint64_t offset,
                                         bool keep_refused) {
  const DecodedBatch* one[] = {&batch};
  WriteBatchView view(one);
  size_t failed = 0;
  sdk::Status s = target.call(target.api().apply_batch, view.tenant(), view.ops(), view.size(), &failed);
  if (s.ok() || (s.code != GS_ALREADY_EXISTS && s.code != GS_NOT_FOUND)) return s;
  // The record meets what the target holds: a replay cut short after
  // applying it, or ids that also exist there. Apply write by write, each
  // as an upsert, so that the target ends as the journal says.
  const gs_store_api& api = target.api();
  gs_str tenant = view.tenant();
  for (size_t i = 0; i < view.size(); ++i) {
    const gs_write_op& op = view.op(i);
    sdk::Status r;
    switch (op.kind) {
      case GS_OP_ADD_ENTITY:
      case GS_OP_UPDATE_ENTITY: {
        bool add_first = op.kind == GS_OP_ADD_ENTITY;
        r = target.call(add_first ? api.add_entity : api.update_entity, tenant, op.entity);
        if (r.code == (add_first ? GS_ALREADY_EXISTS : GS_NOT_FOUND))
          r = target.call(add_first ? api.update_entity : api.add_entity, tenant, op.entity);
        break;
      }
      case GS_OP_ADD_RELATION:
      case GS_OP_UPDATE_RELATION: {
        bool add_first = op.kind == GS_OP_ADD_RELATION;
        r = target.call(add_first ? api.add_relation : api.update_relation, tenant, op.relation);
        if (r.code == (add_first ? GS_ALREADY_EXISTS : GS_NOT_FOUND))
          r = target.call(add_first ? api.update_relation : api.add_relation, tenant, op.relation);
        break;
      }
      case GS_OP_DELETE_ENTITY:
        r = target.call(api.delete_entity, tenant, op.id);
        if (r.code == GS_NOT_FOUND) r = sdk::Status::Ok();
        break;
      case GS_OP_DELETE_RELATION:
        r = target.call(api.delete_relation, tenant, op.id);
        if (r.code == GS_NOT_FOUND) r = sdk::Status::Ok();
        break;
    }
    if (r.ok()) continue;
    if (r.code == GS_UNAVAILABLE || r.code == GS_INTERNAL || r.code == GS_RESOURCE_EXHAUSTED || !keep_refused)
      return r;
    // The target refuses this write for good (an endpoint it does not hold):
    // keep it in the rejected file and say so, rather than stall every later
    // write behind it.
    if (rejected_ == nullptr) {
      if (sdk::Status o = Journal::open(journal_->path() + ".rejected", &rejected_); !o.ok()) return o;
    }
    std::string one;
    const gs_write_op* ops[] = {&op};
    encode_batch(sdk::view(tenant), ops, 1, &one);
    if (sdk::Status a = rejected_->append(one); !a.ok()) return a;
    rejected_count_.fetch_add(1);
    log(GS_LOG_ERROR, "degradation: journal record at offset " + std::to_string(offset) + ", write " +
                          std::to_string(i) + " refused (" + r.message + "); kept in '" + rejected_->path() + "'");
  }
  return sdk::Status::Ok();
}

sdk::Status DegradingStore::rebuild_fallback_from_journal() {
  std::string payload;
  DecodedBatch batch;
  for (uint64_t offset = journal_->begin(), next = 0; offset < journal_->end(); offset = next) {
    if (sdk::Status s = journal_->read(offset, &payload, &next); !s.ok()) return s;
    if (sdk::Status s = decode_batch(payload, &batch); !s.ok())
      return sdk::make_error(s.code, "journal '" + journal_->path() + "' at offset " + std::to_string(offset) + ": " +
                                         s.message);
    if (sdk::Status s = apply_record(*fallback_, batch, offset, false); !s.ok())
      return sdk::make_error(s.code, "loading the journal into the fallback: " + s.message);
  }
  return sdk::Status::Ok();
}

void DegradingStore::reset_fallback() {
  // What the fallback holds now is on the primary too; a fresh one keeps the
  // next outage from serving what is stale by then.
  std::unique_ptr<sdk::HostStore> fresh;
  if (sdk::Status s = sdk::HostStore::open(host_, options_.fallback_section, &fresh); !s.ok()) {
    log(GS_LOG_WARN, "degradation: keeping the old fallback, a fresh one cannot be opened: " + s.message);
    return;
  }
  std::unique_lock lock(fallback_mutex_);
  fallback_.swap(fresh);
  lock.unlock();
  // fresh (the old fallback) closes here, outside the lock.
}

}  // namespace graphstore::degradation
