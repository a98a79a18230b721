// Expansion, breadth-first traversal, path enumeration and subgraphs.
#include <algorithm>
#include <string>
#include <vector>

#include "queries.hpp"
#include "scratch.hpp"
#include "sort_by_id.hpp"

namespace graphstore::inmemory {
namespace {

sdk::Status entity_not_found(const Graph& g, std::string_view role, std::string_view id) {
  return sdk::make_error(GS_NOT_FOUND,
                         std::string(role) + "entity " + sdk::quoted_prefix(id) + " not found in " + g.where());
}

}  // namespace

sdk::Status get_neighbors(const Graph& g, std::string_view id, int32_t direction, std::string_view relation_type,
                          sdk::NeighborSink sink) {
  if (sdk::Status s = sdk::check_direction(direction); !s.ok()) return s;
  uint32_t slot = g.find_entity(id);
  if (slot == kNone) return entity_not_found(g, "", id);
  uint32_t filter = resolve_type(g, relation_type);
  if (filter == kNone) return sdk::Status::Ok();
  bool go_on = true;
  for_each_edge(g, slot, direction, filter, [&](const Edge& e) {
    if (!go_on) return;
    gs_relation r = g.relation_view(e.relation);
    gs_entity n = g.entity_view(e.other);
    go_on = sink(&r, &n);
  });
  return sdk::Status::Ok();
}

// BFS by levels: each level is expanded from its entities in id order, each
// entity's edges in relation-id order, so the first discovery of an entity is
// by the lowest-id relation of the lowest-id entity of the previous level.
sdk::Status traverse(const Graph& g, const gs_traverse_params& p, sdk::TraverseSink sink, bool* truncated) {
  if (sdk::Status s = sdk::check_direction(p.direction); !s.ok()) return s;
  uint32_t start = g.find_entity(sdk::view(p.start_id));
  if (start == kNone) return entity_not_found(g, "start ", sdk::view(p.start_id));
  uint32_t filter = resolve_type(g, sdk::view(p.relation_type));
  if (filter == kNone || p.max_depth == 0) return sdk::Status::Ok();

  struct Hit {
    uint32_t entity;
    uint32_t via;
    uint32_t depth;
  };
  std::vector<Hit> hits;
  {
    SlotMarks& seen = thread_marks(0);
    seen.reset(g.entity_slots());
    seen.set(start);
    std::vector<uint32_t> frontier{start};
    for (uint32_t depth = 1; depth <= p.max_depth && !frontier.empty(); ++depth) {
      size_t level = hits.size();
      for (uint32_t u : frontier) {
        for_each_edge(g, u, p.direction, filter, [&](const Edge& e) {
          if (seen.test(e.other)) return;
          seen.set(e.other);
          hits.push_back(Hit{e.other, e.relation, depth});
        });
      }
      std::sort(hits.begin() + level, hits.end(),
                [&](const Hit& a, const Hit& b) { return g.entity_less(a.entity, b.entity); });
      // Later levels sort after every hit found so far: once there are more
      // hits than the cap, the answer and its truncation are settled.
      if (hits.size() > p.max_results) break;
      frontier.clear();
      for (size_t i = level; i < hits.size(); ++i) frontier.push_back(hits[i].entity);
    }
  }
  *truncated = hits.size() > p.max_results;
  size_t n = std::min<uint64_t>(hits.size(), p.max_results);
  for (size_t i = 0; i < n; ++i) {
    gs_entity e = g.entity_view(hits[i].entity);
    gs_relation via = g.relation_view(hits[i].via);
    if (!sink(&e, hits[i].depth, &via)) break;
  }
  return sdk::Status::Ok();
}

namespace {

// Enumerates simple OUT paths source -> target in (length, relation ids)
// order, keeping only what the answer can use: a depth-first search over
// edges sorted by relation id meets the paths of any one length in
// lexicographic order, so once the paths found of length <= l number
// max_paths + 1, no later path of length >= l can be in the answer and the
// search bound drops to l - 1. Passes with doubling bounds find short paths
// first. A reverse BFS from the target gives every
// entity's distance to it, and the search enters an entity only when that
// distance fits in the remaining bound.
class PathSearch {
 public:
  PathSearch(const Graph& g, uint32_t source, uint32_t target, uint32_t filter, uint32_t max_depth, uint64_t max_paths)
      : g_(g),
        source_(source),
        target_(target),
        filter_(filter),
        bound_(max_depth),
        need_(max_paths == UINT64_MAX ? UINT64_MAX : max_paths + 1) {}

