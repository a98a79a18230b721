// Default breadth-first traversal over get_neighbors.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

using detail::OwnedEntity;
using detail::OwnedRelation;

struct Hit {
  OwnedEntity entity;
  OwnedRelation via;
};

// Expands one entity: calls found(neighbour id, hit) for each entity not yet
// seen, with the lowest-id relation leading to it, since get_neighbors may
// report in any order. An entity that vanished meanwhile has no neighbours.
template <class Found>
gs_status expand(const Backend& b, gs_str tenant, const gs_traverse_params& p, const std::string& id,
                 const std::unordered_set<std::string>& seen, Found found, gs_errbuf* err) {
  std::unordered_map<std::string, Hit> best;
  detail::LocalErr local;
  gs_status st = detail::get_neighbors(
      b, tenant, sdk::str(id), p.direction, p.relation_type,
      [&](const gs_relation* r, const gs_entity* n) {
        std::string_view nid = sdk::view(n->id);
        if (seen.count(std::string(nid)) != 0) return true;
        auto it = best.find(std::string(nid));
        if (it == best.end()) {
          best.emplace(std::string(nid), Hit{OwnedEntity(*n), OwnedRelation(*r)});
        } else if (sdk::view(r->id) < std::string_view(it->second.via.id)) {
          it->second.via = OwnedRelation(*r);
        }
        return true;
      },
      &local.err);
  if (st == GS_NOT_FOUND) return GS_OK;
  if (st != GS_OK) return detail::fail(err, st, local.message());
  for (auto& [nid, hit] : best) found(nid, std::move(hit));
  return GS_OK;
}

gs_status run(const Backend& b, gs_str tenant, const gs_traverse_params& p, gs_traverse_sink sink, void* ctx,
              int32_t* truncated, gs_errbuf* err) {
  if (!sdk::valid_direction(p.direction))
    return detail::fail(err, GS_INVALID_ARGUMENT, sdk::invalid_direction_message(p.direction));
  std::optional<OwnedEntity> start;
  if (gs_status st = detail::fetch_entity(b, tenant, p.start_id, &start, err); st != GS_OK) return st;
  if (!start) return GS_OK;  // the sink saw nothing: a plugin that broke its contract

  std::unordered_set<std::string> seen{start->id};
  std::vector<std::string> frontier{start->id};
  uint64_t emitted = 0;
  for (uint32_t depth = 1; depth <= p.max_depth && !frontier.empty(); ++depth) {
    // Each level is settled before any of it is emitted: within a level, the
    // first discovery comes from the lowest-id entity of the previous level.
    std::vector<std::pair<std::string, Hit>> level;
    bool full = emitted >= p.max_results;
    for (const std::string& u : frontier) {
      size_t before = level.size();
      gs_status st = expand(
          b, tenant, p, u, seen, [&](const std::string& id, Hit&& hit) { level.emplace_back(id, std::move(hit)); },
          err);
      if (st != GS_OK) return st;
      for (size_t i = before; i < level.size(); ++i) seen.insert(level[i].first);
      if (full && !level.empty()) {
        *truncated = 1;  // the cap was reached and one more hit exists
        return GS_OK;
      }
    }
    std::sort(level.begin(), level.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [id, hit] : level) {
      if (emitted >= p.max_results) {
        *truncated = 1;
        return GS_OK;
      }
      gs_entity e = hit.entity.view();
      gs_relation via = hit.via.view();
      ++emitted;
      if (sink(ctx, &e, depth, &via) != 0) return GS_OK;
    }
    frontier.clear();
    for (auto& [id, hit] : level) frontier.push_back(std::move(id));
  }
  return GS_OK;
}

}  // namespace

gs_status traverse(const Backend& b, gs_str tenant, const gs_traverse_params* params, gs_traverse_sink sink, void* ctx,
                   int32_t* truncated, gs_errbuf* err) {
  int32_t ignored = 0;
  if (truncated == nullptr) truncated = &ignored;
  *truncated = 0;
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "traverse: params is NULL");
  return detail::guarded(err, [&] { return run(b, tenant, *params, sink, ctx, truncated, err); });
}

}  // namespace graphstore::defaults
