// Store's Tier 1 calls: checks the input, stamps absent timestamps, and
// forwards to the plugin's slot (under the serialising lock when the plugin
// is not thread-safe), copying results out of the plugin's views.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "sink.hpp"
#include "store_impl.hpp"
#include "validate.hpp"

namespace graphstore {

Status Store::add_entity(std::string_view tenant, const Entity& entity) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "add_entity");
  if (Status c = check_entity(tenant, entity); !c.ok()) return c;
  gs_entity v = stamped(entity, now_us());
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->add_entity(s.handle, to_str(tenant), &v, &e.err), e, "add_entity");
}

Status Store::get_entity(std::string_view tenant, std::string_view id, Entity* out) {
  Impl& s = *impl_;
  Status result = [&] {
    GS_REFUSE_REENTRY(s, "get_entity");
    if (Status c = check_tenant(tenant); !c.ok()) return c;
    if (Status c = check_id(id, "id"); !c.ok()) return c;
    auto sink = make_sink([out](const gs_entity& v) {
      assign(out, v);
      return true;
    });
    ErrBuf e;
    gs_status st;
    {
      auto lock = s.lock();
      st =
          s.api->get_entity(s.handle, to_str(tenant), to_str(id), &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
    }
    sink.rethrow();
    return to_status(st, e, "get_entity");
  }();
  // On success the sink overwrote every field; only a failure clears, so
  // that a caller reading into one Entity reuses its buffers.
  if (!result.ok()) [[unlikely]]
    *out = Entity{};
  return result;
}

Status Store::update_entity(std::string_view tenant, const Entity& entity) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "update_entity");
  if (Status c = check_entity(tenant, entity); !c.ok()) return c;
  gs_entity v = entity_view(entity);
  stamp_updated(&v, now_us());
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->update_entity(s.handle, to_str(tenant), &v, &e.err), e, "update_entity");
}

Status Store::delete_entity(std::string_view tenant, std::string_view id) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "delete_entity");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (Status c = check_id(id, "id"); !c.ok()) return c;
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->delete_entity(s.handle, to_str(tenant), to_str(id), &e.err), e, "delete_entity");
}

Status Store::add_relation(std::string_view tenant, const Relation& relation) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "add_relation");
  if (Status c = check_relation(tenant, relation); !c.ok()) return c;
  gs_relation v = stamped(relation, now_us());
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->add_relation(s.handle, to_str(tenant), &v, &e.err), e, "add_relation");
}

Status Store::get_relation(std::string_view tenant, std::string_view id, Relation* out) {
  Impl& s = *impl_;
  Status result = [&] {
    GS_REFUSE_REENTRY(s, "get_relation");
    if (Status c = check_tenant(tenant); !c.ok()) return c;
    if (Status c = check_id(id, "id"); !c.ok()) return c;
    auto sink = make_sink([out](const gs_relation& v) {
      assign(out, v);
      return true;
    });
    ErrBuf e;
    gs_status st;
    {
      auto lock = s.lock();
      st = s.api->get_relation(s.handle, to_str(tenant), to_str(id), &relation_trampoline<decltype(sink.fn)>, &sink,
                               &e.err);
    }
    sink.rethrow();
    return to_status(st, e, "get_relation");
  }();
  if (!result.ok()) [[unlikely]]
    *out = Relation{};
  return result;
}

Status Store::update_relation(std::string_view tenant, const Relation& relation) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "update_relation");
  if (Status c = check_relation(tenant, relation); !c.ok()) return c;
  gs_relation v = relation_view(relation);
  stamp_updated(&v, now_us());
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->update_relation(s.handle, to_str(tenant), &v, &e.err), e, "update_relation");
}

Status Store::delete_relation(std::string_view tenant, std::string_view id) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "delete_relation");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (Status c = check_id(id, "id"); !c.ok()) return c;
  ErrBuf e;
  auto lock = s.lock();
  return to_status(s.api->delete_relation(s.handle, to_str(tenant), to_str(id), &e.err), e, "delete_relation");
}

