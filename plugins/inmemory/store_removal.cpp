// InMemoryStore's removals (ABI 1.3): the records to remove are chosen under
// the graph's exclusive lock and erased there, relations first, through the
// same primitives a rollback uses, so the id indexes, type lists, edge lists
// and the memory budget stay right. Nothing can fail between choosing and
// erasing, so each removal is all or nothing.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "graphstore/checks.hpp"
#include "store.hpp"

namespace graphstore::inmemory {
namespace {

// Erases from g (locked exclusive) every entity with entity_doomed(view),
// every relation with relation_doomed(view), and every relation touching an
// erased entity; adds the counts to *removed.
template <class EntityDoomed, class RelationDoomed>
void erase_matching(Graph& g, const EntityDoomed& entity_doomed, const RelationDoomed& relation_doomed,
                    gs_removed* removed) {
  std::vector<uint32_t> entities;
  std::unordered_set<std::string_view> entity_ids;  // views into g, unchanged until the erasing starts
  for (uint32_t slot : g.entities_by_id(kNone)) {
    gs_entity e = g.entity_view(slot);
    if (!entity_doomed(e)) continue;
    entities.push_back(slot);
    entity_ids.insert(sdk::view(e.id));
  }
  std::vector<uint32_t> relations;
  for (uint32_t slot : g.relations_by_id(kNone)) {
    gs_relation r = g.relation_view(slot);
    if (relation_doomed(r) || entity_ids.count(sdk::view(r.source_id)) != 0 ||
        entity_ids.count(sdk::view(r.target_id)) != 0)
      relations.push_back(slot);
  }
  for (uint32_t slot : relations) g.erase_relation(slot);
  for (uint32_t slot : entities) g.erase_entity(slot);
  g.maybe_compact();
  removed->entities += entities.size();
  removed->relations += relations.size();
}

bool always(const auto&) { return true; }

}  // namespace

sdk::Status InMemoryStore::clear(std::string_view tenant, int32_t scope, gs_removed* removed) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (scope == GS_CLEAR_TENANT) {
    Graph* g = find_graph(tenant);
    if (g == nullptr) return sdk::Status::Ok();
    std::unique_lock<RwLock> lock;
    if (sdk::Status s = lock_exclusive(*g, &lock); !s.ok()) return s;
    erase_matching(*g, always<gs_entity>, always<gs_relation>, removed);
    return sdk::Status::Ok();
  }
  if (scope != GS_CLEAR_ALL_TENANTS)
    return sdk::make_error(GS_INVALID_ARGUMENT, "clear: unknown scope " + std::to_string(scope));
  if (!tenant.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT, "clear: every tenant (GS_CLEAR_ALL_TENANTS) takes an empty tenant");
  // Every graph locked at once, so the store is cleared as one step. As in
  // list_tenants, no graph lock is awaited while tenants_mu_ is held; the
  // locks are taken in address order so two clears cannot deadlock.
  std::vector<Graph*> graphs{&global_};
  {
    std::shared_lock<std::shared_mutex> lock(tenants_mu_);
    for (const auto& entry : tenants_) graphs.push_back(entry.second.get());
  }
  std::sort(graphs.begin(), graphs.end());
  std::vector<std::unique_lock<RwLock>> locks(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i)
    if (sdk::Status s = lock_exclusive(*graphs[i], &locks[i]); !s.ok()) return s;
  for (Graph* g : graphs) erase_matching(*g, always<gs_entity>, always<gs_relation>, removed);
  return sdk::Status::Ok();
}

sdk::Status InMemoryStore::delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  Graph* g = find_graph(tenant);
  if (g == nullptr) return sdk::Status::Ok();
  std::unique_lock<RwLock> lock;
  if (sdk::Status s = lock_exclusive(*g, &lock); !s.ok()) return s;
  auto matches = [source](const auto& record) {
    return record.source.data != nullptr && sdk::view(record.source) == source;
  };
  erase_matching(*g, matches, matches, removed);
  return sdk::Status::Ok();
}

}  // namespace graphstore::inmemory
