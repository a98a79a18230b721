// What a sqlite store must hold after a run under injected faults: the prior
// content plus every write whose call returned OK, and nothing else. The
// workloads update it as calls are acknowledged; the checks
// (consistency_checks.hpp) compare the store and its file with it.
#ifndef GRAPHSTORE_TESTS_FAULTS_STORE_MODEL_HPP
#define GRAPHSTORE_TESTS_FAULTS_STORE_MODEL_HPP

#include <map>
#include <string>
#include <vector>

#include "graphstore/types.hpp"

namespace graphstore::fault_test {

// Entities with every record's text "word<id> shared" (so each can be
// found alone, and all of them with "shared"), relations by id.
struct StoreModel {
  std::map<std::string, Entity> entities;
  std::map<std::string, Relation> relations;

  // Deletes the entity and every relation touching it, as the store does.
  void delete_entity(const std::string& id);
  bool has_entity(const std::string& id) const { return entities.count(id) != 0; }
  // Counts per type, as get_stats must report them.
  Stats stats() const;
};

// The word only entity `id`'s text holds.
std::string word_of(const std::string& id);
// An entity of that id and type whose text is "word<id> shared" (plus
// `extra` words), with the given embedding (empty: none).
Entity text_entity(const std::string& id, const std::string& type, std::vector<float> embedding = {},
                   const std::string& extra = "");
Relation link(const std::string& id, const std::string& from, const std::string& to, const std::string& type,
              double weight = 0.5);

// Entities p0..p{n-1} (type Doc, each with a 4-dimensional embedding in the
// positive orthant) and relations pr{i}: p{i} -> p{i+1} for i < relations.
StoreModel prior_content(int entities, int relations);

}  // namespace graphstore::fault_test

#endif  // GRAPHSTORE_TESTS_FAULTS_STORE_MODEL_HPP
