// Default removals over Tier 1: collect the ids to remove with for_each_*,
// then delete them in one apply_batch, relations first, so that each
// tenant's removal is all or nothing.
#include <string>
#include <unordered_set>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

// The ids one removal deletes in one tenant.
struct Doomed {
  std::vector<std::string> relations;
  std::vector<std::string> entities;
};

// Deletes doomed in one batch: relations first, then entities (whose
// deletes would otherwise remove their relations before their own ops).
gs_status delete_all(const Backend& b, gs_str tenant, const Doomed& doomed, gs_errbuf* err) {
  const size_t n = doomed.relations.size() + doomed.entities.size();
  if (n == 0) return GS_OK;
  std::vector<gs_write_op> ops(n);
  std::vector<const gs_write_op*> ptrs(n);
  size_t i = 0;
  auto add = [&](int32_t kind, const std::string& id) {
    ops[i].struct_size = sizeof(gs_write_op);
    ops[i].kind = kind;
    ops[i].id = sdk::str(id);
    ptrs[i] = &ops[i];
    ++i;
  };
  for (const auto& id : doomed.relations) add(GS_OP_DELETE_RELATION, id);
  for (const auto& id : doomed.entities) add(GS_OP_DELETE_ENTITY, id);
  size_t failed = 0;
  return b.api->apply_batch(b.store, tenant, ptrs.data(), n, &failed, err);
}

// Runs collect then delete_all, again when a write that ran between them
// removed a collected id (the batch then fails NOT_FOUND and applies
// nothing); a few attempts, then that NOT_FOUND is the answer.
template <class Collect>
gs_status collect_and_delete(const Backend& b, gs_str tenant, Collect collect, gs_removed* removed, gs_errbuf* err) {
  constexpr int kAttempts = 3;
  gs_status st = GS_OK;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Doomed doomed;
    if (st = collect(&doomed); st != GS_OK) return st;
    st = delete_all(b, tenant, doomed, err);
    if (st == GS_OK) {
      removed->entities += doomed.entities.size();
      removed->relations += doomed.relations.size();
      return GS_OK;
    }
    if (st != GS_NOT_FOUND) return st;
  }
  return st;
}

gs_status clear_tenant(const Backend& b, gs_str tenant, gs_removed* removed, gs_errbuf* err) {
  return collect_and_delete(
      b, tenant,
      [&](Doomed* doomed) {
        gs_status st = detail::for_each_relation(
            b, tenant,
            [&](const gs_relation* r) {
              doomed->relations.emplace_back(sdk::view(r->id));
              return true;
            },
            err);
        if (st != GS_OK) return st;
        return detail::for_each_entity(
            b, tenant,
            [&](const gs_entity* e) {
              doomed->entities.emplace_back(sdk::view(e->id));
              return true;
            },
            err);
      },
      removed, err);
}

}  // namespace

gs_status clear(const Backend& b, gs_str tenant, int32_t scope, gs_removed* removed, gs_errbuf* err) {
  return detail::guarded(err, [&]() -> gs_status {
    gs_removed counts{sizeof(gs_removed), 0, 0};
    if (scope == GS_CLEAR_TENANT) {
      if (gs_status st = clear_tenant(b, tenant, &counts, err); st != GS_OK) return st;
    } else if (scope == GS_CLEAR_ALL_TENANTS) {
      if (tenant.len != 0)
        return detail::fail(
            err, GS_INVALID_ARGUMENT,
            "clear: every tenant (GS_CLEAR_ALL_TENANTS) takes an empty tenant, not " + sdk::describe_tenant(sdk::view(tenant)));
      std::vector<std::string> tenants;
      gs_status st = b.api->list_tenants(
          b.store,
          [](void* ctx, gs_str t) -> int32_t {
            try {
              static_cast<std::vector<std::string>*>(ctx)->emplace_back(sdk::view(t));
              return 0;
            } catch (...) {
              return 1;
            }
          },
          &tenants, err);
      if (st != GS_OK) return st;
      if (st = clear_tenant(b, sdk::str(""), &counts, err); st != GS_OK) return st;
      for (const auto& t : tenants)
        if (st = clear_tenant(b, sdk::str(t), &counts, err); st != GS_OK) return st;
    } else {
      return detail::fail(err, GS_INVALID_ARGUMENT, "clear: unknown scope " + std::to_string(scope));
    }
    if (removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
    return GS_OK;
  });
}

gs_status delete_by_source(const Backend& b, gs_str tenant, gs_str source, gs_removed* removed, gs_errbuf* err) {
  return detail::guarded(err, [&]() -> gs_status {
    const std::string_view wanted = sdk::view(source);
    auto matches = [&](gs_str s) { return s.data != nullptr && sdk::view(s) == wanted; };
    gs_removed counts{sizeof(gs_removed), 0, 0};
    gs_status st = collect_and_delete(
        b, tenant,
        [&](Doomed* doomed) {
          std::unordered_set<std::string> entities;
          gs_status s = detail::for_each_entity(
              b, tenant,
              [&](const gs_entity* e) {
                if (matches(e->source)) entities.emplace(sdk::view(e->id));
                return true;
              },
              err);
          if (s != GS_OK) return s;
          s = detail::for_each_relation(
              b, tenant,
              [&](const gs_relation* r) {
                if (matches(r->source) || entities.count(std::string(sdk::view(r->source_id))) != 0 ||
                    entities.count(std::string(sdk::view(r->target_id))) != 0)
                  doomed->relations.emplace_back(sdk::view(r->id));
                return true;
              },
              err);
          doomed->entities.assign(entities.begin(), entities.end());
          return s;
        },
        &counts, err);
    if (st != GS_OK) return st;
    if (removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
    return GS_OK;
  });
}

}  // namespace graphstore::defaults
