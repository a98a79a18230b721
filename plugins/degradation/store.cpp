#include "store.hpp"

#include <chrono>
#include <cstdio>
#include <type_traits>
#include <vector>

namespace graphstore::degradation {

// ---- Opening and closing --------------------------------------------------

sdk::Status DegradingStore::open(const gs_host* host, std::string_view options_json,
                                 std::unique_ptr<DegradingStore>* out) {
  Options options;
  if (sdk::Status s = parse_options(options_json, &options); !s.ok()) return s;
  if (sdk::Status s = sdk::HostStore::check_host(host, "degradation"); !s.ok()) return s;
  std::unique_ptr<DegradingStore> store(new DegradingStore(host, std::move(options)));
  const Options& o = store->options_;
  if (sdk::Status s = Journal::open(o.journal_path, &store->journal_); !s.ok()) return s;
  for (const JournalRepair& r : store->journal_->repairs())
    store->log(r.damaged ? GS_LOG_ERROR : GS_LOG_WARN, "degradation: " + r.message);
  if (sdk::Status s = sdk::HostStore::open(host, o.fallback_section, &store->fallback_); !s.ok())
    return sdk::make_error(s.code, "option 'fallback': " + s.message);
  // A primary that cannot be reached starts the store degraded; one that is
  // misconfigured is an error now.
  if (sdk::Status s = store->open_primary(); !s.ok()) {
    if (s.code != GS_UNAVAILABLE) return sdk::make_error(s.code, "option 'primary': " + s.message);
    store->degrade("the primary cannot be opened: " + s.message);
  }
  if (store->primary_.load() != nullptr && store->journal_->pending() == 0) {
    store->mode_.store(kNormal);
  } else {
    // Writes left in the journal by an earlier run: replay them now if the
    // primary answers, else serve them from the fallback until it does.
    if (store->primary_.load() != nullptr) {
      store->degrade("the journal holds writes not yet replayed to the primary");
      (void)store->try_recover();
    }
    if (store->mode_.load() == kDegraded)
      if (sdk::Status s = store->rebuild_fallback_from_journal(); !s.ok()) return s;
  }
  store->health_thread_ = std::thread([s = store.get()] { s->health_loop(); });
  *out = std::move(store);
  return sdk::Status::Ok();
}

DegradingStore::~DegradingStore() {
  {
    std::lock_guard lock(health_mutex_);
    stop_ = true;
  }
  health_cv_.notify_all();
  if (health_thread_.joinable()) health_thread_.join();
}

// ---- Routing ----------------------------------------------------------------

namespace {
bool is_failure_of_the_store(gs_status code) {
  return code == GS_UNAVAILABLE || code == GS_INTERNAL || code == GS_RESOURCE_EXHAUSTED || code == GS_CORRUPTION;
}
}  // namespace

sdk::Status DegradingStore::after_primary(sdk::Status s) {
  if (s.code != GS_UNAVAILABLE) {
    if (failures_.load(std::memory_order_relaxed) != 0) failures_.store(0, std::memory_order_relaxed);
    return s;
  }
  uint32_t n = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  set_last_error(s.message);
  if (n >= options_.max_failures) {
    degrade("the primary answered UNAVAILABLE " + std::to_string(n) + " times in a row: " + s.message);
    s.message = "primary: " + s.message + " (now degraded: the next calls go to the fallback)";
  } else {
    s.message = "primary: " + s.message + " (failure " + std::to_string(n) + " of " +
                std::to_string(options_.max_failures) + " before degrading)";
  }
  return s;
}

sdk::Status DegradingStore::from_fallback(sdk::Status s) {
  if (!is_failure_of_the_store(s.code)) return s;
  return sdk::make_error(GS_UNAVAILABLE, "degraded, and both stores failed: primary: " + last_error() +
                                             "; fallback: " + s.message);
}

template <class Apply>
sdk::Status DegradingStore::journaled(std::string_view tenant, const gs_write_op* const* ops, size_t n, Apply apply) {
  uint64_t mark = journal_->end();
  std::string record;
  encode_batch(tenant, ops, n, &record);
  if (sdk::Status s = journal_->append(record); !s.ok())
    return sdk::make_error(GS_UNAVAILABLE, "degraded, and the journal failed: primary: " + last_error() +
                                               "; journal: " + s.message);
  std::shared_lock lock(fallback_mutex_);
  sdk::Status s = apply(*fallback_);
  if (!s.ok()) {
    if (sdk::Status r = journal_->rollback(mark); !r.ok())
      log(GS_LOG_ERROR, "degradation: cannot take back a refused write from the journal: " + r.message);
    return from_fallback(std::move(s));
  }
  return s;
}

template <class Call>
sdk::Status DegradingStore::write(std::string_view tenant, const gs_write_op& op, Call call) {
  for (;;) {
    if (mode_.load(std::memory_order_acquire) == kNormal)
      return after_primary(call(*primary_.load(std::memory_order_acquire)));
    std::unique_lock lock(journal_mutex_);
    if (mode_.load(std::memory_order_acquire) == kNormal) continue;  // recovered meanwhile
    const gs_write_op* ops[] = {&op};
    return journaled(tenant, ops, 1, call);
  }
}

// ---- Tier 1 writes ------------------------------------------------------------

namespace {
gs_write_op entity_op(int32_t kind, const gs_entity& e) {
  gs_write_op op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.entity = &e;
  return op;
}
gs_write_op relation_op(int32_t kind, const gs_relation& r) {
  gs_write_op op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.relation = &r;
  return op;
}
gs_write_op delete_op(int32_t kind, std::string_view id) {
  gs_write_op op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.id = sdk::str(id);
  return op;
}
}  // namespace

sdk::Status DegradingStore::add_entity(std::string_view tenant, const gs_entity& e) {
  return write(tenant, entity_op(GS_OP_ADD_ENTITY, e),
               [&](sdk::HostStore& s) { return s.call(s.api().add_entity, sdk::str(tenant), &e); });
}

sdk::Status DegradingStore::update_entity(std::string_view tenant, const gs_entity& e) {
  return write(tenant, entity_op(GS_OP_UPDATE_ENTITY, e),
               [&](sdk::HostStore& s) { return s.call(s.api().update_entity, sdk::str(tenant), &e); });
}

sdk::Status DegradingStore::delete_entity(std::string_view tenant, std::string_view id) {
  return write(tenant, delete_op(GS_OP_DELETE_ENTITY, id),
               [&](sdk::HostStore& s) { return s.call(s.api().delete_entity, sdk::str(tenant), sdk::str(id)); });
}

sdk::Status DegradingStore::add_relation(std::string_view tenant, const gs_relation& r) {
  return write(tenant, relation_op(GS_OP_ADD_RELATION, r),
               [&](sdk::HostStore& s) { return s.call(s.api().add_relation, sdk::str(tenant), &r); });
}

sdk::Status DegradingStore::update_relation(std::string_view tenant, const gs_relation& r) {
  return write(tenant, relation_op(GS_OP_UPDATE_RELATION, r),
               [&](sdk::HostStore& s) { return s.call(s.api().update_relation, sdk::str(tenant), &r); });
}

sdk::Status DegradingStore::delete_relation(std::string_view tenant, std::string_view id) {
  return write(tenant, delete_op(GS_OP_DELETE_RELATION, id),
               [&](sdk::HostStore& s) { return s.call(s.api().delete_relation, sdk::str(tenant), sdk::str(id)); });
}

sdk::Status DegradingStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                        size_t* failed_index) {
  auto apply = [&](sdk::HostStore& s) { return s.call(s.api().apply_batch, sdk::str(tenant), ops, n, failed_index); };
  for (;;) {
    if (mode_.load(std::memory_order_acquire) == kNormal)
      return after_primary(apply(*primary_.load(std::memory_order_acquire)));
    std::unique_lock lock(journal_mutex_);
    if (mode_.load(std::memory_order_acquire) == kNormal) continue;
    return journaled(tenant, ops, n, apply);
  }
}

