#include "store.hpp"

#include <cstdio>
#include <set>
#include <type_traits>

#include "graphstore/tenant.hpp"

namespace graphstore::sharded {
namespace {

constexpr auto kReopenInterval = std::chrono::seconds(1);

}  // namespace

// ---- Opening ----------------------------------------------------------------

sdk::Status ShardedStore::open(const gs_host* host, std::string_view options_json,
                               std::unique_ptr<ShardedStore>* out) {
  Options options;
  if (sdk::Status s = parse_options(options_json, &options); !s.ok()) return s;
  if (sdk::Status s = sdk::HostStore::check_host(host, "sharded"); !s.ok()) return s;
  std::unique_ptr<ShardedStore> store(new ShardedStore(host, std::move(options)));
  const Options& o = store->options_;
  if (sdk::Status s = Catalog::open(o.catalog_dsn, o.catalog_schema, &store->catalog_); !s.ok())
    return sdk::make_error(s.code, "option 'catalog': " + s.message);
  std::vector<std::string> names;
  for (const auto& section : o.shards) {
    auto shard = std::make_unique<Shard>();
    shard->name = section.name;
    shard->section = section.section;
    names.push_back(section.name);
    // A shard that cannot be reached now is opened on a later call; one that
    // is misconfigured is an error now.
    sdk::HostStore* opened = nullptr;
    if (sdk::Status s = store->open_shard(*shard, &opened); !s.ok() && s.code != GS_UNAVAILABLE)
      return sdk::make_error(s.code, "option 'shards': " + s.message);
    store->shards_.push_back(std::move(shard));
  }
  store->router_ = std::make_unique<Router>(*store->catalog_, std::move(names), o.placement_ttl_s, o.move_wait_s);
  if (sdk::Status s = store->router_->start(); !s.ok()) return sdk::make_error(s.code, "option 'catalog': " + s.message);
  *out = std::move(store);
  return sdk::Status::Ok();
}

ShardedStore::Shard* ShardedStore::find_shard(std::string_view name) {
  for (auto& s : shards_)
    if (s->name == name) return s.get();
  return nullptr;
}

sdk::Status ShardedStore::open_shard(Shard& shard, sdk::HostStore** out) {
  if ((*out = shard.store.load(std::memory_order_acquire)) != nullptr) return sdk::Status::Ok();
  std::lock_guard lock(shard.mutex);
  if ((*out = shard.store.load(std::memory_order_acquire)) != nullptr) return sdk::Status::Ok();
  auto now = std::chrono::steady_clock::now();
  if (now < shard.retry_after)
    return sdk::make_error(GS_UNAVAILABLE, "shard '" + shard.name + "' is unavailable: " + shard.last_error);
  std::unique_ptr<sdk::HostStore> opened;
  if (sdk::Status s = sdk::HostStore::open(host_, shard.section, &opened); !s.ok()) {
    shard.retry_after = now + kReopenInterval;
    shard.last_error = s.message;
    return sdk::make_error(s.code, "shard '" + shard.name + "'" + (s.code == GS_UNAVAILABLE ? " is unavailable" : "") +
                                       ": " + s.message);
  }
  shard.owner = std::move(opened);
  shard.store.store(shard.owner.get(), std::memory_order_release);
  *out = shard.owner.get();
  return sdk::Status::Ok();
}

sdk::Status ShardedStore::locate(std::string_view tenant, bool for_write, Route* route, sdk::HostStore** out) {
  if (sdk::Status s = router_->route(tenant, for_write, route); !s.ok()) return s;
  Shard* shard = find_shard(route->shard);
  if (shard == nullptr)
    return sdk::make_error(GS_INTERNAL, "the placement catalog puts " + sdk::describe_tenant(tenant) + " on shard '" +
                                            route->shard + "', which this store's options do not name");
  return open_shard(*shard, out);
}

sdk::Status ShardedStore::from_shard(const std::string& shard, sdk::Status s) {
  switch (s.code) {
    case GS_OK:
    case GS_NOT_FOUND:
    case GS_ALREADY_EXISTS:
    case GS_INVALID_ARGUMENT:
    case GS_UNSUPPORTED:
      return s;
    default:
      s.message = "shard '" + shard + "': " + s.message;
      return s;
  }
}

// ---- Writes -------------------------------------------------------------------

sdk::Status ShardedStore::write(std::string_view tenant, const std::function<ChangeList()>& changes,
                                const ShardCall& call) {
  Route route;
  sdk::HostStore* shard = nullptr;
  if (sdk::Status s = locate(tenant, true, &route, &shard); !s.ok()) return s;
  if (!route.log) return from_shard(route.shard, call(*shard));
  // Logged before the write, so that no write lands unlogged, and again
  // after it: the mover may replay the first entry before the write commits
  // (reading the record as it was); the second is replayed after. Both are
  // logged whatever the write answered: one that failed in flight may still
  // have committed.
  ChangeList ids = changes();
  if (sdk::Status s = catalog_->log_changes(tenant, ids); !s.ok()) return s;
  sdk::Status result = from_shard(route.shard, call(*shard));
  if (sdk::Status s = catalog_->log_changes(tenant, ids); !s.ok()) {
    // The write stands; the mover's count check is what is left to catch a
    // record it then misses (README.md, "Moving a tenant").
    if (host_->log != nullptr) {
      std::string message = "sharded: a write of " + sdk::describe_tenant(tenant) +
                            " being moved could not be logged after it: " + s.message;
      host_->log(host_->ctx, GS_LOG_ERROR, sdk::str(message));
    }
  }
  return result;
}

sdk::Status ShardedStore::add_entity(std::string_view tenant, const gs_entity& e) {
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_ENTITY, std::string(sdk::view(e.id))}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().add_entity, sdk::str(tenant), &e); });
}

