// Default simple-path enumeration over get_neighbors: sdk::PathSearch (the
// enumeration every native find_paths shares) with one get_neighbors call
// per entity, IN for the distances and OUT for the paths. A record is copied
// only when its relation leads to an entity that can reach the target.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "defaults/common.hpp"
#include "graphstore/paths.hpp"

namespace graphstore::defaults {
namespace {

using detail::OwnedEntity;
using detail::OwnedRelation;

class DefaultPaths {
 public:
  DefaultPaths(const Backend& b, gs_str tenant, const gs_paths_params& p, gs_errbuf* err)
      : b_(b), tenant_(tenant), p_(p), err_(err), search_(p.max_depth, p.max_paths) {}

  gs_status run(gs_path_sink sink, void* ctx, int32_t* truncated) {
    std::optional<OwnedEntity> source, target;
    if (gs_status st = detail::fetch_entity(b_, tenant_, p_.source_id, &source, err_); st != GS_OK) return st;
    if (gs_status st = detail::fetch_entity(b_, tenant_, p_.target_id, &target, err_); st != GS_OK) return st;
    if (!source || !target) return GS_OK;  // the sink saw nothing: a plugin that broke its contract

    if (source->id == target->id) {
      // The only simple path from an entity to itself is the entity alone.
      if (p_.max_paths == 0) {
        *truncated = 1;
        return GS_OK;
      }
      gs_entity e = source->view();
      const gs_entity* entities[1] = {&e};
      sink(ctx, entities, 1, nullptr, 0);
      return GS_OK;
    }
    if (p_.max_depth == 0) return GS_OK;

    const std::string source_id = source->id, target_id = target->id;
    entities_.emplace(source_id, std::move(*source));
    entities_.emplace(target_id, std::move(*target));
    auto in_level = [&](const std::vector<std::string_view>& level, auto&& visit) {
      for (std::string_view id : level) {
        detail::LocalErr local;
        gs_status st = detail::get_neighbors(
            b_, tenant_, sdk::str(id), GS_DIRECTION_IN, p_.relation_type,
            [&](const gs_relation*, const gs_entity* n) {
              visit(sdk::view(n->id));
              return true;
            },
            &local.err);
        if (st == GS_NOT_FOUND) continue;  // deleted meanwhile
        if (st != GS_OK) return fail(st, local.message());
      }
      return true;
    };
    auto out_edges = [&](std::string_view id, auto&& visit) {
      detail::LocalErr local;
      gs_status st = detail::get_neighbors(
          b_, tenant_, sdk::str(id), GS_DIRECTION_OUT, p_.relation_type,
          [&](const gs_relation* r, const gs_entity* n) {
            if (!visit(sdk::view(r->id), sdk::view(n->id))) return true;
            relations_.try_emplace(std::string(sdk::view(r->id)), *r);
            entities_.try_emplace(std::string(sdk::view(n->id)), *n);
            return true;
          },
          &local.err);
      if (st != GS_OK && st != GS_NOT_FOUND) return fail(st, local.message());
      return true;
    };
    std::vector<gs_entity> entities;
    std::vector<gs_relation> relations;
    std::vector<const gs_entity*> entity_ptrs;
    std::vector<const gs_relation*> relation_ptrs;
    auto emit = [&](const std::vector<sdk::PathSearch::Step>& steps) {
      entities.assign(1, entities_.at(source_id).view());
      relations.clear();
      for (const sdk::PathSearch::Step& s : steps) {
        relations.push_back(relations_.at(*s.relation).view());
        entities.push_back(entities_.at(search_.id(s.entity)).view());
      }
      entity_ptrs.clear();
      relation_ptrs.clear();
      for (const gs_entity& e : entities) entity_ptrs.push_back(&e);
      for (const gs_relation& r : relations) relation_ptrs.push_back(&r);
      return sink(ctx, entity_ptrs.data(), entity_ptrs.size(), relation_ptrs.data(), relation_ptrs.size()) == 0;
    };
    bool more = false;
    if (!search_.measure(target_id, in_level) || !search_.run(source_id, target_id, out_edges, emit, &more))
      return failed_;
    *truncated = more ? 1 : 0;
    return GS_OK;
  }

 private:
  // Keeps a loader's failure for run() to return; false stops the search.
  bool fail(gs_status st, std::string_view message) {
    failed_ = detail::fail(err_, st, message);
    return false;
  }

  const Backend& b_;
  gs_str tenant_;
  const gs_paths_params& p_;
  gs_errbuf* err_;
  sdk::PathSearch search_;
  std::unordered_map<std::string, OwnedEntity> entities_;     // by id: source, target and every kept edge's end
  std::unordered_map<std::string, OwnedRelation> relations_;  // by id: every kept edge
  gs_status failed_ = GS_OK;
};

}  // namespace

gs_status find_paths(const Backend& b, gs_str tenant, const gs_paths_params* params, gs_path_sink sink, void* ctx,
                     int32_t* truncated, gs_errbuf* err) {
  int32_t ignored = 0;
  if (truncated == nullptr) truncated = &ignored;
  *truncated = 0;
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "find_paths: params is NULL");
  return detail::guarded(err, [&] { return DefaultPaths(b, tenant, *params, err).run(sink, ctx, truncated); });
}

}  // namespace graphstore::defaults
