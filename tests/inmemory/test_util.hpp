// Shared helpers for the inmemory tests: record builders.
#ifndef GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP
#define GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP

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

}  // namespace gs_test

#endif  // GRAPHSTORE_TESTS_INMEMORY_TEST_UTIL_HPP
