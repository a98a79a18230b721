// Default simple-path enumeration over get_neighbors.
//
// A reverse BFS from the target (IN edges) gives each entity's distance to
// it; a depth-first search from the source then enters an entity only when
// that distance fits in the relations left. The search runs once per exact
// length L = 1, 2, ...: with out-edges sorted by relation id, one length's
// paths come out in lexicographic order of their relation ids, so the output
// order needs no sort and the search stops as soon as max_paths + 1 exist.
#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

using detail::OwnedEntity;
using detail::OwnedRelation;
using detail::sv;

constexpr uint32_t kFar = std::numeric_limits<uint32_t>::max();

struct Node;

struct Edge {
  OwnedRelation relation;
  Node* to;
};

struct Node {
  std::string id;
  std::optional<OwnedEntity> entity;  // set once the entity has been seen
  uint32_t distance = kFar;           // relations to the target, kFar: none within the bound
  bool loaded = false;                // out_edges fetched
  bool on_path = false;
  std::vector<Edge> out_edges;  // sorted by relation id
};

class PathSearch {
 public:
  PathSearch(const Backend& b, gs_str tenant, const gs_paths_params& p, gs_errbuf* err)
      : b_(b), tenant_(tenant), p_(p), err_(err) {}

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

    source_ = node(source->id);
    source_->entity = std::move(source);
    target_ = node(target->id);
    target_->entity = std::move(target);
    if (gs_status st = distances(); st != GS_OK) return st;
    if (source_->distance == kFar) return GS_OK;

