// A deterministic pseudo-random graph for comparing Tier 2 answers: several
// entity and relation types, bytewise-tricky and non-ASCII ids, text
// properties from a small vocabulary (so searches have matches and ties),
// embeddings with duplicates and zero vectors, parallel edges and
// self-loops; loading it also deletes and updates some records so stores
// have holes.
#ifndef GRAPHSTORE_TESTS_CONFORMANCE_RANDOM_GRAPH_HPP
#define GRAPHSTORE_TESTS_CONFORMANCE_RANDOM_GRAPH_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "graphstore/store.hpp"

namespace graphstore::conformance {

// splitmix64: the same numbers on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  uint64_t state_;
};

struct RandomGraphSpec {
  uint64_t seed = 1;
  size_t entities = 200;
  size_t relations = 600;
  uint32_t dim = 8;
};

extern const char* const kEntityTypes[4];
extern const char* const kRelationTypes[4];

// A sentence of n words from the shared vocabulary.
std::string random_words(Rng& rng, size_t n);
// The id of the i-th generated entity.
std::string random_entity_id(size_t i);

// Adds the graph to tenant through Tier 1 calls, then deletes and updates a
// few percent of it. Returns the ids of the entities that remain.
std::vector<std::string> load_random_graph(Store& store, std::string_view tenant, const RandomGraphSpec& spec);

}  // namespace graphstore::conformance

#endif  // GRAPHSTORE_TESTS_CONFORMANCE_RANDOM_GRAPH_HPP
