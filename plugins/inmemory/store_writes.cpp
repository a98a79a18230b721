// InMemoryStore: the multi-record writes, apply_batch and the bulk adds.
// Both apply ops to the live graph under its exclusive lock and remember how
// to undo each one; a failure replays the undo log backwards, so readers
// (who wait for the lock) never see a partial result.
#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "edge_linker.hpp"
#include "graphstore/abi_read.hpp"
#include "prefaulter.hpp"
#include "store.hpp"

namespace graphstore::inmemory {
namespace {

// How many items ahead a bulk add starts each prefetch stage (see
// Graph::prefetch_entity_slot): far enough for a miss to complete, near enough
// that the line is still cached.
constexpr size_t kAhead[3] = {16, 10, 4};

// How to undo one batch op.
struct Undo {
  int32_t kind = 0;
  bool applied = false;                     // the op took effect
  std::string id;                           // an added entity or relation
  sdk::OwnedEntity entity;                  // an updated or deleted entity
  std::vector<sdk::OwnedRelation> relations;  // relations deleted with an entity
  sdk::OwnedRelation relation;                // an updated or deleted relation
};

gs_entity read_item(const gs_entity& e) { return sdk::read_entity(e); }
gs_relation read_item(const gs_relation& r) { return sdk::read_relation(r); }

// A bulk item read from its ABI struct, its ids hashed once, and what the
// prefetch stages found (see Graph::prefetch_entity_slot).
template <class Item>
struct Staged;
template <>
struct Staged<gs_entity> {
  gs_entity item;
  EntityHashes hashes;
};
template <>
struct Staged<gs_relation> {
  gs_relation item;
  RelationHashes hashes;
  uint32_t source = kNone, target = kNone;  // likely slots of the endpoints (stage 2)
};

// Fills s in place (see sdk::read_entity). The ids are hashed from the
// caller's struct when it has every field: reading back the copy just
// written would stall on store forwarding, which waits for every earlier
// store of the loop to drain.
void stage_item(const gs_entity* raw, Staged<gs_entity>& s) {
  s.item.struct_size = 0;  // NULL
  if (raw == nullptr) return;
  sdk::read_entity(*raw, &s.item);
  s.hashes = hashes_of(raw->struct_size >= sizeof(gs_entity) ? *raw : s.item);
}
void stage_item(const gs_relation* raw, Staged<gs_relation>& s) {
  s.item.struct_size = 0;
  s.source = s.target = kNone;
  if (raw == nullptr) return;
  sdk::read_relation(*raw, &s.item);
  s.hashes = hashes_of(raw->struct_size >= sizeof(gs_relation) ? *raw : s.item);
}

// What an add of an item will touch, at one prefetch stage. A new entity
// id's lookup ends at its index slot, so only stage 1 pays off for entities.
// With edges false, the endpoints' edge lists are left alone (an EdgeLinker
// thread may be appending to them).
void prefetch_add(const Graph& g, Staged<gs_entity>& s, int stage, bool = true) {
  if (stage == 1) g.prefetch_entity_slot(s.hashes.id);
}
void prefetch_add(const Graph& g, Staged<gs_relation>& s, int stage, bool edges = true) {
  const RelationHashes& h = s.hashes;
  if (stage == 1) {
    g.prefetch_relation_slot(h.id);
    g.prefetch_entity_slot(h.source);
    g.prefetch_entity_slot(h.target);
  } else if (stage == 2) {
    s.source = g.prefetch_entity_record(h.source);
    s.target = g.prefetch_entity_record(h.target);
  } else {
    g.prefetch_endpoint(s.source, true, edges);
    g.prefetch_endpoint(s.target, false, edges);
  }
}

// The same for a batch op that adds or updates; deletes are rare in bulk.
// A batch op is read anew at each stage, so stage 3 repeats stage 2's probe.
void prefetch_op(const Graph& g, const gs_write_op* raw, int stage) {
  if (raw == nullptr) return;
  gs_write_op op = sdk::read_op(*raw);
  if ((op.kind == GS_OP_ADD_ENTITY || op.kind == GS_OP_UPDATE_ENTITY) && op.entity) {
    Staged<gs_entity> s;
    stage_item(op.entity, s);
    prefetch_add(g, s, stage);
  } else if ((op.kind == GS_OP_ADD_RELATION || op.kind == GS_OP_UPDATE_RELATION) && op.relation) {
    Staged<gs_relation> s;
    stage_item(op.relation, s);
    if (stage == 3) prefetch_add(g, s, 2);
    prefetch_add(g, s, stage);
  }
}

sdk::Status invalid(const std::string& message) { return sdk::make_error(GS_INVALID_ARGUMENT, message); }

// Applies one op and fills *u with how to undo it. Graph writes change
// nothing when they fail or throw, so u->applied is exact either way.
sdk::Status apply_op(Graph& g, const gs_write_op* raw, Undo* u) {
  if (raw == nullptr) return invalid("the op is NULL");
  gs_write_op op = sdk::read_op(*raw);
  u->kind = op.kind;
  sdk::Status s;
  switch (op.kind) {
    case GS_OP_ADD_ENTITY:
    case GS_OP_UPDATE_ENTITY: {
      if (op.entity == nullptr) return invalid("entity op without an entity");
      gs_entity e = sdk::read_entity(*op.entity);
      if (op.kind == GS_OP_ADD_ENTITY) {
        u->id = sdk::view(e.id);
        s = g.add_entity(e);
      } else {
        s = g.update_entity(e, &u->entity);
      }
      break;
    }
    case GS_OP_ADD_RELATION:
    case GS_OP_UPDATE_RELATION: {
      if (op.relation == nullptr) return invalid("relation op without a relation");
      gs_relation r = sdk::read_relation(*op.relation);
      if (op.kind == GS_OP_ADD_RELATION) {
        u->id = sdk::view(r.id);
        s = g.add_relation(r);
      } else {
        s = g.update_relation(r, &u->relation);
      }
      break;
    }
    case GS_OP_DELETE_ENTITY:
      s = g.delete_entity(sdk::view(op.id), &u->entity, &u->relations);
      break;
    case GS_OP_DELETE_RELATION:
      s = g.delete_relation(sdk::view(op.id), &u->relation);
      break;
    default:
      return invalid("unknown op kind " + std::to_string(op.kind));
  }
  u->applied = s.ok();
  return s;
}

void roll_back(Graph& g, std::vector<Undo>& undo) {
  for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
    const Undo& u = *it;
    if (!u.applied) continue;
    switch (u.kind) {
      case GS_OP_ADD_ENTITY:
        g.erase_entity(g.find_entity(u.id));
        break;
      case GS_OP_UPDATE_ENTITY:
        g.replace_entity(g.find_entity(u.entity.id), u.entity.view());
        break;
      case GS_OP_DELETE_ENTITY:
        g.insert_entity(u.entity.view());
        for (const sdk::OwnedRelation& r : u.relations)
          g.insert_relation(r.view(), g.find_entity(r.source_id), g.find_entity(r.target_id));
        break;
      case GS_OP_ADD_RELATION:
        g.erase_relation(g.find_relation(u.id));
        break;
      case GS_OP_UPDATE_RELATION:
        g.replace_relation(g.find_relation(u.relation.id), u.relation.view(), g.find_entity(u.relation.source_id),
                           g.find_entity(u.relation.target_id));
        break;
      case GS_OP_DELETE_RELATION:
        g.insert_relation(u.relation.view(), g.find_entity(u.relation.source_id), g.find_entity(u.relation.target_id));
        break;
    }
  }
  undo.clear();
}

// Statuses a bulk add reports as a skipped item; any other aborts the call.
bool skippable(gs_status code) {
  return code == GS_ALREADY_EXISTS || code == GS_NOT_FOUND || code == GS_INVALID_ARGUMENT;
}

// Relation bulk adds at least this large link edges on a second thread (see
// EdgeLinker); below it, starting the thread costs more than it saves.
constexpr size_t kLinkerMinItems = 4096;

// Bulk adds at least this large have the memory their records, blobs and id
// index will take mapped in on a helper thread (see Prefaulter).
constexpr size_t kPrefaultMinItems = 4096;

// The memory a bulk add of n items will write first: their records and
// blobs, the blobs' size estimated from the first few items.
template <class Item>
void upcoming(Graph& g, const Item* const* items, size_t n, std::vector<MemoryRange>* out) {
  constexpr size_t kSample = 64;
  size_t sampled = std::min(n, kSample), bytes = 0;
  for (size_t i = 0; i < sampled; ++i)
    if (items[i]) bytes += Graph::blob_size(read_item(*items[i]));
  size_t estimate = bytes * n / sampled;
  if constexpr (std::is_same_v<Item, gs_entity>) {
    g.upcoming_entities(n, estimate, out);
  } else {
    g.upcoming_relations(n, estimate, out);
  }
}

bool use_linker(const gs_entity* const*, size_t) { return false; }
bool use_linker(const gs_relation* const*, size_t n) {
  return n >= kLinkerMinItems && std::thread::hardware_concurrency() > 1;
}

}  // namespace

