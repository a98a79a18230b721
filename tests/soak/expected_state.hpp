// The records one owner should hold after a sequence of acknowledged writes:
// the replay of its log. The worker keeps one to choose its next op and check
// its reads; the checker rebuilds it from the log and compares the store.
#ifndef GRAPHSTORE_TESTS_SOAK_EXPECTED_STATE_HPP
#define GRAPHSTORE_TESTS_SOAK_EXPECTED_STATE_HPP

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ack_log.hpp"
#include "graphstore/types.hpp"

namespace graphstore::soak {

class ExpectedState {
 public:
  struct EntityState {
    uint64_t version = 0;
    bool embedding = false;
  };
  struct RelationState {
    std::string source, target;
    uint64_t version = 0;
  };

  // Applies one op as the store does (a delete of an entity removes every
  // relation touching it). False, with *error, when the op cannot apply to
  // this state (an update or delete of an absent id, an add of a present
  // one, a relation whose endpoint is absent): the log contradicts itself.
  bool apply(const LogOp& op, std::string* error);
  // Applies every op of a write; on a false return the state may hold part
  // of it.
  bool apply_all(const std::vector<LogOp>& ops, std::string* error);

  // Removes an id (entity with its relations, or relation) without an op:
  // the worker forgets records whose last write it gave up.
  void forget(const std::string& id);

  // Counts and lookups: the state of an id, or null when it is absent.
  size_t entity_count() const { return entity_ids_.size(); }
  size_t relation_count() const { return relation_ids_.size(); }
  const EntityState* entity(const std::string& id) const;
  const RelationState* relation(const std::string& id) const;
  // A uniformly chosen id; the state must not be empty of that kind.
  const std::string& random_entity(std::mt19937_64& rng) const;
  const std::string& random_relation(std::mt19937_64& rng) const;
  // The relation ids touching an entity (either end), sorted.
  std::set<std::string> relations_of(const std::string& entity_id) const;

  // The whole state as the records the store should return.
  std::map<std::string, Entity> entities() const;
  std::map<std::string, Relation> relations() const;

 private:
  void erase_entity(const std::string& id);
  void erase_relation(const std::string& id);

  // id -> (state, position in the id vector): O(1) random choice and removal.
  std::unordered_map<std::string, std::pair<EntityState, size_t>> entity_map_;
  std::vector<std::string> entity_ids_;
  std::unordered_map<std::string, std::pair<RelationState, size_t>> relation_map_;
  std::vector<std::string> relation_ids_;
  std::unordered_map<std::string, std::set<std::string>> adjacency_;
};

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_EXPECTED_STATE_HPP
