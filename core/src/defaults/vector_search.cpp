// Default exact top-k cosine search over for_each_entity.
#include <algorithm>
#include <string>
#include <vector>

#include "defaults/common.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::defaults {
namespace {

using detail::OwnedEntity;

struct Scored {
  double score;
  OwnedEntity entity;
};

bool better(const Scored& a, const Scored& b) {
  return sdk::better_hit(a.score, std::string_view(a.entity.id), b.score, std::string_view(b.entity.id));
}

gs_status run(const Backend& b, gs_str tenant, const gs_vector_params& p, gs_scored_sink sink, void* ctx,
              gs_errbuf* err) {
  if (p.dim == 0) return detail::fail(err, GS_INVALID_ARGUMENT, "vector_search: the query has dimension 0");
  if (p.query == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "vector_search: the query is NULL");

  // The best hits so far. Past 2k of them the list is cut back to k, and the
  // k-th becomes a bar that later candidates must clear before being copied.
  std::vector<Scored> hits;
  bool have_bar = false;
  double bar_score = 0;
  std::string bar_id;
  uint32_t mismatch = 0;
  gs_status st = detail::for_each_entity(
      b, tenant,
      [&](const gs_entity* e) {
        if (e->embedding_dim == 0 || e->embedding == nullptr) return true;
        if (e->embedding_dim != p.dim) {
          mismatch = e->embedding_dim;
          return false;
        }
        if (p.entity_type.len != 0 && sdk::view(e->entity_type) != sdk::view(p.entity_type)) return true;
        double score = sdk::cosine_similarity(p.query, e->embedding, p.dim);
        if (!(score >= p.min_score) || p.k == 0) return true;
        if (have_bar && !sdk::better_hit(score, sdk::view(e->id), bar_score, std::string_view(bar_id))) return true;
        hits.push_back(Scored{score, OwnedEntity(*e)});
        if (hits.size() > 2 * uint64_t(p.k) && hits.size() >= 64) {
          std::nth_element(hits.begin(), hits.begin() + (p.k - 1), hits.end(), better);
          hits.resize(p.k);
          have_bar = true;
          bar_score = hits.back().score;
          bar_id = hits.back().entity.id;
        }
        return true;
      },
      err);
  if (st != GS_OK) return st;
  if (mismatch != 0)
    return detail::fail(err, GS_INVALID_ARGUMENT,
                        "vector_search: query has dimension " + std::to_string(p.dim) + ", stored embeddings have " +
                            std::to_string(mismatch));
  std::sort(hits.begin(), hits.end(), better);
  if (hits.size() > p.k) hits.resize(p.k);
  for (const Scored& h : hits) {
    gs_entity v = h.entity.view();
    if (sink(ctx, &v, h.score) != 0) break;
  }
  return GS_OK;
}

}  // namespace

gs_status vector_search(const Backend& b, gs_str tenant, const gs_vector_params* params, gs_scored_sink sink, void* ctx,
                        gs_errbuf* err) {
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "vector_search: params is NULL");
  return detail::guarded(err, [&] { return run(b, tenant, *params, sink, ctx, err); });
}

}  // namespace graphstore::defaults
