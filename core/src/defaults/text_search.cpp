// Default text search: sdk::rank_text over the tenant's candidates.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "defaults/common.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::defaults {
namespace {

struct Candidate {
  std::string id;
  std::string text_json;  // sdk::text_json of its properties
};

gs_status run(const Backend& b, gs_str tenant, const gs_text_params& p, gs_scored_sink sink, void* ctx,
              gs_errbuf* err) {
  if (p.method < GS_TEXT_BM25 || p.method > GS_TEXT_LEVENSHTEIN)
    return detail::fail(err, GS_INVALID_ARGUMENT, "text_search: unknown method " + std::to_string(p.method));
  if (std::string error = sdk::text_query_error(sdk::view(p.query)); !error.empty())
    return detail::fail(err, GS_INVALID_ARGUMENT, error);

  // Only what the scores read is kept (the text within the per-entity limit,
  // however large the properties); the few hits are fetched whole at the end,
  // which spares copying every candidate's embedding.
  std::vector<Candidate> candidates;
  gs_status st = detail::for_each_entity(
      b, tenant,
      [&](const gs_entity* e) {
        if (p.entity_type.len == 0 || sdk::view(e->entity_type) == sdk::view(p.entity_type))
          candidates.push_back(Candidate{std::string(sdk::view(e->id)), sdk::text_json(sdk::view(e->properties_json))});
        return true;
      },
      err);
  if (st != GS_OK) return st;

  std::vector<sdk::TextDoc> docs;
  docs.reserve(candidates.size());
  for (const Candidate& c : candidates) docs.push_back(sdk::TextDoc{c.id, c.text_json});
  std::vector<std::pair<size_t, double>> ranked;
  sdk::rank_text(sdk::view(p.query), p.method, docs, p.k, p.min_score, &ranked);

  for (const auto& [index, score] : ranked) {
    std::optional<detail::OwnedEntity> e;
    detail::LocalErr local;
    st = detail::fetch_entity(b, tenant, sdk::str(candidates[index].id), &e, &local.err);
    if (st == GS_NOT_FOUND || (st == GS_OK && !e)) continue;  // deleted meanwhile
    if (st != GS_OK) return detail::fail(err, st, local.message());
    gs_entity v = e->view();
    if (sink(ctx, &v, score) != 0) break;
  }
  return GS_OK;
}

}  // namespace

gs_status text_search(const Backend& b, gs_str tenant, const gs_text_params* params, gs_scored_sink sink, void* ctx,
                      gs_errbuf* err) {
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "text_search: params is NULL");
  return detail::guarded(err, [&] { return run(b, tenant, *params, sink, ctx, err); });
}

}  // namespace graphstore::defaults