// ---- Bulk adds ---------------------------------------------------------------

namespace {
// Forwards a bulk add's skips to the host and remembers which items they were.
struct SkipCollector {
  sdk::SkipSink outer;
  std::vector<bool> skipped;
  static int32_t on_skip(void* ctx, size_t index, gs_status status, gs_str message) {
    auto* self = static_cast<SkipCollector*>(ctx);
    if (index < self->skipped.size()) self->skipped[index] = true;
    self->outer(index, status, message);
    return 0;
  }
};
}  // namespace

template <class Item>
sdk::Status DegradingStore::bulk_add(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                                     uint64_t* added) {
  constexpr bool kEntities = std::is_same_v<Item, gs_entity>;
  auto has_slot = [](sdk::HostStore& s) {
    if constexpr (kEntities) return GS_HOST_STORE_HAS(s, add_entities_bulk);
    else return GS_HOST_STORE_HAS(s, add_relations_bulk);
  };
  auto call = [&](sdk::HostStore& s, gs_skip_sink fn, void* ctx, uint64_t* count) {
    if constexpr (kEntities) return s.call(s.api().add_entities_bulk, sdk::str(tenant), items, n, fn, ctx, count);
    else return s.call(s.api().add_relations_bulk, sdk::str(tenant), items, n, fn, ctx, count);
  };
  auto unsupported = [](sdk::HostStore& s) {
    return sdk::make_error(GS_UNSUPPORTED, std::string(s.plugin_id()) + " has no native bulk add");
  };
  for (;;) {
    if (mode_.load(std::memory_order_acquire) == kNormal) {
      sdk::HostStore& p = *primary_.load(std::memory_order_acquire);
      return has_slot(p) ? after_primary(call(p, skip.fn, skip.ctx, added)) : unsupported(p);
    }
    std::unique_lock journal_lock(journal_mutex_);
    if (mode_.load(std::memory_order_acquire) == kNormal) continue;
    std::shared_lock fallback_lock(fallback_mutex_);
    sdk::HostStore& f = *fallback_;
    if (!has_slot(f)) return unsupported(f);  // the core adds item by item, each journaled
    // The fallback decides what is skipped; only what it added is journaled.
    SkipCollector collector{skip, std::vector<bool>(n, false)};
    uint64_t count = 0;
    if (sdk::Status s = call(f, &SkipCollector::on_skip, &collector, &count); !s.ok()) return from_fallback(s);
    std::vector<gs_write_op> ops;
    ops.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (collector.skipped[i]) continue;
      if constexpr (kEntities) ops.push_back(entity_op(GS_OP_ADD_ENTITY, *items[i]));
      else ops.push_back(relation_op(GS_OP_ADD_RELATION, *items[i]));
    }
    std::vector<const gs_write_op*> pointers;
    pointers.reserve(ops.size());
    for (const auto& op : ops) pointers.push_back(&op);
    std::string record;
    encode_batch(tenant, pointers.data(), pointers.size(), &record);
    if (sdk::Status s = journal_->append(record); !s.ok()) {
      // Take the items back out of the fallback: unjournaled, they would be
      // lost at the next recovery.
      for (const auto& op : ops) {
        gs_str id = kEntities ? op.entity->id : op.relation->id;
        auto del = kEntities ? f.api().delete_entity : f.api().delete_relation;
        (void)f.call(del, sdk::str(tenant), id);
      }
      return sdk::make_error(GS_UNAVAILABLE, "degraded, and the journal failed: primary: " + last_error() +
                                                 "; journal: " + s.message);
    }
    *added = count;
    return sdk::Status::Ok();
  }
}