    sink_ = sink;
    ctx_ = ctx;
    truncated_ = truncated;
    // A simple path visits each entity that can reach the target at most once.
    uint64_t longest = std::min<uint64_t>(p_.max_depth, reachable_ - 1);
    for (uint64_t length = source_->distance; length <= longest && !done_; ++length) {
      pruned_ = false;
      if (gs_status st = search(static_cast<uint32_t>(length)); st != GS_OK) return st;
      // A longer path would have been cut by the length bound somewhere.
      if (!pruned_) break;
    }
    return GS_OK;
  }

 private:
  Node* node(const std::string& id) {
    auto it = nodes_.find(id);
    if (it != nodes_.end()) return it->second.get();
    auto owned = std::make_unique<Node>();
    owned->id = id;
    Node* n = owned.get();
    nodes_.emplace(id, std::move(owned));
    return n;
  }

  // Reverse BFS from the target. An entity the search may enter lies at most
  // max_depth - 1 relations away; the source alone may lie at max_depth, so
  // the widest level is skipped and the source's distance comes from its own
  // out-edges instead.
  gs_status distances() {
    target_->distance = 0;
    reachable_ = 1;
    std::vector<Node*> level{target_}, next;
    for (uint32_t d = 1; d < p_.max_depth && !level.empty(); ++d) {
      next.clear();
      for (Node* u : level) {
        detail::LocalErr local;
        gs_status st = detail::get_neighbors(
            b_, tenant_, detail::str(u->id), GS_DIRECTION_IN, p_.relation_type,
            [&](const gs_relation*, const gs_entity* n) {
              Node* v = node(std::string(sv(n->id)));
              if (v->distance == kFar) {
                v->distance = d;
                next.push_back(v);
                ++reachable_;
              }
              return true;
            },
            &local.err);
        if (st == GS_NOT_FOUND) continue;  // deleted meanwhile
        if (st != GS_OK) return detail::fail(err_, st, local.message());
      }
      level.swap(next);
    }
    if (source_->distance != kFar) return GS_OK;
    if (gs_status st = load(source_); st != GS_OK) return st;
    for (const Edge& e : source_->out_edges)
      if (e.to != source_) source_->distance = std::min(source_->distance, e.to->distance + 1);
    if (source_->distance != kFar) ++reachable_;
    return GS_OK;
  }

  // Fetches u's out-edges once per call, sorted by relation id.
  gs_status load(Node* u) {
    if (u->loaded) return GS_OK;
    std::vector<Edge> edges;
    detail::LocalErr local;
    gs_status st = detail::get_neighbors(
        b_, tenant_, detail::str(u->id), GS_DIRECTION_OUT, p_.relation_type,
        [&](const gs_relation* r, const gs_entity* n) {
          Node* v = node(std::string(sv(n->id)));
          // Only an entity that can still reach the target is worth a copy.
          if (v->distance == kFar) return true;
          if (!v->entity) v->entity.emplace(*n);
          edges.push_back(Edge{OwnedRelation(*r), v});
          return true;
        },
        &local.err);
    if (st != GS_OK && st != GS_NOT_FOUND) return detail::fail(err_, st, local.message());
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.relation.id < b.relation.id; });
    u->out_edges = std::move(edges);
    u->loaded = true;
    return GS_OK;
  }

  // Every simple path of exactly `length` relations, in relation-id order.
  gs_status search(uint32_t length) {
    struct Frame {
      Node* node;
      size_t next;  // index of the next out-edge to try
    };
    std::vector<Frame> stack{{source_, 0}};
    std::vector<const Edge*> path;
    source_->on_path = true;
    gs_status result = GS_OK;
    while (!stack.empty() && !done_) {
      Frame& top = stack.back();
      if (gs_status st = load(top.node); st != GS_OK) {
        result = st;
        break;
      }
      uint32_t used = static_cast<uint32_t>(path.size());
      bool descended = false;
      while (top.next < top.node->out_edges.size()) {
        const Edge& e = top.node->out_edges[top.next++];
        Node* v = e.to;
        if (v == target_) {
          if (used + 1 == length && !emit(path, e)) break;
          continue;
        }
        if (v->on_path) continue;
        if (v->distance > length - (used + 1)) {
          pruned_ = true;
          continue;
        }
        v->on_path = true;
        path.push_back(&e);
        stack.push_back(Frame{v, 0});
        descended = true;
        break;
      }
      if (descended || done_) continue;
      stack.back().node->on_path = false;
      stack.pop_back();
      if (!path.empty()) path.pop_back();
    }
    for (const Frame& f : stack) f.node->on_path = false;
    return result;
  }

  // Emits path + last, or notes that one more path exists. False to stop.
  bool emit(const std::vector<const Edge*>& path, const Edge& last) {
    if (emitted_ >= p_.max_paths) {
      *truncated_ = 1;
      done_ = true;
      return false;
    }
    ++emitted_;
    std::vector<gs_entity> entities;
    std::vector<gs_relation> relations;
    entities.reserve(path.size() + 2);
    relations.reserve(path.size() + 1);
    entities.push_back(source_->entity->view());
    for (const Edge* e : path) {
      relations.push_back(e->relation.view());
      entities.push_back(e->to->entity->view());
    }
    relations.push_back(last.relation.view());
    entities.push_back(target_->entity->view());
    std::vector<const gs_entity*> entity_ptrs;
    std::vector<const gs_relation*> relation_ptrs;
    for (const gs_entity& e : entities) entity_ptrs.push_back(&e);
    for (const gs_relation& r : relations) relation_ptrs.push_back(&r);
    if (sink_(ctx_, entity_ptrs.data(), entity_ptrs.size(), relation_ptrs.data(), relation_ptrs.size()) != 0) {
      done_ = true;
      return false;
    }
    return true;
  }

  const Backend& b_;
  gs_str tenant_;
  const gs_paths_params& p_;
  gs_errbuf* err_;
  std::unordered_map<std::string, std::unique_ptr<Node>> nodes_;
  Node* source_ = nullptr;
  Node* target_ = nullptr;
  gs_path_sink sink_ = nullptr;
  void* ctx_ = nullptr;
  int32_t* truncated_ = nullptr;
  uint64_t reachable_ = 0;  // entities with a distance, source and target included
  uint64_t emitted_ = 0;
  bool pruned_ = false;  // the current search skipped an edge for its length
  bool done_ = false;
};

}  // namespace

gs_status find_paths(const Backend& b, gs_str tenant, const gs_paths_params* params, gs_path_sink sink, void* ctx,
                     int32_t* truncated, gs_errbuf* err) {
  int32_t ignored = 0;
  if (truncated == nullptr) truncated = &ignored;
  *truncated = 0;
  if (params == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "find_paths: params is NULL");
  return detail::guarded(err, [&] { return PathSearch(b, tenant, *params, err).run(sink, ctx, truncated); });
}

}  // namespace graphstore::defaults
