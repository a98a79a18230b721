#include "random_graph.hpp"

#include <gtest/gtest.h>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

// Mixed case, repeats across entities, and UTF-8 words, so every text method
// has hits, ties and misses.
const char* const kWords[] = {"graph", "Graph", "node",     "edge",  "alpha", "beta",      "gamma",   "delta",
                              "data",  "base",  "store",    "query", "path",  "tree",      "ünïcödé", "グラフ",
                              "NODE",  "river", "mountain", "city",  "paper", "knowledge", "vector",  "search"};
constexpr size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

std::string random_properties(Rng& rng) {
  if (rng.chance(8)) return "{}";
  // The vocabulary needs no JSON escaping.
  std::string p = "{\"name\":\"" + random_words(rng, 1 + rng.below(2)) + "\"";
  if (rng.chance(70)) p += ",\"bio\":\"" + random_words(rng, 2 + rng.below(6)) + "\"";
  if (rng.chance(40)) p += ",\"tags\":[\"" + random_words(rng, 1) + "\",\"" + random_words(rng, 1) + "\"]";
  if (rng.chance(50)) p += ",\"rank\":" + std::to_string(rng.below(1000));
  if (rng.chance(20)) p += ",\"meta\":{\"note\":\"" + random_words(rng, 2) + "\",\"ok\":true}";
  return p + "}";
}

std::vector<float> random_embedding(Rng& rng, uint32_t dim) {
  std::vector<float> v(dim);
  for (auto& x : v) x = static_cast<float>(static_cast<int>(rng.below(17)) - 8) / 8.0f;
  return v;
}

}  // namespace

const char* const kEntityTypes[4] = {"Person", "Org", "Place", "Topic"};
const char* const kRelationTypes[4] = {"KNOWS", "WORKS_AT", "LOCATED_IN", "ABOUT"};

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string random_words(Rng& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? " " : "") + std::string(kWords[rng.below(kWordCount)]);
  return s;
}

std::string random_entity_id(size_t i) {
  // Unpadded numbers and mixed prefixes: bytewise order is not numeric order.
  static const char* const prefixes[] = {"n", "N", "node-", "\xC3\xBC", "n_"};
  return prefixes[i % 5] + std::to_string(i);
}

std::vector<std::string> load_random_graph(Store& store, std::string_view tenant, const RandomGraphSpec& spec) {
  Rng rng(spec.seed);
  std::vector<Entity> entities;
  for (size_t i = 0; i < spec.entities; ++i) {
    Entity e = make_entity(random_entity_id(i), kEntityTypes[rng.below(4)], random_properties(rng));
    if (rng.chance(85)) {
      if (!entities.empty() && rng.chance(10)) e.embedding = entities[rng.below(entities.size())].embedding;  // a tie
      if (e.embedding.empty())
        e.embedding = rng.chance(5) ? std::vector<float>(spec.dim, 0.0f) : random_embedding(rng, spec.dim);
    }
    e.created_at = 1'000'000 + static_cast<Timestamp>(i);
    e.updated_at = e.created_at;
    if (rng.chance(30)) e.source = "gen";
    entities.push_back(e);
    EXPECT_TRUE(IsOk(store.add_entity(tenant, e)));
  }
  std::vector<Relation> relations;
  for (size_t i = 0; i < spec.relations; ++i) {
    Relation r;
    if (!relations.empty() && rng.chance(10)) {
      r = relations[rng.below(relations.size())];  // a parallel edge
    } else {
      r.source_id = entities[rng.below(entities.size())].id;
      r.target_id = rng.chance(5) ? r.source_id : entities[rng.below(entities.size())].id;
      r.relation_type = kRelationTypes[rng.below(4)];
    }
    r.id = "r" + std::to_string(i);
    r.weight = static_cast<double>(rng.below(101)) / 100.0;
    r.properties = rng.chance(50) ? "{\"w\":\"" + random_words(rng, 1) + "\"}" : "{}";
    r.created_at = 2'000'000 + static_cast<Timestamp>(i);
    r.updated_at = r.created_at;
    relations.push_back(r);
    EXPECT_TRUE(IsOk(store.add_relation(tenant, r)));
  }
  // Holes and rewrites: what a store looks like after some use.
  std::vector<std::string> alive;
  for (const auto& e : entities) {
    if (rng.chance(3)) {
      EXPECT_TRUE(IsOk(store.delete_entity(tenant, e.id)));
      continue;
    }
    if (rng.chance(5)) {
      Entity u = e;
      u.entity_type = kEntityTypes[rng.below(4)];
      u.properties = random_properties(rng);
      u.updated_at = e.created_at + 5;
      EXPECT_TRUE(IsOk(store.update_entity(tenant, u)));
    }
    alive.push_back(e.id);
  }
  for (const auto& r : relations) {
    if (rng.chance(3)) {
      Status s = store.delete_relation(tenant, r.id);
      EXPECT_TRUE(s.ok() || s.is_not_found()) << s.to_string();  // gone with an endpoint
    } else if (rng.chance(3)) {
      Relation u = r;
      u.source_id = alive[rng.below(alive.size())];
      u.target_id = alive[rng.below(alive.size())];
      u.updated_at = r.created_at + 5;
      Status s = store.update_relation(tenant, u);
      EXPECT_TRUE(s.ok() || s.is_not_found()) << s.to_string();
    }
  }
  return alive;
}

}  // namespace graphstore::conformance