  void run() {
    if (!distances()) return;
    // Doubling the bound keeps a dense graph from being searched deep before
    // its short paths are found; each pass finds every path within its bound.
    uint32_t max_depth = bound_;
    uint32_t shortest = thread_values().get(source_);
    for (uint32_t b = shortest;; b = b > max_depth / 2 ? max_depth : b * 2) {
      found_.clear();
      paths_.clear();
      counts_.clear();
      bound_ = std::min(b, max_depth);
      dfs();
      if (found_.size() >= need_ || b >= max_depth) return;
    }
  }

  // Paths found, as (length, offset into rels_), ordered for output.
  struct Found {
    uint32_t length;
    uint32_t offset;
  };
  std::vector<Found> ordered() {
    std::stable_sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) { return a.length < b.length; });
    return found_;
  }
  const uint32_t* relations(const Found& f) const { return paths_.data() + f.offset; }

 private:
  // Reverse BFS from the target; false when the source is farther than the
  // bound. Only the source may sit at distance bound itself (the search never
  // enters an entity that far), so the BFS stops one level short, where the
  // widest level would be, and the source's distance comes from its
  // out-neighbours instead.
  bool distances() {
    SlotValues& dist = thread_values();
    dist.reset(g_.entity_slots());
    dist.set(target_, 0);
    std::vector<uint32_t> level{target_}, next;
    for (uint32_t d = 1; d < bound_ && !level.empty(); ++d) {
      next.clear();
      for (uint32_t u : level) {
        for (const Edge& e : g_.in_edges(u)) {
          if (!type_matches(filter_, e.type) || dist.has(e.other)) continue;
          dist.set(e.other, d);
          next.push_back(e.other);
        }
      }
      level.swap(next);
    }
    if (dist.has(source_)) return true;
    uint32_t best = UINT32_MAX;
    for (const Edge& e : g_.out_edges(source_))
      if (type_matches(filter_, e.type) && dist.has(e.other)) best = std::min(best, dist.get(e.other) + 1);
    if (best > bound_) return false;
    dist.set(source_, best);
    return true;
  }

  void dfs() {
    const SlotValues& dist = thread_values();
    SlotMarks& on_path = thread_marks(1);
    on_path.reset(g_.entity_slots());
    struct Frame {
      uint32_t entity;
      uint32_t next;  // index of the next edge to try
    };
    std::vector<Frame> stack{{source_, 0}};
    std::vector<uint32_t> rels;
    on_path.set(source_);
    while (!stack.empty() && bound_ > 0) {
      uint32_t used = uint32_t(rels.size());
      const EdgeList& out = g_.out_edges(stack.back().entity);
      bool descended = false;
      while (stack.back().next < out.size) {
        const Edge& e = out.data[stack.back().next++];
        if (!type_matches(filter_, e.type)) continue;
        if (e.other == target_) {
          if (used + 1 <= bound_) record(rels, e.relation);
          continue;
        }
        if (used + 1 >= bound_ || on_path.test(e.other) || !dist.has(e.other) ||
            dist.get(e.other) > bound_ - (used + 1))
          continue;
        on_path.set(e.other);
        rels.push_back(e.relation);
        stack.push_back(Frame{e.other, 0});
        descended = true;
        break;
      }
      if (descended) continue;
      on_path.unset(stack.back().entity);
      stack.pop_back();
      if (!rels.empty()) rels.pop_back();
    }
  }

  void record(const std::vector<uint32_t>& prefix, uint32_t last) {
    uint32_t length = uint32_t(prefix.size() + 1);
    found_.push_back(Found{length, uint32_t(paths_.size())});
    paths_.insert(paths_.end(), prefix.begin(), prefix.end());
    paths_.push_back(last);
    if (counts_.size() <= length) counts_.resize(length + 1, 0);
    ++counts_[length];
    uint64_t total = 0;
    for (uint32_t l = 1; l < counts_.size() && l <= bound_; ++l) {
      total += counts_[l];
      if (total >= need_) {
        bound_ = l - 1;
        break;
      }
    }
  }

