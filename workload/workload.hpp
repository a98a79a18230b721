// Deterministic benchmark data: entities with small properties and optional
// embeddings, and random relations between them, from a fixed seed.
//
// The same (n, seed) always yields the same records on every platform (the
// generator is a hand-rolled splitmix64, not <random>'s distributions, whose
// output the standard leaves to the implementation).
#ifndef GRAPHSTORE_WORKLOAD_WORKLOAD_HPP
#define GRAPHSTORE_WORKLOAD_WORKLOAD_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/store.hpp"
#include "graphstore/types.hpp"

namespace graphstore::workload {

inline constexpr uint64_t kDefaultSeed = 42;

// A small deterministic random generator (splitmix64).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  // Uniform in [0, n); n > 0.
  uint64_t below(uint64_t n) { return next() % n; }
  // Uniform in [-1, 1).
  float unit_float();

 private:
  uint64_t state_;
};

// The id of the i-th generated entity: "e" and seven digits, so that id order
// (bytewise) equals index order.
std::string entity_id(size_t i);

// n entities e0000000.. of types "Person"/"Company"/"Paper"/"Topic" in turn,
// each with a name and a short description; with a unit-length embedding of
// `dim` components when dim > 0.
std::vector<Entity> make_entities(size_t n, uint32_t dim, uint64_t seed = kDefaultSeed);

// m relations r0000000.. between random distinct endpoints among the first
// n_entities entity ids, typed "KNOWS"/"CITES"/"WORKS_FOR" in turn, with
// weights in (0, 1]. n_entities >= 2.
std::vector<Relation> make_relations(size_t n_entities, size_t m, uint64_t seed = kDefaultSeed);

// `count` (source id, target id) pairs, source != target, where target is
// the end of a random walk of 2..max_hops out-edges (shorter at a dead end)
// from a random source along `relations` among the first n_entities ids: a
// path query between them has at least one answer within max_hops.
std::vector<std::pair<std::string, std::string>> connected_pairs(size_t n_entities, std::span<const Relation> relations,
                                                                 size_t count, uint32_t max_hops,
                                                                 uint64_t seed = kDefaultSeed);

// A unit-length random vector of dim components.
std::vector<float> make_vector(uint32_t dim, Rng& rng);

// Adds entities then relations with the bulk calls. Any skipped item is an
// error (INTERNAL naming the first skip): the workload must load exactly.
Status load(Store& store, std::string_view tenant, std::span<const Entity> entities,
            std::span<const Relation> relations);

// Deletes every entity (and so every relation) of the tenant. Used to leave
// a persistent backend as the benchmark found it.
Status clear_tenant(Store& store, std::string_view tenant);

}  // namespace graphstore::workload

#endif  // GRAPHSTORE_WORKLOAD_WORKLOAD_HPP
