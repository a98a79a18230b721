// Default statistics: counts per type from one pass over each kind.
#include <map>
#include <string>

#include "defaults/common.hpp"

namespace graphstore::defaults {

gs_status get_stats(const Backend& b, gs_str tenant, gs_stats_sink sink, void* ctx, gs_errbuf* err) {
  return detail::guarded(err, [&] {
    // Ordered maps give the rows sorted by type.
    std::map<std::string, uint64_t, std::less<>> entities, relations;
    gs_status st = detail::for_each_entity(
        b, tenant,
        [&](const gs_entity* e) {
          std::string_view type = sdk::view(e->entity_type);
          auto it = entities.find(type);
          if (it == entities.end()) it = entities.emplace(std::string(type), 0).first;
          ++it->second;
          return true;
        },
        err);
    if (st != GS_OK) return st;
    st = detail::for_each_relation(
        b, tenant,
        [&](const gs_relation* r) {
          std::string_view type = sdk::view(r->relation_type);
          auto it = relations.find(type);
          if (it == relations.end()) it = relations.emplace(std::string(type), 0).first;
          ++it->second;
          return true;
        },
        err);
    if (st != GS_OK) return st;
    for (const auto& [type, count] : entities)
      if (sink(ctx, GS_KIND_ENTITY, sdk::str(type), count) != 0) return static_cast<gs_status>(GS_OK);
    for (const auto& [type, count] : relations)
      if (sink(ctx, GS_KIND_RELATION, sdk::str(type), count) != 0) return static_cast<gs_status>(GS_OK);
    return static_cast<gs_status>(GS_OK);
  });
}

}  // namespace graphstore::defaults
