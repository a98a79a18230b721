// Scans, vector and text search, statistics.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "graphstore/scoring.hpp"
#include "queries.hpp"

namespace graphstore::inmemory {
namespace {

// The window [after_id, offset, limit] of a list sorted by id.
template <class IdOf, class Emit>
void scan_window(const std::vector<uint32_t>& sorted, const gs_scan_params& p, const IdOf& id_of, const Emit& emit) {
  auto it = sorted.begin();
  if (p.after_id.len != 0)
    it = std::upper_bound(sorted.begin(), sorted.end(), sdk::view(p.after_id),
                          [&](std::string_view key, uint32_t s) { return key < id_of(s); });
  uint64_t left = uint64_t(sorted.end() - it);
  if (p.offset >= left) return;
  it += std::ptrdiff_t(p.offset);
  for (uint64_t taken = 0; it != sorted.end() && taken < p.limit; ++it, ++taken)
    if (!emit(*it)) return;
}

// Calls fn(slot) for every live entity matching filter (kAnyType or a type).
template <class Fn>
void for_each_candidate(const Graph& g, uint32_t filter, const Fn& fn) {
  if (filter != kAnyType) {
    for (uint32_t s : g.types()[filter].entities) fn(s);
    return;
  }
  for (uint32_t s = 0; s < g.entity_slots(); ++s)
    if (g.entity_live(s)) fn(s);
}

// Orders (slot, score) hits by score descending then id ascending, keeping k.
void rank(const Graph& g, std::vector<std::pair<uint32_t, double>>* hits, uint32_t k) {
  auto better = [&](const std::pair<uint32_t, double>& a, const std::pair<uint32_t, double>& b) {
    return sdk::better_hit(a.second, g.entity_id(a.first), b.second, g.entity_id(b.first));
  };
  if (hits->size() > k) {
    std::partial_sort(hits->begin(), hits->begin() + k, hits->end(), better);
    hits->resize(k);
  } else {
    std::sort(hits->begin(), hits->end(), better);
  }
}

// Ranks (slot, score) hits, keeps k and hands them to sink.
sdk::Status emit_ranked(const Graph& g, std::vector<std::pair<uint32_t, double>>* hits, uint32_t k,
                        const sdk::ScoredSink& sink) {
  rank(g, hits, k);
  for (const auto& [slot, score] : *hits) {
    gs_entity e = g.entity_view(slot);
    if (!sink(&e, score)) break;
  }
  return sdk::Status::Ok();
}

}  // namespace

sdk::Status scan_entities(const Graph& g, const gs_scan_params& p, sdk::EntitySink sink) {
  uint32_t filter = resolve_type(g, sdk::view(p.type));
  if (filter == kNone) return sdk::Status::Ok();
  const std::vector<uint32_t>& sorted = g.entities_by_id(filter == kAnyType ? kNone : filter);
  scan_window(
      sorted, p, [&](uint32_t s) { return g.entity_id(s); },
      [&](uint32_t s) {
        gs_entity e = g.entity_view(s);
        return sink(&e);
      });
  return sdk::Status::Ok();
}

sdk::Status scan_relations(const Graph& g, const gs_scan_params& p, sdk::RelationSink sink) {
  uint32_t filter = resolve_type(g, sdk::view(p.type));
  if (filter == kNone) return sdk::Status::Ok();
  const std::vector<uint32_t>& sorted = g.relations_by_id(filter == kAnyType ? kNone : filter);
  scan_window(
      sorted, p, [&](uint32_t s) { return g.relation_id(s); },
      [&](uint32_t s) {
        gs_relation r = g.relation_view(s);
        return sink(&r);
      });
  return sdk::Status::Ok();
}

sdk::Status vector_search(const Graph& g, const gs_vector_params& p, sdk::ScoredSink sink) {
  uint32_t stored = g.embedding_dim();
  if (stored == 0) return sdk::Status::Ok();
  if (p.dim != stored)
    return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: query dimension " + std::to_string(p.dim) +
                                                    " differs from dimension " + std::to_string(stored) +
                                                    " of the embeddings stored in " + g.where());
  uint32_t filter = resolve_type(g, sdk::view(p.entity_type));
  if (filter == kNone || p.k == 0) return sdk::Status::Ok();
  std::vector<std::pair<uint32_t, double>> hits;
  // The index proposes candidates with their exact scores; when it cannot
  // fill k (plugins/hnsw/README.md, "Which path answers"), the scan does.
  const hnsw::TenantVectors* index = g.vectors();
  std::vector<hnsw::ScoredKey> found;
  if (index && (p.flags & GS_VECTOR_EXACT) == 0 && index->find(p.query, p.dim, p.k, sdk::view(p.entity_type), &found)) {
    for (const hnsw::ScoredKey& c : found)
      if (c.score >= p.min_score) hits.emplace_back(uint32_t(c.key), c.score);
    return emit_ranked(g, &hits, p.k, sink);
  }
  for_each_candidate(g, filter, [&](uint32_t s) {
    const float* v = g.embedding(s);
    if (v == nullptr) return;
    double score = sdk::cosine_similarity(p.query, v, p.dim);
    if (score >= p.min_score) hits.emplace_back(s, score);
  });
  return emit_ranked(g, &hits, p.k, sink);
}

sdk::Status text_search(const Graph& g, const gs_text_params& p, sdk::ScoredSink sink) {
  uint32_t filter = resolve_type(g, sdk::view(p.entity_type));
  if (filter == kNone) return sdk::Status::Ok();
  std::vector<uint32_t> slots;
  std::vector<sdk::TextDoc> docs;
  for_each_candidate(g, filter, [&](uint32_t s) {
    slots.push_back(s);
    docs.push_back(sdk::TextDoc{g.entity_id(s), g.entity_properties(s)});
  });
  std::vector<std::pair<size_t, double>> ranked;
  if (!sdk::rank_text(sdk::view(p.query), p.method, docs, p.k, p.min_score, &ranked))
    return sdk::make_error(GS_INVALID_ARGUMENT, "text_search: unknown method " + std::to_string(p.method));
  for (const auto& [index, score] : ranked) {
    gs_entity e = g.entity_view(slots[index]);
    if (!sink(&e, score)) break;
  }
  return sdk::Status::Ok();
}

sdk::Status get_stats(const Graph& g, sdk::StatsSink sink) {
  for (const TypeInfo& t : g.types()) {
    if (t.entities.empty()) continue;
    if (!sink(int32_t(GS_KIND_ENTITY), gs_str{t.name.data(), t.name.size()}, uint64_t(t.entities.size())))
      return sdk::Status::Ok();
  }
  for (const TypeInfo& t : g.types()) {
    if (t.relations == 0) continue;
    if (!sink(int32_t(GS_KIND_RELATION), gs_str{t.name.data(), t.name.size()}, t.relations)) return sdk::Status::Ok();
  }
  return sdk::Status::Ok();
}

}  // namespace graphstore::inmemory