  const Graph& g_;
  uint32_t source_, target_, filter_;
  uint32_t bound_;  // longest path length still worth finding
  uint64_t need_;   // max_paths + 1: enough to settle the answer and its truncation
  std::vector<Found> found_;
  std::vector<uint32_t> paths_;
  std::vector<uint64_t> counts_;  // paths found per length
};

}  // namespace

sdk::Status find_paths(const Graph& g, const gs_paths_params& p, sdk::PathSink sink, bool* truncated) {
  uint32_t source = g.find_entity(sdk::view(p.source_id));
  if (source == kNone) return entity_not_found(g, "source ", sdk::view(p.source_id));
  uint32_t target = g.find_entity(sdk::view(p.target_id));
  if (target == kNone) return entity_not_found(g, "target ", sdk::view(p.target_id));

  if (source == target) {
    *truncated = p.max_paths == 0;
    if (p.max_paths == 0) return sdk::Status::Ok();
    gs_entity e = g.entity_view(source);
    const gs_entity* entities[1] = {&e};
    sink(entities, 1, nullptr, 0);
    return sdk::Status::Ok();
  }
  uint32_t filter = resolve_type(g, sdk::view(p.relation_type));
  if (filter == kNone || p.max_depth == 0) return sdk::Status::Ok();

  // A simple path has fewer relations than the graph has entities.
  uint32_t depth = uint32_t(std::min<uint64_t>(p.max_depth, g.entity_count()));
  PathSearch search(g, source, target, filter, depth, p.max_paths);
  search.run();
  std::vector<PathSearch::Found> found = search.ordered();
  *truncated = found.size() > p.max_paths;

  std::vector<gs_entity> entities;
  std::vector<gs_relation> relations;
  std::vector<const gs_entity*> entity_ptrs;
  std::vector<const gs_relation*> relation_ptrs;
  size_t n = std::min<uint64_t>(found.size(), p.max_paths);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t* rels = search.relations(found[i]);
    uint32_t length = found[i].length;
    entities.assign(1, g.entity_view(source));
    relations.clear();
    for (uint32_t k = 0; k < length; ++k) {
      relations.push_back(g.relation_view(rels[k]));
      entities.push_back(g.entity_view(g.relation(rels[k]).target));
    }
    entity_ptrs.clear();
    relation_ptrs.clear();
    for (const gs_entity& e : entities) entity_ptrs.push_back(&e);
    for (const gs_relation& r : relations) relation_ptrs.push_back(&r);
    if (!sink(entity_ptrs.data(), entity_ptrs.size(), relation_ptrs.data(), relation_ptrs.size())) break;
  }
  return sdk::Status::Ok();
}

sdk::Status subgraph(const Graph& g, const gs_str* ids, size_t n_ids, sdk::EntitySink entity_sink,
                     sdk::RelationSink relation_sink) {
  std::vector<uint32_t> members, relations;
  {
    SlotMarks& in_set = thread_marks(0);
    in_set.reset(g.entity_slots());
    for (size_t i = 0; i < n_ids; ++i) {
      uint32_t slot = g.find_entity(sdk::view(ids[i]));
      if (slot == kNone || in_set.test(slot)) continue;
      in_set.set(slot);
      members.push_back(slot);
    }
    // Every relation sits in its source's out-list once, self-loops included.
    for (uint32_t u : members)
      for (const Edge& e : g.out_edges(u))
        if (in_set.test(e.other)) relations.push_back(e.relation);
  }
  sort_by_id(members, [&](uint32_t s) { return g.entity_id(s); });
  sort_by_id(relations, [&](uint32_t s) { return g.relation_id(s); });
  for (uint32_t s : members) {
    gs_entity e = g.entity_view(s);
    if (!entity_sink(&e)) return sdk::Status::Ok();
  }
  for (uint32_t s : relations) {
    gs_relation r = g.relation_view(s);
    if (!relation_sink(&r)) return sdk::Status::Ok();
  }
  return sdk::Status::Ok();
}

}  // namespace graphstore::inmemory
