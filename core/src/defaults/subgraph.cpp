// Default subgraph: the given entities and the relations among them.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

using detail::OwnedEntity;
using detail::OwnedRelation;

gs_status run(const Backend& b, gs_str tenant, const gs_str* ids, size_t n_ids, gs_entity_sink entity_sink,
              gs_relation_sink relation_sink, void* ctx, gs_errbuf* err) {
  std::vector<OwnedEntity> members;
  std::unordered_set<std::string> in_set;
  for (size_t i = 0; i < n_ids; ++i) {
    std::string id(sdk::view(ids[i]));
    if (in_set.count(id) != 0) continue;
    std::optional<OwnedEntity> e;
    detail::LocalErr local;
    gs_status st = detail::fetch_entity(b, tenant, ids[i], &e, &local.err);
    if (st == GS_NOT_FOUND || (st == GS_OK && !e)) continue;  // unknown ids are ignored
    if (st != GS_OK) return detail::fail(err, st, local.message());
    in_set.insert(std::move(id));
    members.push_back(std::move(*e));
  }

  // Each relation sits among exactly one entity's out-edges, a self-loop
  // included, so walking the members' out-edges meets each relation once.
  std::vector<OwnedRelation> relations;
  for (const OwnedEntity& u : members) {
    detail::LocalErr local;
    gs_status st = detail::get_neighbors(
        b, tenant, sdk::str(u.id), GS_DIRECTION_OUT, sdk::null_str(),
        [&](const gs_relation* r, const gs_entity* n) {
          if (in_set.count(std::string(sdk::view(n->id))) != 0) relations.emplace_back(*r);
          return true;
        },
        &local.err);
    if (st == GS_NOT_FOUND) continue;  // deleted meanwhile
    if (st != GS_OK) return detail::fail(err, st, local.message());
  }

  std::sort(members.begin(), members.end(), [](const OwnedEntity& a, const OwnedEntity& b) { return a.id < b.id; });
  std::sort(relations.begin(), relations.end(),
            [](const OwnedRelation& a, const OwnedRelation& b) { return a.id < b.id; });
  for (const OwnedEntity& e : members) {
    gs_entity v = e.view();
    if (entity_sink(ctx, &v) != 0) return GS_OK;
  }
  for (const OwnedRelation& r : relations) {
    gs_relation v = r.view();
    if (relation_sink(ctx, &v) != 0) return GS_OK;
  }
  return GS_OK;
}

}  // namespace

gs_status subgraph(const Backend& b, gs_str tenant, const gs_str* ids, size_t n_ids, gs_entity_sink entity_sink,
                   gs_relation_sink relation_sink, void* ctx, gs_errbuf* err) {
  if (n_ids != 0 && ids == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "subgraph: ids is NULL");
  return detail::guarded(err, [&] { return run(b, tenant, ids, n_ids, entity_sink, relation_sink, ctx, err); });
}

}  // namespace graphstore::defaults
