// Store: the host API over one plugin store. Validates input, fills
// timestamps, serialises calls to non-thread-safe plugins, chooses native
// Tier 2 slots or the core's defaults, and copies results out of the views.
#include "graphstore/store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <iterator>
#include <new>
#include <system_error>
#include <thread>

#include "convert.hpp"
#include "defaults.hpp"
#include "library.hpp"
#include "metered.hpp"
#include "result_bytes.hpp"
#include "sink.hpp"
#include "validate.hpp"
#include "write_stamps.hpp"

namespace graphstore {
namespace {

struct ErrBuf {
  char buf[1024];
  gs_errbuf err{buf, sizeof buf};
  ErrBuf() { buf[0] = '\0'; }
};

Status error_status(gs_status st, const ErrBuf& e, const char* op) {
  if (st < GS_OK || st > GS_ABI_MISMATCH)
    return Internal(std::string(op) + ": plugin returned unknown status " + std::to_string(st) +
                    (e.buf[0] ? std::string(": ") + e.buf : std::string()));
  Code code = static_cast<Code>(st);
  return Status(code, e.buf[0] ? std::string(e.buf) : std::string(op) + ": " + code_name(code));
}

inline Status to_status(gs_status st, const ErrBuf& e, const char* op) {
  if (st == GS_OK) [[likely]]
    return Status::Ok();
  return error_status(st, e, op);
}

// The record's view with absent timestamps stamped as an add does, written into
// *v. A bulk add fills its array this way: copying a returned view instead
// reads back a struct just patched, which stalls on store forwarding.
void stamp_into(const Entity& e, Timestamp now, gs_entity* v) {
  *v = entity_view(e);
  stamp_added(v, now);
}
void stamp_into(const Relation& r, Timestamp now, gs_relation* v) {
  *v = relation_view(r);
  stamp_added(v, now);
}
gs_entity stamped(const Entity& e, Timestamp now) {
  gs_entity v;
  stamp_into(e, now, &v);
  return v;
}
gs_relation stamped(const Relation& r, Timestamp now) {
  gs_relation v;
  stamp_into(r, now, &v);
  return v;
}

// Empties the error buffer among a call's arguments (the others are ignored).
inline void clear_errbuf(gs_errbuf* e) {
  if (e != nullptr && e->data != nullptr && e->capacity > 0) e->data[0] = '\0';
}
template <class T>
void clear_errbuf(const T&) {}
template <class... A>
void clear_errbufs(const A&... args) {
  (clear_errbuf(args), ...);
}
}  // namespace

// Calls a Tier 2 slot: the plugin's own when its table has the slot and fills
// it (and defaults are not forced), else the core's default over Tier 1; under
// the serialising lock when the plugin is not thread-safe. A slot that answers
// UNSUPPORTED before calling any sink hands the call to the default too: a
// decorator declares every slot and says so when the store it wraps lacks one.
#define GS_TIER2(slot, ...)                                                                                       \
  [&] {                                                                                                           \
    auto lock = maybe_lock(serial_, serial_mutex_);                                                               \
    bool native =                                                                                                 \
        !force_defaults_.load(std::memory_order_relaxed) && GS_HAS_FIELD(gs_store_api, api_, slot) && api_->slot; \
    if (native) {                                                                                                 \
      gs_status native_status = api_->slot(handle_, __VA_ARGS__);                                                 \
      if (native_status != GS_UNSUPPORTED) return native_status;                                                  \
      clear_errbufs(__VA_ARGS__);                                                                                 \
    }                                                                                                             \
    return defaults::slot({api_, handle_}, __VA_ARGS__);                                                          \
  }()

Store::Store(std::shared_ptr<Library> library, const gs_plugin_descriptor* descriptor, gs_store* handle,
             PluginInfo info)
    : library_(std::move(library)),
      descriptor_(descriptor),
      api_(descriptor->api),
      handle_(handle),
      info_(std::move(info)),
      serial_(descriptor->threading != GS_THREADING_CONCURRENT) {}

Store::~Store() { api_->close(handle_); }

namespace {
// Holds the store's mutex for the call when the plugin is not thread-safe.
std::unique_lock<std::mutex> maybe_lock(bool serial, std::mutex& m) {
  return serial ? std::unique_lock<std::mutex>(m) : std::unique_lock<std::mutex>();
}
}  // namespace

// ---- Tier 1 --------------------------------------------------------------

Status Store::add_entity(std::string_view tenant, const Entity& entity) {
  if (Status s = check_entity(tenant, entity); !s.ok()) return s;
  gs_entity v = stamped(entity, now_us());
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->add_entity(handle_, to_str(tenant), &v, &e.err), e, "add_entity");
}