sdk::Status DegradingStore::add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n,
                                              sdk::SkipSink skip, uint64_t* added) {
  return bulk_add(tenant, items, n, skip, added);
}

sdk::Status DegradingStore::add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n,
                                               sdk::SkipSink skip, uint64_t* added) {
  return bulk_add(tenant, items, n, skip, added);
}

// ---- Gauges -------------------------------------------------------------------

namespace {
// Forwards an inner store's gauges with a prefix naming its role.
struct PrefixedGauges {
  sdk::GaugeSink outer;
  std::string prefix;
  static int32_t on_gauge(void* ctx, gs_str name, gs_str help, double value) {
    auto* self = static_cast<PrefixedGauges*>(ctx);
    std::string full = self->prefix + std::string(sdk::view(name));
    std::string text = self->prefix.substr(0, self->prefix.size() - 1) + ": " + std::string(sdk::view(help));
    sdk::report_gauge(self->outer, full, text, value);
    return 0;
  }
};
}  // namespace

double DegradingStore::degraded_seconds() const {
  if (mode_.load(std::memory_order_acquire) != kDegraded) return 0;
  int64_t since = degraded_since_ns_.load(std::memory_order_relaxed);
  int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  return since != 0 ? static_cast<double>(now - since) / 1e9 : 0.0;
}