namespace {

// The plugin's get_neighbors behind Store::get_neighbors and
// Store::get_neighbor_entities: the checks, the lock and the sink, calling
// keep(relation view, entity view) per result. On failure the caller's
// output is its to clear.
template <class Keep>
Status visit_neighbors(Store::Impl& s, std::string_view tenant, std::string_view id, Direction direction,
                       std::string_view relation_type, Keep&& keep) {
  GS_REFUSE_REENTRY(s, "get_neighbors");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (Status c = check_id(id, "id"); !c.ok()) return c;
  if (!relation_type.empty())
    if (Status c = check_id(relation_type, "relation_type"); !c.ok()) return c;
  auto sink = make_sink([&keep](const gs_relation& r, const gs_entity& n) {
    keep(r, n);
    return true;
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->get_neighbors(s.handle, to_str(tenant), to_str(id), static_cast<int32_t>(direction),
                              to_str(relation_type), &neighbor_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  return to_status(st, e, "get_neighbors");
}

}  // namespace

Status Store::get_neighbors(std::string_view tenant, std::string_view id, Direction direction,
                            std::string_view relation_type, std::vector<Neighbor>* out) {
  out->clear();
  Status st = visit_neighbors(*impl_, tenant, id, direction, relation_type, [out](const gs_relation& r, const gs_entity& n) {
    out->push_back(Neighbor{to_relation(r), to_entity(n)});
  });
  if (!st.ok()) {
    out->clear();
    return st;
  }
  std::sort(out->begin(), out->end(),
            [](const Neighbor& a, const Neighbor& b) { return a.relation.id < b.relation.id; });
  return Status::Ok();
}

Status Store::get_neighbor_entities(std::string_view tenant, std::string_view id, Direction direction,
                                    std::string_view relation_type, bool distinct, std::vector<Entity>* out) {
  // Records already in *out are overwritten, not destroyed, so that a
  // caller passing the same vector again reuses their buffers; the extras
  // go at the end.
  size_t used = 0;
  // The relations' ids, the order's key: the rest of a relation is never copied.
  std::vector<std::string> keys;
  keys.reserve(8);  // most entities have a few neighbours: no regrowth for them
  Status st = visit_neighbors(*impl_, tenant, id, direction, relation_type,
                              [&](const gs_relation& r, const gs_entity& n) {
                                keys.emplace_back(to_view(r.id));
                                assign(used < out->size() ? &(*out)[used] : &out->emplace_back(), n);
                                ++used;
                              });
  if (!st.ok()) {
    out->clear();
    return st;
  }
  out->resize(used);
  // Plugins mostly hand them over in relation id order already.
  if (!std::is_sorted(keys.begin(), keys.end())) {
    std::vector<size_t> order(keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    std::vector<Entity> sorted(out->size());
    for (size_t i = 0; i < order.size(); ++i) std::swap(sorted[i], (*out)[order[i]]);
    out->swap(sorted);
  }
  if (distinct && out->size() > 1) {
    // Repeats are marked first, then dropped: the set views ids that must
    // not move yet. Most lists are short, and a scan of the earlier ones
    // beats hashing them.
    constexpr size_t kScanAtMost = 16;
    const size_t n = out->size();
    std::vector<char> keep(n, 1);
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < n; ++i) {
      const std::string& entity_id = (*out)[i].id;
      if (n > kScanAtMost) {
        keep[i] = seen.insert(entity_id).second;
        continue;
      }
      for (size_t j = 0; j < i && keep[i]; ++j) keep[i] = !(keep[j] && (*out)[j].id == entity_id);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i)
      if (keep[i]) {
        if (kept != i) std::swap((*out)[kept], (*out)[i]);
        ++kept;
      }
    out->resize(kept);
  }
  return Status::Ok();
}

Status Store::for_each_entity(std::string_view tenant, const std::function<bool(const Entity&)>& fn) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "for_each_entity");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  Entity scratch;
  auto sink = make_sink([&](const gs_entity& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->for_each_entity(s.handle, to_str(tenant), &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  return to_status(st, e, "for_each_entity");
}

Status Store::for_each_relation(std::string_view tenant, const std::function<bool(const Relation&)>& fn) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "for_each_relation");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  Relation scratch;
  auto sink = make_sink([&](const gs_relation& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->for_each_relation(s.handle, to_str(tenant), &relation_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  return to_status(st, e, "for_each_relation");
}

Status Store::list_tenants(std::vector<std::string>* out) {
  out->clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "list_tenants");
  auto sink = make_sink([out](gs_str t) {
    out->emplace_back(to_view(t));
    return true;
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->list_tenants(s.handle, &tenant_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  if (st != GS_OK) {
    out->clear();
    return to_status(st, e, "list_tenants");
  }
  std::sort(out->begin(), out->end());
  return Status::Ok();
}

Status Store::apply(std::string_view tenant, const WriteBatch& batch, size_t* failed_index) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "apply");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
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
    Status c;
    switch (op.kind) {
      case WriteBatch::Kind::kAddEntity:
      case WriteBatch::Kind::kUpdateEntity:
        c = check_entity(tenant, op.entity);
        stamp_into(op.entity, now, &entities[i]);
        if (op.kind == WriteBatch::Kind::kUpdateEntity && op.entity.updated_at == kNoTimestamp)
          entities[i].updated_at = now;
        w.entity = &entities[i];
        break;
      case WriteBatch::Kind::kAddRelation:
      case WriteBatch::Kind::kUpdateRelation:
        c = check_relation(tenant, op.relation);
        stamp_into(op.relation, now, &relations[i]);
        if (op.kind == WriteBatch::Kind::kUpdateRelation && op.relation.updated_at == kNoTimestamp)
          relations[i].updated_at = now;
        w.relation = &relations[i];
        break;
      case WriteBatch::Kind::kDeleteEntity:
      case WriteBatch::Kind::kDeleteRelation:
        c = check_id(op.id, "id");
        w.id = to_str(op.id);
        break;
    }
    if (!c.ok()) {
      if (failed_index) *failed_index = i;
      return Status(c.code(), "batch op " + std::to_string(i) + ": " + c.message());
    }
    ptrs[i] = &raw[i];
  }
  size_t failed = 0;
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->apply_batch(s.handle, to_str(tenant), ptrs.data(), ptrs.size(), &failed, &e.err);
  }
  if (st != GS_OK && failed_index) *failed_index = failed;
  return to_status(st, e, "apply_batch");
}

}  // namespace graphstore
