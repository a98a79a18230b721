// All simple paths from a source to a target: the one enumeration that the
// core's default find_paths and every native find_paths built on it share,
// so they return the same paths in the same order by construction.
//
// The order is abi.h's: by length, then by the sequence of relation ids. A
// reverse breadth-first search from the target gives each entity its
// distance to it (in relations, over out-edges); a depth-first search from
// the source then runs once per exact length L = 1, 2, ... and enters an
// entity only when its distance fits in the relations left. With each
// entity's out-edges sorted by relation id, one length's paths come out in
// lexicographic order, so nothing is sorted afterwards and the search stops
// as soon as max_paths + 1 paths exist (the last one only sets truncated).
//
// The backend supplies the graph through two loaders, so it keeps its own
// batching: a level loader for the reverse search (one call per level of
// the target's in-neighbourhood) or distances it measured itself
// (set_distance), and an out-edge loader called at most once per entity.
#ifndef GRAPHSTORE_PATHS_HPP
#define GRAPHSTORE_PATHS_HPP

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace graphstore::sdk {

class PathSearch {
 public:
  // The distance of an entity that cannot reach the target within the bound.
  static constexpr uint32_t kFar = std::numeric_limits<uint32_t>::max();

  // One relation of a path and the entity it leads to (an index for id()).
  struct Step {
    const std::string* relation;
    uint32_t entity;
  };

  // A search for paths of at most max_depth relations that stops after
  // max_paths paths. max_depth 0 finds nothing; source == target is the
  // caller's case (the entity alone), not this class's.
  PathSearch(uint32_t max_depth, uint64_t max_paths) : max_depth_(max_depth), max_paths_(max_paths) {}

  PathSearch(const PathSearch&) = delete;
  PathSearch& operator=(const PathSearch&) = delete;

  // The id of an entity index that a Step or a loader received; valid as
  // long as the search.
  const std::string& id(uint32_t entity) const { return nodes_[entity].id; }

  // Sets the distance of id to the target, for a backend that measures the
  // distances itself instead of calling measure(): the target at 0 and every
  // entity at most max_depth - 1 relations from it (over out-edges, through
  // the relation type asked for). The first distance set for an id stays.
  void set_distance(std::string_view id, uint32_t distance) { place(node(id), distance); }

  // Measures distances by a reverse breadth-first search from target, up to
  // max_depth - 1 relations. in_level(const std::vector<std::string_view>&
  // level, visit) must call visit(std::string_view entity_id) for the entity
  // at the far end of every in-relation of every entity of the level, and
  // return true, or false to give up (the caller keeps the reason); the views
  // stay valid during the call only. Returns what the last in_level call did.
  template <class InLevel>
  bool measure(std::string_view target, InLevel&& in_level) {
    place(node(target), 0);
    std::vector<uint32_t> level{node(target)}, next;
    std::vector<std::string_view> ids;
    for (uint32_t d = 1; d < max_depth_ && !level.empty(); ++d) {
      next.clear();
      ids.clear();
      for (uint32_t u : level) ids.push_back(nodes_[u].id);
      bool ok = in_level(ids, [&](std::string_view other) {
        uint32_t v = node(other);
        if (nodes_[v].distance == kFar) {
          place(v, d);
          next.push_back(v);
        }
      });
      if (!ok) return false;
      level.swap(next);
    }
    return true;
  }

  // Enumerates the paths after measure() or set_distance(). out_edges(
  // std::string_view entity_id, visit) must call visit(std::string_view
  // relation_id, std::string_view other_id) for every out-relation of the
  // entity (any order), and return true, or false to give up; visit returns
  // whether the edge was kept (its far end can reach the target), so a loader
  // copies only what a path may use. emit(const std::vector<Step>& steps)
  // receives each path after the source, in order, and returns false to stop.
  // *truncated is set to whether more than max_paths paths exist (left false
  // when emit stopped the search). Returns false when a loader gave up.
  template <class OutEdges, class Emit>
  bool run(std::string_view source, std::string_view target, OutEdges&& out_edges, Emit&& emit, bool* truncated) {
    *truncated = false;
    if (max_depth_ == 0) return true;
    source_ = node(source);
    target_ = node(target);
    if (nodes_[target_].distance != 0) return true;  // not measured: no entity reaches it
    if (nodes_[source_].distance == kFar) {
      // Only the source may lie max_depth away: a distance through its own
      // out-edges.
      if (!load(source_, out_edges)) return false;
      uint32_t best = kFar;
      for (const Edge& e : nodes_[source_].out)
        if (e.to != source_) best = std::min(best, nodes_[e.to].distance + 1);
      if (best == kFar) return true;
      place(source_, best);
    }
    // A simple path visits each entity that can reach the target at most once.
    uint64_t longest = std::min<uint64_t>(max_depth_, reachable_ - 1);
    for (uint64_t length = nodes_[source_].distance; length <= longest && !done_; ++length) {
      pruned_ = false;
      if (!search(uint32_t(length), out_edges, emit, truncated)) return false;
      // A longer path would have been cut by the length bound somewhere.
      if (!pruned_) break;
    }
    return true;
  }

 private:
  struct Edge {
    std::string relation;
    uint32_t to;
  };
  struct Node {
    std::string id;
    uint32_t distance = kFar;  // relations to the target
    bool loaded = false;       // out fetched
    bool on_path = false;
    std::vector<Edge> out;  // kept edges, sorted by relation id
  };

  uint32_t node(std::string_view id) {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    uint32_t n = uint32_t(nodes_.size());
    nodes_.emplace_back();
    nodes_.back().id = std::string(id);
    index_.emplace(nodes_.back().id, n);  // a deque keeps the key's bytes in place
    return n;
  }

  void place(uint32_t n, uint32_t distance) {
    if (nodes_[n].distance != kFar) return;
    nodes_[n].distance = distance;
    ++reachable_;
  }

  template <class OutEdges>
  bool load(uint32_t u, OutEdges& out_edges) {
    if (nodes_[u].loaded) return true;
    std::vector<Edge> edges;
    bool ok = out_edges(std::string_view(nodes_[u].id), [&](std::string_view relation, std::string_view other) {
      uint32_t v = node(other);
      if (nodes_[v].distance == kFar) return false;  // cannot reach the target
      edges.push_back(Edge{std::string(relation), v});
      return true;
    });
    if (!ok) return false;
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.relation < b.relation; });
    nodes_[u].out = std::move(edges);
    nodes_[u].loaded = true;
    return true;
  }

  // Every simple path of exactly `length` relations, in relation-id order.
  template <class OutEdges, class Emit>
  bool search(uint32_t length, OutEdges& out_edges, Emit& emit, bool* truncated) {
    struct Frame {
      uint32_t node;
      size_t next;  // index of the next out-edge to try
    };
    std::vector<Frame> stack{{source_, 0}};
    std::vector<Step> path;
    nodes_[source_].on_path = true;
    bool ok = true;
    while (!stack.empty() && !done_) {
      uint32_t u = stack.back().node;
      if (!load(u, out_edges)) {
        ok = false;
        break;
      }
      const std::vector<Edge>& out = nodes_[u].out;
      uint32_t used = uint32_t(path.size());
      bool descended = false;
      while (stack.back().next < out.size()) {
        const Edge& e = out[stack.back().next++];
        uint32_t v = e.to;
        if (v == target_) {
          if (used + 1 == length && !found(path, e, emit, truncated)) break;
          continue;
        }
        if (nodes_[v].on_path) continue;
        if (nodes_[v].distance > length - (used + 1)) {
          pruned_ = true;
          continue;
        }
        nodes_[v].on_path = true;
        path.push_back(Step{&e.relation, v});
        stack.push_back(Frame{v, 0});
        descended = true;
        break;
      }
      if (descended || done_) continue;
      nodes_[stack.back().node].on_path = false;
      stack.pop_back();
      if (!path.empty()) path.pop_back();
    }
    for (const Frame& f : stack) nodes_[f.node].on_path = false;
    return ok;
  }

  // Emits path + last, or notes that one more path exists. False to stop.
  template <class Emit>
  bool found(std::vector<Step>& path, const Edge& last, Emit& emit, bool* truncated) {
    if (emitted_ >= max_paths_) {
      *truncated = true;
      done_ = true;
      return false;
    }
    ++emitted_;
    path.push_back(Step{&last.relation, target_});
    bool go_on = emit(static_cast<const std::vector<Step>&>(path));
    path.pop_back();
    if (!go_on) done_ = true;
    return go_on;
  }

  uint32_t max_depth_;
  uint64_t max_paths_;
  std::deque<Node> nodes_;
  std::unordered_map<std::string_view, uint32_t> index_;  // keys view nodes_[i].id
  uint32_t source_ = 0;
  uint32_t target_ = 0;
  uint64_t reachable_ = 0;  // entities with a distance, source and target included
  uint64_t emitted_ = 0;
  bool pruned_ = false;  // the current length's search skipped an edge for its length
  bool done_ = false;
};

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_PATHS_HPP