sdk::Status ShardedStore::update_entity(std::string_view tenant, const gs_entity& e) {
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_ENTITY, std::string(sdk::view(e.id))}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().update_entity, sdk::str(tenant), &e); });
}

sdk::Status ShardedStore::delete_entity(std::string_view tenant, std::string_view id) {
  // The relations it takes with it are deleted by the same call on the
  // target when the mover replays the entity's deletion.
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_ENTITY, std::string(id)}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().delete_entity, sdk::str(tenant), sdk::str(id)); });
}

sdk::Status ShardedStore::add_relation(std::string_view tenant, const gs_relation& r) {
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_RELATION, std::string(sdk::view(r.id))}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().add_relation, sdk::str(tenant), &r); });
}

sdk::Status ShardedStore::update_relation(std::string_view tenant, const gs_relation& r) {
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_RELATION, std::string(sdk::view(r.id))}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().update_relation, sdk::str(tenant), &r); });
}

sdk::Status ShardedStore::delete_relation(std::string_view tenant, std::string_view id) {
  return write(
      tenant, [&] { return ChangeList{{GS_KIND_RELATION, std::string(id)}}; },
      [&](sdk::HostStore& s) { return s.call(s.api().delete_relation, sdk::str(tenant), sdk::str(id)); });
}

sdk::Status ShardedStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                      size_t* failed_index) {
  auto changes = [&] {
    ChangeList out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const gs_write_op& op = *ops[i];
      switch (op.kind) {
        case GS_OP_ADD_ENTITY:
        case GS_OP_UPDATE_ENTITY:
          if (op.entity != nullptr) out.emplace_back(GS_KIND_ENTITY, std::string(sdk::view(op.entity->id)));
          break;
        case GS_OP_DELETE_ENTITY:
          out.emplace_back(GS_KIND_ENTITY, std::string(sdk::view(op.id)));
          break;
        case GS_OP_ADD_RELATION:
        case GS_OP_UPDATE_RELATION:
          if (op.relation != nullptr) out.emplace_back(GS_KIND_RELATION, std::string(sdk::view(op.relation->id)));
          break;
        case GS_OP_DELETE_RELATION:
          out.emplace_back(GS_KIND_RELATION, std::string(sdk::view(op.id)));
          break;
        default:
          break;  // the shard refuses the batch
      }
    }
    return out;
  };
  return write(tenant, changes,
               [&](sdk::HostStore& s) { return s.call(s.api().apply_batch, sdk::str(tenant), ops, n, failed_index); });
}

template <class Item>
sdk::Status ShardedStore::bulk_add(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                                   uint64_t* added) {
  constexpr bool kEntities = std::is_same_v<Item, gs_entity>;
  auto changes = [&] {
    ChangeList out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i)
      out.emplace_back(kEntities ? GS_KIND_ENTITY : GS_KIND_RELATION, std::string(sdk::view(items[i]->id)));
    return out;
  };
  return write(tenant, changes, [&](sdk::HostStore& s) {
    bool native;
    if constexpr (kEntities) native = GS_HOST_STORE_HAS(s, add_entities_bulk);
    else native = GS_HOST_STORE_HAS(s, add_relations_bulk);
    if (!native) return sdk::make_error(GS_UNSUPPORTED, std::string(s.plugin_id()) + " has no native bulk add");
    if constexpr (kEntities)
      return s.call(s.api().add_entities_bulk, sdk::str(tenant), items, n, skip.fn, skip.ctx, added);
    else
      return s.call(s.api().add_relations_bulk, sdk::str(tenant), items, n, skip.fn, skip.ctx, added);
  });
}

sdk::Status ShardedStore::add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n,
                                            sdk::SkipSink skip, uint64_t* added) {
  return bulk_add(tenant, items, n, skip, added);
}

sdk::Status ShardedStore::add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n,
                                             sdk::SkipSink skip, uint64_t* added) {
  return bulk_add(tenant, items, n, skip, added);
}

// ---- Removals -------------------------------------------------------------------

