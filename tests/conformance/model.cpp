#include "model.hpp"

#include <algorithm>
#include <set>

#include "conformance.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::conformance {
namespace {

template <class T>
std::vector<std::string> page(const std::map<std::string, T>& records, const ScanOptions& o,
                              std::string (*type_of)(const T&)) {
  std::vector<std::string> out;
  uint64_t skipped = 0;
  for (auto it = records.upper_bound(o.after_id); it != records.end() && out.size() < o.limit; ++it) {
    if (!o.type.empty() && type_of(it->second) != o.type) continue;
    if (skipped < o.offset) {
      ++skipped;
      continue;
    }
    out.push_back(it->first);
  }
  return out;
}

std::string entity_type_of(const Entity& e) { return e.entity_type; }
std::string relation_type_of(const Relation& r) { return r.relation_type; }

}  // namespace

Model Model::read(Store& store, std::string_view tenant) {
  Model m;
  for (auto& e : all_entities(store, tenant)) m.entities_.emplace(e.id, e);
  for (auto& r : all_relations(store, tenant)) {
    m.out_[r.source_id].push_back(r.id);
    m.in_[r.target_id].push_back(r.id);
    m.relations_.emplace(r.id, r);
  }
  for (auto* adj : {&m.out_, &m.in_})
    for (auto& [id, rels] : *adj) std::sort(rels.begin(), rels.end());
  return m;
}

std::vector<std::string> Model::around(const std::string& id, Direction d, const std::string& type) const {
  std::set<std::string> ids;  // a self-loop appears in both lists, once here
  auto add = [&](const std::map<std::string, std::vector<std::string>>& adj) {
    if (auto it = adj.find(id); it != adj.end()) ids.insert(it->second.begin(), it->second.end());
  };
  if (d != Direction::kIn) add(out_);
  if (d != Direction::kOut) add(in_);
  std::vector<std::string> out;
  for (const auto& rid : ids)
    if (type.empty() || relations_.at(rid).relation_type == type) out.push_back(rid);
  return out;
}

std::vector<Model::Hit> Model::traverse(const std::string& start, const TraverseOptions& o, bool* truncated) const {
  std::vector<Hit> hits;
  std::set<std::string> discovered{start};
  std::vector<std::string> frontier{start};
  for (uint32_t depth = 1; depth <= o.max_depth && !frontier.empty(); ++depth) {
    std::sort(frontier.begin(), frontier.end());
    std::vector<Hit> level;
    for (const auto& node : frontier) {
      for (const auto& rid : around(node, o.direction, o.relation_type)) {
        const Relation& r = relations_.at(rid);
        const std::string& other = (o.direction != Direction::kIn && r.source_id == node) ? r.target_id : r.source_id;
        if (discovered.insert(other).second) level.push_back({other, depth, rid});
      }
    }
    std::sort(level.begin(), level.end(), [](const Hit& a, const Hit& b) { return a.id < b.id; });
    frontier.clear();
    for (const auto& h : level) frontier.push_back(h.id);
    hits.insert(hits.end(), level.begin(), level.end());
  }
  *truncated = hits.size() > o.max_results;
  if (*truncated) hits.resize(o.max_results);
  return hits;
}

std::vector<std::vector<std::string>> Model::paths(const std::string& from, const std::string& to, const PathOptions& o,
                                                   bool* truncated) const {
  std::vector<std::vector<std::string>> found;
  if (from == to) {
    found.emplace_back();
  } else {
    std::set<std::string> on_path{from};
    std::vector<std::string> seq;
    auto dfs = [&](auto&& self, const std::string& node) -> void {
      if (seq.size() == o.max_depth) return;
      for (const auto& rid : around(node, Direction::kOut, o.relation_type)) {
        const std::string& next = relations_.at(rid).target_id;
        if (on_path.count(next)) continue;
        seq.push_back(rid);
        if (next == to) {
          found.push_back(seq);
        } else {
          on_path.insert(next);
          self(self, next);
          on_path.erase(next);
        }
        seq.pop_back();
      }
    };
    dfs(dfs, from);
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
  *truncated = found.size() > o.max_paths;
  if (*truncated) found.resize(o.max_paths);
  return found;
}

std::pair<std::vector<std::string>, std::vector<std::string>> Model::subgraph(
    const std::vector<std::string>& ids) const {
  std::set<std::string> present;
  for (const auto& id : ids)
    if (entities_.count(id)) present.insert(id);
  std::vector<std::string> rels;
  for (const auto& [rid, r] : relations_)
    if (present.count(r.source_id) && present.count(r.target_id)) rels.push_back(rid);
  return {std::vector<std::string>(present.begin(), present.end()), rels};
}

std::vector<std::string> Model::scan_entities(const ScanOptions& o) const {
  return page(entities_, o, &entity_type_of);
}

std::vector<std::string> Model::scan_relations(const ScanOptions& o) const {
  return page(relations_, o, &relation_type_of);
}

std::vector<std::pair<std::string, double>> Model::vector_search(const VectorQuery& q) const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [id, e] : entities_) {
    if (e.embedding.empty() || (!q.entity_type.empty() && e.entity_type != q.entity_type)) continue;
    double s = sdk::cosine_similarity(q.vector.data(), e.embedding.data(), static_cast<uint32_t>(q.vector.size()));
    if (s >= q.min_score) out.emplace_back(id, s);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > q.k) out.resize(q.k);
  return out;
}

std::vector<std::pair<std::string, double>> Model::text_search(const TextQuery& q) const {
  std::vector<sdk::TextDoc> docs;
  for (const auto& [id, e] : entities_)
    if (q.entity_type.empty() || e.entity_type == q.entity_type) docs.push_back({id, e.properties});
  std::vector<std::pair<size_t, double>> ranked;
  sdk::rank_text(q.text, static_cast<int32_t>(q.method), docs, q.k, q.min_score, &ranked);
  std::vector<std::pair<std::string, double>> out;
  for (auto [i, s] : ranked) out.emplace_back(std::string(docs[i].id), s);
  return out;
}

Stats Model::stats() const {
  Stats s;
  for (const auto& [id, e] : entities_) ++s.entities_by_type[e.entity_type];
  for (const auto& [id, r] : relations_) ++s.relations_by_type[r.relation_type];
  s.entity_count = entities_.size();
  s.relation_count = relations_.size();
  return s;
}

}  // namespace graphstore::conformance
