// A reference model of one tenant, read back through Tier 1, with the
// simplest possible implementation of every Tier 2 contract in abi.h. The
// equivalence tests check native slots against the core's defaults, and
// both against this model, so a bug shared by the two still shows.
#ifndef GRAPHSTORE_TESTS_CONFORMANCE_MODEL_HPP
#define GRAPHSTORE_TESTS_CONFORMANCE_MODEL_HPP

#include <map>
#include <string>
#include <vector>

#include "graphstore/store.hpp"

namespace graphstore::conformance {

class Model {
 public:
  // Reads every entity and relation of tenant through for_each.
  static Model read(Store& store, std::string_view tenant);

  struct Hit {
    std::string id;
    uint32_t depth;
    std::string via;
    bool operator==(const Hit&) const = default;
  };
  std::vector<Hit> traverse(const std::string& start, const TraverseOptions& o, bool* truncated) const;
  // Relation-id sequences of the paths, in contract order.
  std::vector<std::vector<std::string>> paths(const std::string& from, const std::string& to, const PathOptions& o,
                                              bool* truncated) const;
  // Entity ids, then relation ids.
  std::pair<std::vector<std::string>, std::vector<std::string>> subgraph(const std::vector<std::string>& ids) const;
  std::vector<std::string> scan_entities(const ScanOptions& o) const;
  std::vector<std::string> scan_relations(const ScanOptions& o) const;
  std::vector<std::pair<std::string, double>> vector_search(const VectorQuery& q) const;
  std::vector<std::pair<std::string, double>> text_search(const TextQuery& q) const;
  Stats stats() const;

  bool has_entity(const std::string& id) const { return entities_.count(id) != 0; }
  const std::map<std::string, Entity>& entities() const { return entities_; }
  const std::map<std::string, Relation>& relations() const { return relations_; }

 private:
  // Relation ids around id in the direction, filtered by type, sorted.
  std::vector<std::string> around(const std::string& id, Direction d, const std::string& type) const;

  std::map<std::string, Entity> entities_;
  std::map<std::string, Relation> relations_;
  std::map<std::string, std::vector<std::string>> out_, in_;  // sorted relation ids
};

}  // namespace graphstore::conformance

#endif  // GRAPHSTORE_TESTS_CONFORMANCE_MODEL_HPP