sdk::Status InMemoryStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                       size_t* failed_index) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (n == 0) return sdk::Status::Ok();
  Graph* g = graph_for_write(tenant);
  std::unique_lock<RwLock> lock;
  if (sdk::Status s = lock_exclusive(*g, &lock); !s.ok()) {
    if (failed_index) *failed_index = 0;
    return s;
  }
  std::vector<Undo> undo;
  undo.reserve(n);  // an Undo is large: growing the log would move every entry
  size_t i = 0;
  try {
    for (; i < n; ++i) {
      for (int stage = 1; stage <= 3; ++stage)
        if (i + kAhead[stage - 1] < n) prefetch_op(*g, ops[i + kAhead[stage - 1]], stage);
      undo.emplace_back();  // before the op: nothing to lose if this throws
      sdk::Status s = apply_op(*g, ops[i], &undo.back());
      if (s.ok()) continue;
      roll_back(*g, undo);
      if (failed_index) *failed_index = i;
      s.message = "batch op " + std::to_string(i) + ": " + s.message;
      return s;
    }
  } catch (...) {
    roll_back(*g, undo);
    if (failed_index) *failed_index = i;
    throw;
  }
  g->maybe_compact();
  return sdk::Status::Ok();
}

template <class Item, class Add, class Remove>
sdk::Status InMemoryStore::bulk(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                                uint64_t* added, const Add& add, const Remove& remove) {
  if (added) *added = 0;
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  struct Skip {
    size_t index;
    sdk::Status status;
  };
  std::vector<Skip> skips;
  std::vector<size_t> applied;  // indices of the items added, for rollback
  sdk::Status result;
  if (n > 0) {
    Graph* g = graph_for_write(tenant);
    std::unique_lock<RwLock> lock;
    if (sdk::Status s = lock_exclusive(*g, &lock); !s.ok()) return s;
    applied.reserve(n);
    // Vectors added here are linked into the index at the end, on every core;
    // a call that throws has undone its adds, so their vectors are dropped.
    if constexpr (std::is_same_v<Item, gs_entity>) g->defer_vectors();
    struct DropDeferred {
      Graph* g;
      ~DropDeferred() { g->drop_deferred_vectors(); }
    } drop_deferred{g};
    std::optional<EdgeLinker> linker;
    if (use_linker(items, n)) {
      try {
        linker.emplace(*g, n);
      } catch (const std::system_error&) {
        // No thread to be had (a process at its limit): link on this one.
      }
    }
    std::optional<Prefaulter> prefaulter;
    if (n >= kPrefaultMinItems) {
      try {
        std::vector<MemoryRange> ranges;
        upcoming(*g, items, n, &ranges);
        prefaulter.emplace().populate(ranges);
      } catch (const std::system_error&) {
        // A hint only: without a thread, the adds fault the pages in.
      }
    }
    // The linker has linked the first `linked` of the items applied; the
    // rest have no edges yet.
    auto undo = [&] {
      size_t linked = linker ? linker->finish() : applied.size();
      for (size_t k = applied.size(); k-- > 0;) remove(*g, read_item(*items[applied[k]]), k < linked);
      applied.clear();
    };
    // Each item is read from its ABI struct and its ids hashed once, when
    // the first prefetch stage reaches it, into a ring the later stages and
    // the add share.
    constexpr size_t kRing = 32;
    static_assert(kAhead[0] < kRing);
    Staged<Item> ring[kRing];
    auto load = [&](size_t i) { stage_item(items[i], ring[i % kRing]); };
    for (size_t i = 0; i < std::min(n, kAhead[0]); ++i) load(i);
    try {
      for (size_t i = 0; i < n; ++i) {
        if (i + kAhead[0] < n) load(i + kAhead[0]);
        for (int stage = 1; stage <= 3; ++stage) {
          size_t ahead = i + kAhead[stage - 1];
          if (ahead < n && ring[ahead % kRing].item.struct_size)
            prefetch_add(*g, ring[ahead % kRing], stage, !linker.has_value());
        }
        if (linker && linker->failed()) break;
        const Staged<Item>& staged = ring[i % kRing];
        sdk::Status s = staged.item.struct_size ? add(*g, staged.item, staged.hashes, linker ? &*linker : nullptr)
                                                : sdk::make_error(GS_INVALID_ARGUMENT, "the item is NULL");
        if (s.ok()) {
          applied.push_back(i);
        } else if (skippable(s.code)) {
          skips.push_back(Skip{i, std::move(s)});
        } else {
          undo();
          result = std::move(s);
          break;
        }
      }
    } catch (...) {
      undo();
      throw;
    }
    if (linker && result.ok() && (linker->finish(), linker->error())) {
      undo();
      std::rethrow_exception(linker->error());
    }
    prefaulter.reset();  // before what the bulk set aside is freed
    g->link_deferred_vectors();
    g->maybe_compact();
  }
  // Reported outside the lock, so a sink may call back into the store.
  if (skip.fn)
    for (const Skip& s : skips) skip(s.index, s.status.code, gs_str{s.status.message.data(), s.status.message.size()});
  if (result.ok() && added) *added = applied.size();
  return result;
}

sdk::Status InMemoryStore::add_entities_bulk(std::string_view tenant, const gs_entity* const* entities, size_t n,
                                             sdk::SkipSink skip, uint64_t* added) {
  return bulk(
      tenant, entities, n, skip, added,
      [](Graph& g, const gs_entity& e, const EntityHashes& h, EdgeLinker*) { return g.add_entity(e, &h); },
      [](Graph& g, const gs_entity& e, bool) { g.erase_entity(g.find_entity(sdk::view(e.id))); });
}

sdk::Status InMemoryStore::add_relations_bulk(std::string_view tenant, const gs_relation* const* relations, size_t n,
                                              sdk::SkipSink skip, uint64_t* added) {
  return bulk(
      tenant, relations, n, skip, added,
      [](Graph& g, const gs_relation& r, const RelationHashes& h, EdgeLinker* linker) {
        if (linker == nullptr) return g.add_relation(r, &h);
        LinkJob job;
        sdk::Status s = g.add_relation(r, &h, &job);
        if (s.ok()) linker->push(job);
        return s;
      },
      [](Graph& g, const gs_relation& r, bool linked) { g.erase_relation(g.find_relation(sdk::view(r.id)), linked); });
}

}  // namespace graphstore::inmemory