Status Store::get_entity(std::string_view tenant, std::string_view id, Entity* out) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, "id"); !s.ok()) return s;
  auto sink = make_sink([out](const gs_entity& v) {
    assign(out, v);
    return true;
  });
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  gs_status st =
      api_->get_entity(handle_, to_str(tenant), to_str(id), &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "get_entity");
}

Status Store::update_entity(std::string_view tenant, const Entity& entity) {
  if (Status s = check_entity(tenant, entity); !s.ok()) return s;
  gs_entity v = entity_view(entity);
  stamp_updated(&v, now_us());
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->update_entity(handle_, to_str(tenant), &v, &e.err), e, "update_entity");
}

Status Store::delete_entity(std::string_view tenant, std::string_view id) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, "id"); !s.ok()) return s;
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->delete_entity(handle_, to_str(tenant), to_str(id), &e.err), e, "delete_entity");
}

Status Store::add_relation(std::string_view tenant, const Relation& relation) {
  if (Status s = check_relation(tenant, relation); !s.ok()) return s;
  gs_relation v = stamped(relation, now_us());
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->add_relation(handle_, to_str(tenant), &v, &e.err), e, "add_relation");
}

Status Store::get_relation(std::string_view tenant, std::string_view id, Relation* out) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, "id"); !s.ok()) return s;
  auto sink = make_sink([out](const gs_relation& v) {
    assign(out, v);
    return true;
  });
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  gs_status st =
      api_->get_relation(handle_, to_str(tenant), to_str(id), &relation_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "get_relation");
}

Status Store::update_relation(std::string_view tenant, const Relation& relation) {
  if (Status s = check_relation(tenant, relation); !s.ok()) return s;
  gs_relation v = relation_view(relation);
  stamp_updated(&v, now_us());
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->update_relation(handle_, to_str(tenant), &v, &e.err), e, "update_relation");
}

Status Store::delete_relation(std::string_view tenant, std::string_view id) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, "id"); !s.ok()) return s;
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  return to_status(api_->delete_relation(handle_, to_str(tenant), to_str(id), &e.err), e, "delete_relation");
}