sdk::Status ShardedStore::clear(std::string_view tenant, int32_t scope, gs_removed* removed) {
  if (scope == GS_CLEAR_ALL_TENANTS && tenant.empty()) {
    // Every shard in turn; not one transaction across servers: a shard that
    // fails leaves the ones before it cleared (the message names it).
    return for_every_shard("clear", [&](Shard& shard, sdk::HostStore& s) {
      gs_removed counts{sizeof(gs_removed), 0, 0};
      sdk::Status st = s.call(s.api().clear, sdk::str(tenant), scope, &counts);
      if (!st.ok()) return st;
      removed->entities += counts.entities;
      removed->relations += counts.relations;
      (void)shard;
      return sdk::Status::Ok();
    });
  }
  if (scope != GS_CLEAR_TENANT)  // the shard would refuse it too; this names why without routing
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           scope == GS_CLEAR_ALL_TENANTS ? "clear: every tenant needs an empty tenant argument"
                                                         : "clear: unknown scope " + std::to_string(scope));
  Route route;
  sdk::HostStore* shard = nullptr;
  if (sdk::Status s = locate(tenant, true, &route, &shard); !s.ok()) return s;
  if (route.log)
    return sdk::make_error(GS_UNAVAILABLE, "clear: " + sdk::describe_tenant(tenant) + " is being moved to shard '" +
                                               route.target + "'; retry when the move is over");
  return from_shard(route.shard, shard->call(shard->api().clear, sdk::str(tenant), scope, removed));
}

sdk::Status ShardedStore::delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed) {
  Route route;
  sdk::HostStore* shard = nullptr;
  if (sdk::Status s = locate(tenant, true, &route, &shard); !s.ok()) return s;
  if (route.log)
    return sdk::make_error(GS_UNAVAILABLE, "delete_by_source: " + sdk::describe_tenant(tenant) + " is being moved to shard '" +
                                               route.target + "'; retry when the move is over");
  if (!GS_HOST_STORE_HAS(*shard, delete_by_source))
    return sdk::make_error(GS_UNSUPPORTED, std::string(shard->plugin_id()) + " has no native delete_by_source");
  return from_shard(route.shard,
                    shard->call(shard->api().delete_by_source, sdk::str(tenant), sdk::str(source), removed));
}

// ---- Across shards ----------------------------------------------------------------

sdk::Status ShardedStore::for_every_shard(const char* what,
                                          const std::function<sdk::Status(Shard&, sdk::HostStore&)>& fn) {
  for (auto& shard : shards_) {
    sdk::HostStore* s = nullptr;
    if (sdk::Status st = open_shard(*shard, &s); !st.ok())
      return sdk::make_error(st.code, std::string(what) + ": " + st.message);
    if (sdk::Status st = fn(*shard, *s); !st.ok())
      return sdk::make_error(st.code, std::string(what) + ": " + from_shard(shard->name, st).message);
  }
  return sdk::Status::Ok();
}

namespace {
struct TenantSet {
  std::set<std::string> names;
  static int32_t on_tenant(void* ctx, gs_str tenant) {
    static_cast<TenantSet*>(ctx)->names.emplace(sdk::view(tenant));
    return 0;
  }
};
}  // namespace

sdk::Status ShardedStore::list_tenants(sdk::TenantSink sink) {
  // A tenant being copied is on two shards: reported once.
  TenantSet all;
  if (sdk::Status s = for_every_shard("list_tenants",
                                      [&](Shard&, sdk::HostStore& store) {
                                        return store.call(store.api().list_tenants, &TenantSet::on_tenant, &all);
                                      });
      !s.ok())
    return s;
  for (const auto& name : all.names)
    if (!sink(sdk::str(name))) break;
  return sdk::Status::Ok();
}

sdk::Status ShardedStore::collect_gauges(sdk::GaugeSink sink) {
  size_t open = 0;
  for (auto& shard : shards_) open += shard->store.load(std::memory_order_acquire) != nullptr;
  sdk::report_gauge(sink, "sharded_shards", "Shards this store spreads tenants over", double(shards_.size()));
  sdk::report_gauge(sink, "sharded_shards_open", "Shards this store has open", double(open));
  sdk::report_gauge(sink, "sharded_placements_cached", "Tenant placements cached from the catalog",
                    double(router_->cached()));
  sdk::report_gauge(sink, "sharded_placement_age_seconds", "Seconds since placements were last read from the catalog",
                    router_->refresh_age_s());
  return sdk::Status::Ok();
}

sdk::Status ShardedStore::collect_state(sdk::StateSink sink) {
  for (auto& shard : shards_) {
    sdk::HostStore* s = shard->store.load(std::memory_order_acquire);
    std::string value;
    if (s != nullptr) {
      value = std::string("open (") + s->plugin_id() + ")";
    } else {
      std::lock_guard lock(shard->mutex);
      value = "not open: " + (shard->last_error.empty() ? std::string("not yet used") : shard->last_error);
    }
    sdk::report_state(sink, "shard_" + shard->name, value);
  }
  std::string error = router_->last_error();
  sdk::report_state(sink, "catalog_last_error", error.empty() ? "none" : error);
  return sdk::Status::Ok();
}

}  // namespace graphstore::sharded
