#include "workload.hpp"

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace graphstore::workload {
namespace {

constexpr const char* kEntityTypes[] = {"Person", "Company", "Paper", "Topic"};
constexpr const char* kRelationTypes[] = {"KNOWS", "CITES", "WORKS_FOR"};
constexpr const char* kWords[] = {"graph", "storage", "vector", "search",    "plugin",    "query",
                                  "index", "tenant",  "path",   "neighbour", "embedding", "batch"};

std::string relation_id(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "r%07zu", i);
  return buf;
}

Status first_skip(const BulkResult& result, std::string_view what) {
  if (result.skipped.empty()) return Status::Ok();
  const auto& skip = result.skipped.front();
  return Internal("workload: " + std::to_string(result.skipped.size()) + " " + std::string(what) + " skipped; item " +
                  std::to_string(skip.index) + ": " + skip.status.to_string());
}

}  // namespace

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

float Rng::unit_float() {
  // 24 random bits give every float in [-1, 1) a uniform chance.
  return static_cast<float>(static_cast<double>(next() >> 40) / double(1 << 23) - 1.0);
}

std::string entity_id(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "e%07zu", i);
  return buf;
}

std::vector<float> make_vector(uint32_t dim, Rng& rng) {
  std::vector<float> v(dim);
  double norm = 0;
  for (auto& x : v) {
    x = rng.unit_float();
    norm += double(x) * x;
  }
  if (norm == 0) {
    v[0] = 1;
    return v;
  }
  float inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (auto& x : v) x *= inv;
  return v;
}

std::vector<Entity> make_entities(size_t n, uint32_t dim, uint64_t seed) {
  Rng rng(seed);
  std::vector<Entity> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Entity e;
    e.id = entity_id(i);
    e.entity_type = kEntityTypes[i % 4];
    std::string a = kWords[rng.below(12)], b = kWords[rng.below(12)];
    e.properties = "{\"name\":\"item " + std::to_string(i) + "\",\"description\":\"" + a + " " + b +
                   "\",\"rank\":" + std::to_string(rng.below(1000)) + "}";
    if (dim > 0) e.embedding = make_vector(dim, rng);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Relation> make_relations(size_t n_entities, size_t m, uint64_t seed) {
  Rng rng(seed ^ 0x5bd1e995ULL);
  std::vector<Relation> out;
  out.reserve(m);
  for (size_t i = 0; i < m; ++i) {
    size_t src = rng.below(n_entities);
    size_t dst = rng.below(n_entities - 1);
    if (dst >= src) ++dst;  // distinct endpoints without rejection sampling
    Relation r;
    r.id = relation_id(i);
    r.relation_type = kRelationTypes[i % 3];
    r.source_id = entity_id(src);
    r.target_id = entity_id(dst);
    r.weight = double(rng.below(100) + 1) / 100.0;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> connected_pairs(size_t n_entities, std::span<const Relation> relations,
                                                                 size_t count, uint32_t max_hops, uint64_t seed) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < n_entities; ++i) index.emplace(entity_id(i), i);
  std::vector<std::vector<size_t>> out_edges(n_entities);
  for (const auto& r : relations) {
    auto src = index.find(r.source_id), dst = index.find(r.target_id);
    if (src != index.end() && dst != index.end()) out_edges[src->second].push_back(dst->second);
  }
  Rng rng(seed ^ 0x2545f4914f6cdd1dULL);
  std::vector<std::pair<std::string, std::string>> pairs;
  // A graph without a single edge has no pair to offer; give up after as
  // many fruitless walks as a dense graph would ever need.
  for (size_t attempts = 0; pairs.size() < count && attempts < 100 * count + 1000; ++attempts) {
    size_t source = rng.below(n_entities), at = source;
    uint64_t hops = 2 + rng.below(max_hops > 1 ? max_hops - 1 : 1);
    for (uint64_t h = 0; h < hops && !out_edges[at].empty(); ++h) at = out_edges[at][rng.below(out_edges[at].size())];
    if (at != source) pairs.emplace_back(entity_id(source), entity_id(at));
  }
  return pairs;
}

Status load(Store& store, std::string_view tenant, std::span<const Entity> entities,
            std::span<const Relation> relations) {
  BulkResult result;
  if (Status s = store.add_entities_bulk(tenant, entities, &result); !s.ok()) return s;
  if (Status s = first_skip(result, "entities"); !s.ok()) return s;
  if (relations.empty()) return Status::Ok();
  if (Status s = store.add_relations_bulk(tenant, relations, &result); !s.ok()) return s;
  return first_skip(result, "relations");
}

Status clear_tenant(Store& store, std::string_view tenant) {
  std::vector<std::string> ids;
  Status s = store.for_each_entity(tenant, [&](const Entity& e) {
    ids.push_back(e.id);
    return true;
  });
  for (size_t i = 0; s.ok() && i < ids.size(); ++i) {
    s = store.delete_entity(tenant, ids[i]);
    if (s.is_not_found()) s = Status::Ok();
  }
  return s;
}

}  // namespace graphstore::workload