Status Store::get_neighbors(std::string_view tenant, std::string_view id, Direction direction,
                            std::string_view relation_type, std::vector<Neighbor>* out) {
  out->clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(id, "id"); !s.ok()) return s;
  if (!relation_type.empty())
    if (Status s = check_id(relation_type, "relation_type"); !s.ok()) return s;
  auto sink = make_sink([out](const gs_relation& r, const gs_entity& n) {
    out->push_back(Neighbor{to_relation(r), to_entity(n)});
    return true;
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = maybe_lock(serial_, serial_mutex_);
    st = api_->get_neighbors(handle_, to_str(tenant), to_str(id), static_cast<int32_t>(direction),
                             to_str(relation_type), &neighbor_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  std::sort(out->begin(), out->end(),
            [](const Neighbor& a, const Neighbor& b) { return a.relation.id < b.relation.id; });
  return to_status(st, e, "get_neighbors");
}

Status Store::for_each_entity(std::string_view tenant, const std::function<bool(const Entity&)>& fn) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  Entity scratch;
  auto sink = make_sink([&](const gs_entity& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  gs_status st = api_->for_each_entity(handle_, to_str(tenant), &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "for_each_entity");
}

Status Store::for_each_relation(std::string_view tenant, const std::function<bool(const Relation&)>& fn) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  Relation scratch;
  auto sink = make_sink([&](const gs_relation& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  gs_status st =
      api_->for_each_relation(handle_, to_str(tenant), &relation_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "for_each_relation");
}

Status Store::list_tenants(std::vector<std::string>* out) {
  out->clear();
  auto sink = make_sink([out](gs_str t) {
    out->emplace_back(to_view(t));
    return true;
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = maybe_lock(serial_, serial_mutex_);
    st = api_->list_tenants(handle_, &tenant_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  std::sort(out->begin(), out->end());
  return to_status(st, e, "list_tenants");
}

Status Store::apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  const auto& ops = batch.ops();
  std::vector<gs_entity> entities(ops.size());
  std::vector<gs_relation> relations(ops.size());
  std::vector<gs_write_op> raw(ops.size());
  std::vector<const gs_write_op*> ptrs(ops.size());
  Timestamp now = now_us();
  for (size_t i = 0; i < ops.size(); ++i) {
    const auto& op = ops[i];
    gs_write_op& w = raw[i];
    w.struct_size = sizeof(gs_write_op);
    w.kind = static_cast<int32_t>(op.kind);
    Status s;
    switch (op.kind) {
      case WriteBatch::Kind::kAddEntity:
      case WriteBatch::Kind::kUpdateEntity:
        s = check_entity(tenant, op.entity);
        stamp_into(op.entity, now, &entities[i]);
        if (op.kind == WriteBatch::Kind::kUpdateEntity && op.entity.updated_at == kNoTimestamp)
          entities[i].updated_at = now;
        w.entity = &entities[i];
        break;
      case WriteBatch::Kind::kAddRelation:
      case WriteBatch::Kind::kUpdateRelation:
        s = check_relation(tenant, op.relation);
        stamp_into(op.relation, now, &relations[i]);
        if (op.kind == WriteBatch::Kind::kUpdateRelation && op.relation.updated_at == kNoTimestamp)
          relations[i].updated_at = now;
        w.relation = &relations[i];
        break;
      case WriteBatch::Kind::kDeleteEntity:
      case WriteBatch::Kind::kDeleteRelation:
        s = check_id(op.id, "id");
        w.id = to_str(op.id);
        break;
    }
    if (!s.ok()) {
      if (failed_index) *failed_index = i;
      return Status(s.code(), "batch op " + std::to_string(i) + ": " + s.message());
    }
    ptrs[i] = &raw[i];
  }
  size_t failed = 0;
  ErrBuf e;
  gs_status st;
  {
    auto lock = maybe_lock(serial_, serial_mutex_);
    st = api_->apply_batch(handle_, to_str(tenant), ptrs.data(), ptrs.size(), &failed, &e.err);
  }
  if (st != GS_OK && failed_index) *failed_index = failed;
  return to_status(st, e, "apply_batch");
}

// ---- Tier 2 --------------------------------------------------------------

Status Store::traverse(std::string_view tenant, std::string_view start_id, const TraverseOptions& options,
                       TraverseResult* out) {
  out->hits.clear();
  out->truncated = false;
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  gs_traverse_params p{};
  p.struct_size = sizeof p;
  p.start_id = to_str(start_id);
  p.direction = static_cast<int32_t>(options.direction);
  p.relation_type = to_str(options.relation_type);
  p.max_depth = options.max_depth;
  p.max_results = options.max_results;
  auto sink = make_sink([out](const gs_entity& en, uint32_t depth, const gs_relation* via) {
    TraverseHit hit{to_entity(en), depth, {}};
    if (via) assign(&hit.via, *via);
    out->hits.push_back(std::move(hit));
    return true;
  });
  int32_t truncated = 0;
  ErrBuf e;
  gs_status st;
  try {
    st = GS_TIER2(traverse, to_str(tenant), &p, &traverse_trampoline<decltype(sink.fn)>, &sink, &truncated, &e.err);
    sink.rethrow();
  } catch (const std::bad_alloc&) {
    std::vector<TraverseHit>().swap(out->hits);
    return Status(Code::kResourceExhausted, "traverse: out of memory holding the hits; ask for fewer (max_results)");
  }
  out->truncated = truncated != 0;
  return to_status(st, e, "traverse");
}

Status Store::find_paths(std::string_view tenant, std::string_view source_id, std::string_view target_id,
                         const PathOptions& options, PathResult* out) {
  out->paths.clear();
  out->truncated = false;
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  gs_paths_params p{};
  p.struct_size = sizeof p;
  p.source_id = to_str(source_id);
  p.target_id = to_str(target_id);
  p.relation_type = to_str(options.relation_type);
  p.max_depth = options.max_depth;
  // More paths than the budget can hold are never asked for, so a plugin
  // that gathers its answer before handing it over gathers a bounded one.
  const uint64_t fit = std::max<uint64_t>(1, options.max_result_bytes / kSmallestPathBytes);
  p.max_paths = std::min(options.max_paths, fit);
  uint64_t used = 0;
  bool over_budget = false;
  auto sink = make_sink([&](const gs_entity* const* es, size_t ne, const gs_relation* const* rs, size_t nr) {
    Path path;
    path.entities.reserve(ne);
    path.relations.reserve(nr);
    for (size_t i = 0; i < ne; ++i) path.entities.push_back(to_entity(*es[i]));
    for (size_t i = 0; i < nr; ++i) path.relations.push_back(to_relation(*rs[i]));
    uint64_t bytes = result_bytes(path);
    if (used + bytes > options.max_result_bytes) {
      over_budget = true;
      return false;
    }
    used += bytes;
    out->paths.push_back(std::move(path));
    return true;
  });
  int32_t truncated = 0;
  ErrBuf e;
  gs_status st;
  try {
    st = GS_TIER2(find_paths, to_str(tenant), &p, &path_trampoline<decltype(sink.fn)>, &sink, &truncated, &e.err);
    sink.rethrow();
  } catch (const std::bad_alloc&) {
    std::vector<Path>().swap(out->paths);
    return Status(Code::kResourceExhausted, "find_paths: out of memory after " + std::to_string(used) +
                                                " bytes of paths; ask for fewer paths or a lower max_result_bytes");
  }
  if (st != GS_OK) return to_status(st, e, "find_paths");
  // The plugin stopped at the budget's count with more paths to give, or a
  // path did not fit: the whole answer does not fit in the budget.
  bool cut = over_budget || (truncated != 0 && p.max_paths < options.max_paths);
  if (cut && !options.truncate_to_budget) {
    std::vector<Path>().swap(out->paths);
    return Status(Code::kResourceExhausted, "find_paths: the paths pass the result memory budget of " +
                                                std::to_string(options.max_result_bytes) +
                                                " bytes (max_result_bytes); ask for fewer paths, raise the "
                                                "budget, or accept a truncated answer (truncate_to_budget)");
  }
  out->truncated = truncated != 0 || cut;
  return Status::Ok();
}

namespace {
// Subgraph results arrive through two sinks sharing one context.
struct SubgraphCtx {
  Subgraph* out;
  std::exception_ptr error;
  static int32_t on_entity(void* ctx, const gs_entity* e) {
    auto* self = static_cast<SubgraphCtx*>(ctx);
    try {
      self->out->entities.push_back(to_entity(*e));
      return 0;
    } catch (...) {
      self->error = std::current_exception();
      return 1;
    }
  }
  static int32_t on_relation(void* ctx, const gs_relation* r) {
    auto* self = static_cast<SubgraphCtx*>(ctx);
    try {
      self->out->relations.push_back(to_relation(*r));
      return 0;
    } catch (...) {
      self->error = std::current_exception();
      return 1;
    }
  }
};
}  // namespace

Status Store::subgraph(std::string_view tenant, const std::vector<std::string>& ids, Subgraph* out) {
  out->entities.clear();
  out->relations.clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  std::vector<gs_str> raw;
  raw.reserve(ids.size());
  for (const auto& id : ids) raw.push_back(to_str(id));
  SubgraphCtx ctx{out, nullptr};
  ErrBuf e;
  gs_status st = GS_TIER2(subgraph, to_str(tenant), raw.data(), raw.size(), &SubgraphCtx::on_entity,
                          &SubgraphCtx::on_relation, &ctx, &e.err);
  if (ctx.error) {
    try {
      std::rethrow_exception(ctx.error);
    } catch (const std::bad_alloc&) {
      std::vector<Entity>().swap(out->entities);
      std::vector<Relation>().swap(out->relations);
      return Status(Code::kResourceExhausted, "subgraph: out of memory holding the records; ask for fewer ids");
    }
  }
  return to_status(st, e, "subgraph");
}

namespace {
gs_scan_params scan_params(const ScanOptions& o) {
  gs_scan_params p{};
  p.struct_size = sizeof p;
  p.type = to_str(o.type);
  p.after_id = to_str(o.after_id);
  p.offset = o.offset;
  p.limit = o.limit;
  return p;
}
}  // namespace

Status Store::scan_entities(std::string_view tenant, const ScanOptions& options,
                            const std::function<bool(const Entity&)>& fn) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  gs_scan_params p = scan_params(options);
  Entity scratch;
  auto sink = make_sink([&](const gs_entity& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st = GS_TIER2(scan_entities, to_str(tenant), &p, &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "scan_entities");
}

Status Store::scan_relations(std::string_view tenant, const ScanOptions& options,
                             const std::function<bool(const Relation&)>& fn) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  gs_scan_params p = scan_params(options);
  Relation scratch;
  auto sink = make_sink([&](const gs_relation& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st = GS_TIER2(scan_relations, to_str(tenant), &p, &relation_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "scan_relations");
}

Status Store::get_all_entities(std::string_view tenant, const ScanOptions& options, std::vector<Entity>* out) {
  out->clear();
  return scan_entities(tenant, options, [out](const Entity& e) {
    out->push_back(e);
    return true;
  });
}

Status Store::vector_search(std::string_view tenant, const VectorQuery& query, std::vector<ScoredEntity>* out) {
  out->clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (query.vector.empty()) return InvalidArgument("vector_search: the query vector is empty");
  for (float x : query.vector)
    if (!std::isfinite(x)) return InvalidArgument("vector_search: the query holds a non-finite value");
  gs_vector_params p{};
  p.struct_size = sizeof p;
  p.query = query.vector.data();
  p.dim = static_cast<uint32_t>(query.vector.size());
  p.k = query.k;
  p.entity_type = to_str(query.entity_type);
  p.min_score = query.min_score;
  auto sink = make_sink([out](const gs_entity& v, double score) {
    out->push_back(ScoredEntity{to_entity(v), score});
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(vector_search, to_str(tenant), &p, &scored_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "vector_search");
}

Status Store::text_search(std::string_view tenant, const TextQuery& query, std::vector<ScoredEntity>* out) {
  out->clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  int32_t method = static_cast<int32_t>(query.method);
  if (method < GS_TEXT_BM25 || method > GS_TEXT_LEVENSHTEIN)
    return InvalidArgument("text_search: unknown method " + std::to_string(method));
  gs_text_params p{};
  p.struct_size = sizeof p;
  p.query = to_str(query.text);
  p.method = method;
  p.k = query.k;
  p.entity_type = to_str(query.entity_type);
  p.min_score = query.min_score;
  auto sink = make_sink([out](const gs_entity& v, double score) {
    out->push_back(ScoredEntity{to_entity(v), score});
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(text_search, to_str(tenant), &p, &scored_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "text_search");
}

namespace {
Status check_item(std::string_view tenant, const Entity& e) { return check_entity_fields(tenant, e); }
Status check_item(std::string_view tenant, const Relation& r) { return check_relation_fields(tenant, r); }

// Checks items [from, to): writes each good one's stamped view to views[i]
// and sets ok[i]; appends the bad ones to *skipped, in order.
template <class Item, class View>
void check_range(std::string_view tenant, std::span<const Item> items, size_t from, size_t to, Timestamp now,
                 View* views, uint8_t* ok, std::vector<BulkResult::Skip>* skipped) {
  for (size_t i = from; i < to; ++i) {
    Status s = check_item(tenant, items[i]);
    ok[i] = s.ok();
    if (s.ok()) {
      stamp_into(items[i], now, &views[i]);
    } else {
      skipped->push_back({i, std::move(s)});
    }
  }
}

// Bulk calls at least this large check their second half on a helper
// thread: checking an item (UTF-8, JSON syntax) costs about as much as the
// in-memory backend's add of it, and the plugin has not started yet.
constexpr size_t kParallelCheckItems = 8192;

// A bulk add of either kind: the core's checks skip bad items before the
// plugin sees them; `call(items, count, skip_cb, skip_ctx, &added, err)` runs
// the plugin's slot or the default. Skips come back in input order.
template <class Item, class Call>
Status bulk_add(std::string_view tenant, std::span<const Item> items, const char* what, Call call, BulkResult* out) {
  out->added = 0;
  out->skipped.clear();
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  using View = decltype(stamped(items[0], 0));
  size_t n = items.size();
  // Not value-initialised: each view is written whole before use.
  std::unique_ptr<View[]> views(new View[n]);
  std::unique_ptr<uint8_t[]> ok(new uint8_t[n]);
  Timestamp now = now_us();
  size_t split = n;  // the helper thread checks [split, n)
  std::vector<BulkResult::Skip> late_skips;
  std::exception_ptr helper_error;
  std::thread helper;
  if (n >= kParallelCheckItems) {
    try {
      helper = std::thread([&, from = n / 2] {
        try {
          check_range(tenant, items, from, n, now, views.get(), ok.get(), &late_skips);
        } catch (...) {
          helper_error = std::current_exception();
        }
      });
      split = n / 2;
    } catch (const std::system_error&) {
      // No thread to be had: this one checks everything.
    }
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{helper};
  check_range(tenant, items, 0, split, now, views.get(), ok.get(), &out->skipped);
  if (helper.joinable()) helper.join();
  if (helper_error) std::rethrow_exception(helper_error);
  std::move(late_skips.begin(), late_skips.end(), std::back_inserter(out->skipped));
  std::vector<const View*> ptrs;
  std::vector<size_t> original_index;  // of each view passed, in the caller's input
  ptrs.reserve(n - out->skipped.size());
  original_index.reserve(n - out->skipped.size());
  for (size_t i = 0; i < n; ++i) {
    if (!ok[i]) continue;
    ptrs.push_back(&views[i]);
    original_index.push_back(i);
  }
  auto sink = make_sink([&](size_t index, gs_status status, gs_str message) {
    size_t original = index < original_index.size() ? original_index[index] : index;
    out->skipped.push_back({original, Status(static_cast<Code>(status), std::string(to_view(message)))});
    return true;
  });
  uint64_t added = 0;
  ErrBuf e;
  gs_status st = call(ptrs.data(), ptrs.size(), &skip_trampoline<decltype(sink.fn)>, &sink, &added, &e.err);
  sink.rethrow();
  std::sort(out->skipped.begin(), out->skipped.end(),
            [](const BulkResult::Skip& a, const BulkResult::Skip& b) { return a.index < b.index; });
  out->added = st == GS_OK ? added : 0;
  return to_status(st, e, what);
}
}  // namespace

Status Store::add_entities_bulk(std::string_view tenant, std::span<const Entity> entities, BulkResult* out) {
  return bulk_add(
      tenant, entities, "add_entities_bulk",
      [&](auto... args) { return GS_TIER2(add_entities_bulk, to_str(tenant), args...); }, out);
}

Status Store::add_relations_bulk(std::string_view tenant, std::span<const Relation> relations, BulkResult* out) {
  return bulk_add(
      tenant, relations, "add_relations_bulk",
      [&](auto... args) { return GS_TIER2(add_relations_bulk, to_str(tenant), args...); }, out);
}

Status Store::get_stats(std::string_view tenant, Stats* out) {
  *out = Stats{};
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  auto sink = make_sink([out](int32_t kind, gs_str type, uint64_t count) {
    std::string t(to_view(type));
    if (kind == GS_KIND_ENTITY) {
      out->entities_by_type[t] += count;
      out->entity_count += count;
    } else if (kind == GS_KIND_RELATION) {
      out->relations_by_type[t] += count;
      out->relation_count += count;
    }
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(get_stats, to_str(tenant), &stats_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "get_stats");
}

#undef GS_TIER2

// ---- Health and metrics --------------------------------------------------

Status Store::probe(double* seconds) {
  // A point lookup is one index probe (or one round trip) on every backend;
  // whether this id exists does not matter, only that the backend answers.
  Entity found;
  auto t0 = std::chrono::steady_clock::now();
  Status s = get_entity("", "graphstore:health-probe", &found);
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s.code() == Code::kNotFound ? Status::Ok() : s;
}

void Store::enable_metrics() {
  if (metered_) return;
  metered_ = std::make_unique<Metered>(api_, handle_);
  api_ = &metered_->table;
  handle_ = metered_->handle();
}

Status Store::metrics_text(std::string* out) {
  std::vector<Gauge> gauges;
  if (GS_HAS_FIELD(gs_store_api, api_, collect_gauges) && api_->collect_gauges) {
    auto sink = make_sink([&gauges](gs_str name, gs_str help, double value) {
      gauges.push_back(Gauge{std::string(to_view(name)), std::string(to_view(help)), value});
      return true;
    });
    ErrBuf e;
    auto lock = maybe_lock(serial_, serial_mutex_);
    gs_status st = api_->collect_gauges(handle_, &gauge_trampoline<decltype(sink.fn)>, &sink, &e.err);
    sink.rethrow();
    if (st != GS_OK) return to_status(st, e, "collect_gauges");
  }
  static const CallMetrics kNothingRecorded;
  const CallMetrics& metrics = metered_ ? metered_->metrics : kNothingRecorded;
  *out = metrics.prometheus(info_.id, gauges);
  return Status::Ok();
}

Status Store::state(std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  if (!GS_HAS_FIELD(gs_store_api, api_, collect_state) || api_->collect_state == nullptr) return Status::Ok();
  auto sink = make_sink([out](gs_str key, gs_str value) {
    out->emplace_back(std::string(to_view(key)), std::string(to_view(value)));
    return true;
  });
  ErrBuf e;
  auto lock = maybe_lock(serial_, serial_mutex_);
  gs_status st = api_->collect_state(handle_, &state_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "collect_state");
}

}  // namespace graphstore