sdk::Status DegradingStore::collect_gauges(sdk::GaugeSink sink) {
  bool degraded = mode_.load(std::memory_order_acquire) == kDegraded;
  sdk::report_gauge(sink, "degradation_degraded", "1 while calls are served by the fallback, else 0", degraded);
  sdk::report_gauge(sink, "degradation_degraded_seconds", "How long the store has been degraded (0 when normal)",
                    degraded_seconds());
  sdk::report_gauge(sink, "degradation_consecutive_failures", "UNAVAILABLE answers of the primary in a row",
                    failures_.load(std::memory_order_relaxed));
  sdk::report_gauge(sink, "degradation_journal_pending_records", "Journaled writes not yet replayed to the primary",
                    static_cast<double>(journal_->pending()));
  sdk::report_gauge(sink, "degradation_journal_bytes", "Size of the journal file",
                    static_cast<double>(journal_->end()));
  uint64_t dropped_bytes = 0, dropped_records = 0;
  for (const JournalRepair& r : journal_->repairs()) {
    dropped_bytes += r.dropped_bytes;
    if (r.intact_records_dropped != UINT64_MAX) dropped_records += r.intact_records_dropped;
  }
  sdk::report_gauge(sink, "degradation_journal_dropped_bytes",
                    "Bytes cut off the journal at open because they were cut short or damaged",
                    static_cast<double>(dropped_bytes));
  sdk::report_gauge(sink, "degradation_journal_dropped_records",
                    "Intact records found after damage in the journal at open, and dropped with it",
                    static_cast<double>(dropped_records));
  sdk::report_gauge(sink, "degradation_degradations", "Times the store degraded since it was opened",
                    static_cast<double>(degradations_.load()));
  sdk::report_gauge(sink, "degradation_recoveries", "Times the store returned to the primary since it was opened",
                    static_cast<double>(recoveries_.load()));
  sdk::report_gauge(sink, "degradation_replayed_records", "Journal records replayed to the primary",
                    static_cast<double>(replayed_.load()));
  sdk::report_gauge(sink, "degradation_rejected_writes", "Journaled writes the primary refused at replay",
                    static_cast<double>(rejected_count_.load()));
  if (sdk::HostStore* p = primary_.load(std::memory_order_acquire); p != nullptr && GS_HOST_STORE_HAS(*p, collect_gauges)) {
    PrefixedGauges forward{sink, "primary_"};
    (void)p->call(p->api().collect_gauges, &PrefixedGauges::on_gauge, &forward);
  }
  std::shared_lock lock(fallback_mutex_);
  if (GS_HOST_STORE_HAS(*fallback_, collect_gauges)) {
    PrefixedGauges forward{sink, "fallback_"};
    (void)fallback_->call(fallback_->api().collect_gauges, &PrefixedGauges::on_gauge, &forward);
  }
  return sdk::Status::Ok();
}

sdk::Status DegradingStore::collect_state(sdk::StateSink sink) {
  bool degraded = mode_.load(std::memory_order_acquire) == kDegraded;
  sdk::HostStore* primary = primary_.load(std::memory_order_acquire);
  sdk::report_state(sink, "mode", degraded ? "degraded" : "normal");
  if (degraded) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", degraded_seconds());
    sdk::report_state(sink, "degraded_for_seconds", seconds);
  }
  sdk::report_state(sink, "primary", primary != nullptr ? primary->plugin_id() : "not open (unreachable at start)");
  {
    std::shared_lock lock(fallback_mutex_);
    sdk::report_state(sink, "fallback", fallback_->plugin_id());
  }
  sdk::report_state(sink, "consecutive_failures", std::to_string(failures_.load(std::memory_order_relaxed)));
  sdk::report_state(sink, "journal", journal_->path());
  sdk::report_state(sink, "journal_pending_records", std::to_string(journal_->pending()));
  sdk::report_state(sink, "rejected_writes", std::to_string(rejected_count_.load()));
  // Each repair of the journal at open, as its own line: what was wrong,
  // where, what was dropped and where it was kept.
  const auto& repairs = journal_->repairs();
  for (size_t i = 0; i < repairs.size(); ++i)
    sdk::report_state(sink, "journal_repair_" + std::to_string(i + 1), repairs[i].message);
  std::string error;
  {
    std::lock_guard lock(last_error_mutex_);
    error = last_error_;
  }
  sdk::report_state(sink, "last_error", error.empty() ? "none" : error);
  return sdk::Status::Ok();
}

}  // namespace graphstore::degradation
