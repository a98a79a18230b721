// Shared helpers for the inmemory tests: record builders and a dump of all
// that a tenant holds.
#ifndef GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP
#define GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "plugin_client.hpp"

namespace gs_test {

inline Entity entity(std::string id, std::string type = "thing", std::string properties = "{}") {
  Entity e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.properties = std::move(properties);
  return e;
}

inline Entity embedded(std::string id, std::vector<float> embedding, std::string type = "thing") {
  Entity e = entity(std::move(id), std::move(type));
  e.embedding = std::move(embedding);
  return e;
}

inline Relation relation(std::string id, std::string source, std::string target, std::string type = "links") {
  Relation r;
  r.id = std::move(id);
  r.source_id = std::move(source);
  r.target_id = std::move(target);
  r.type = std::move(type);
  return r;
}

// Everything observable about a tenant, in a canonical order.
struct Dump {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::vector<std::string> adjacency;  // "entity dir relation>neighbour"
  StatsMap stats;
  bool operator==(const Dump&) const = default;
};

inline Dump dump(Client& c, const std::string& tenant = "") {
  Dump d;
  EXPECT_TRUE(c.entities(&d.entities, tenant).ok());
  EXPECT_TRUE(c.relations(&d.relations, tenant).ok());
  std::sort(d.entities.begin(), d.entities.end(), [](const Entity& a, const Entity& b) { return a.id < b.id; });
  std::sort(d.relations.begin(), d.relations.end(), [](const Relation& a, const Relation& b) { return a.id < b.id; });
  for (const auto& e : d.entities) {
    for (int32_t dir : {GS_DIRECTION_OUT, GS_DIRECTION_IN}) {
      std::vector<Neighbor> ns;
      EXPECT_TRUE(c.neighbors(e.id, dir, "", &ns, tenant).ok());
      for (const auto& n : ns) d.adjacency.push_back(e.id + cat(" ", dir) + " " + n.relation.id + ">" + n.entity.id);
    }
  }
  std::sort(d.adjacency.begin(), d.adjacency.end());
  EXPECT_TRUE(c.stats(&d.stats, tenant).ok());
  return d;
}

}  // namespace gs_test

#endif  // GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP
