#include "results.hpp"

#include <cstdio>
#include <iostream>

#include "output.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

// Prints "  ... n more" when items were left out; true when item i is shown.
bool shown(size_t i, size_t total, size_t limit) {
  if (i < limit) return true;
  if (i == limit) std::cout << "  ... " << (total - limit) << " more\n";
  return false;
}

}  // namespace

void write_neighbors(JsonWriter& w, const std::vector<Neighbor>& neighbors) {
  w.StartArray();
  for (const auto& n : neighbors) {
    w.StartObject();
    w.Key("relation");
    write_relation(w, n.relation);
    w.Key("entity");
    write_entity(w, n.entity);
    w.EndObject();
  }
  w.EndArray();
}

void write_traverse(JsonWriter& w, const TraverseResult& result) {
  w.StartObject();
  w.Key("hits");
  w.StartArray();
  for (const auto& hit : result.hits) {
    w.StartObject();
    w.Key("depth");
    w.Uint(hit.depth);
    w.Key("entity");
    write_entity(w, hit.entity);
    w.Key("via");
    write_relation(w, hit.via);
    w.EndObject();
  }
  w.EndArray();
  w.Key("truncated");
  w.Bool(result.truncated);
  w.EndObject();
}

void write_paths(JsonWriter& w, const PathResult& result) {
  w.StartObject();
  w.Key("paths");
  w.StartArray();
  for (const auto& path : result.paths) {
    w.StartObject();
    w.Key("entities");
    w.StartArray();
    for (const auto& e : path.entities) write_entity(w, e);
    w.EndArray();
    w.Key("relations");
    w.StartArray();
    for (const auto& r : path.relations) write_relation(w, r);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("truncated");
  w.Bool(result.truncated);
  w.EndObject();
}

void write_scored(JsonWriter& w, const std::vector<ScoredEntity>& results) {
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("score");
    w.Double(r.score);
    w.Key("entity");
    write_entity(w, r.entity);
    w.EndObject();
  }
  w.EndArray();
}

void write_stats_members(JsonWriter& w, const Stats& stats) {
  auto counts = [&w](const std::map<std::string, uint64_t>& by_type) {
    w.StartObject();
    for (const auto& [type, n] : by_type) {
      write_string(w, type);
      w.Uint64(n);
    }
    w.EndObject();
  };
  w.Key("entity_count");
  w.Uint64(stats.entity_count);
  w.Key("relation_count");
  w.Uint64(stats.relation_count);
  w.Key("entities_by_type");
  counts(stats.entities_by_type);
  w.Key("relations_by_type");
  counts(stats.relations_by_type);
}

void print_neighbors(std::string_view id, const std::vector<Neighbor>& neighbors, size_t limit) {
  for (size_t i = 0; i < neighbors.size() && shown(i, neighbors.size(), limit); ++i) {
    const auto& n = neighbors[i];
    std::cout << "  " << relation_arrow(n.relation, id) << ' ' << entity_label(n.entity) << '\n';
  }
}

void print_traverse(const TraverseResult& result, size_t limit) {
  for (size_t i = 0; i < result.hits.size() && shown(i, result.hits.size(), limit); ++i) {
    const auto& hit = result.hits[i];
    const std::string& from = hit.via.source_id == hit.entity.id ? hit.via.target_id : hit.via.source_id;
    std::cout << "  depth " << hit.depth << "  " << entity_label(hit.entity) << "  via " << terminal_text(from) << ' '
              << relation_arrow(hit.via, from) << '\n';
  }
  if (result.truncated) std::cout << "  (truncated at max-results)\n";
}

void print_paths(const PathResult& result, size_t limit) {
  for (size_t i = 0; i < result.paths.size() && shown(i, result.paths.size(), limit); ++i) {
    const auto& path = result.paths[i];
    std::cout << "  " << (i + 1) << ". ";
    for (size_t k = 0; k < path.entities.size(); ++k) {
      std::cout << terminal_text(path.entities[k].id);
      if (k < path.relations.size()) std::cout << " -[" << terminal_text(path.relations[k].relation_type) << "]-> ";
    }
    std::cout << "  (" << path.relations.size() << (path.relations.size() == 1 ? " hop)\n" : " hops)\n");
  }
  if (result.truncated) std::cout << "  (more paths exist: truncated at max-paths or max-result-mb)\n";
}

void print_scored(const std::vector<ScoredEntity>& results, size_t limit) {
  char score[32];
  for (size_t i = 0; i < results.size() && shown(i, results.size(), limit); ++i) {
    std::snprintf(score, sizeof score, "%.4f", results[i].score);
    std::cout << "  " << (i + 1) << ". " << score << "  " << entity_label(results[i].entity) << '\n';
  }
}

}  // namespace graphstore::cli
