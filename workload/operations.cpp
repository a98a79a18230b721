#include "operations.hpp"

#include <utility>

#include "workload.hpp"

namespace graphstore::workload {
namespace {

constexpr double kMs = 1e6;  // ns per ms

// The 1,000-entity / 3,000-relation random graph the read operations share.
constexpr size_t kGraphEntities = 1000;
constexpr size_t kGraphRelations = 3000;
constexpr size_t kPicks = 1024;

// Entity ids in a fixed random order, so consecutive runs touch different
// records.
std::vector<std::string> random_ids(size_t n_entities, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> ids;
  ids.reserve(kPicks);
  for (size_t i = 0; i < kPicks; ++i) ids.push_back(entity_id(rng.below(n_entities)));
  return ids;
}

// An operation reading the shared random graph from random start entities.
class GraphRead : public Operation {
 public:
  GraphRead()
      : entities_(make_entities(kGraphEntities, 0)),
        relations_(make_relations(kGraphEntities, kGraphRelations)),
        picks_(random_ids(kGraphEntities, 7)) {}
  Status setup(Store& store, std::string_view tenant) override { return load(store, tenant, entities_, relations_); }

 protected:
  const std::string& pick(uint64_t i) const { return picks_[i % picks_.size()]; }
  const std::vector<Relation>& relations() const { return relations_; }

 private:
  std::vector<Entity> entities_;
  std::vector<Relation> relations_;
  std::vector<std::string> picks_;
};

class AddEntity1K : public Operation {
 public:
  AddEntity1K() : entities_(make_entities(1000, 0)) {}
  std::string_view key() const override { return "add_entity_1k"; }
  std::string_view label() const override { return "add_entity (1K)"; }
  bool per_batch() const override { return true; }
  bool fresh_store_per_run() const override { return true; }
  std::optional<SeedFigures> seed() const override { return SeedFigures{10 * kMs, 500 * kMs, 300 * kMs}; }
  Status setup(Store&, std::string_view) override { return Status::Ok(); }
  Status run(Store& store, std::string_view tenant, uint64_t) override {
    for (const auto& e : entities_)
      if (Status s = store.add_entity(tenant, e); !s.ok()) return s;
    return Status::Ok();
  }

 private:
  std::vector<Entity> entities_;
};

class GetEntity : public GraphRead {
 public:
  std::string_view key() const override { return "get_entity"; }
  std::string_view label() const override { return "get_entity"; }
  std::optional<SeedFigures> seed() const override { return SeedFigures{0.01 * kMs, 3 * kMs, 2 * kMs}; }
  Status run(Store& store, std::string_view tenant, uint64_t i) override {
    return store.get_entity(tenant, pick(i), &out_);
  }

 private:
  Entity out_;
};

class FindPaths : public GraphRead {
 public:
  // Connected pairs, so every run enumerates real paths instead of most
  // runs proving in a moment that none exists.
  FindPaths() : pairs_(connected_pairs(kGraphEntities, relations(), kPicks, 5)) {}
  std::string_view key() const override { return "find_paths_depth5"; }
  std::string_view label() const override { return "find_paths (depth=5)"; }
  std::optional<SeedFigures> seed() const override { return SeedFigures{10 * kMs, 200 * kMs, 50 * kMs}; }
  Status run(Store& store, std::string_view tenant, uint64_t i) override {
    PathOptions options;
    options.max_depth = 5;
    options.max_paths = 10;
    const auto& [source, target] = pairs_[i % pairs_.size()];
    return store.find_paths(tenant, source, target, options, &out_);
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  PathResult out_;
};

class BatchInsert10K : public Operation {
 public:
  BatchInsert10K() : entities_(make_entities(10000, 0)) {}
  std::string_view key() const override { return "batch_insert_10k"; }
  std::string_view label() const override { return "Batch insert (10K)"; }
  bool per_batch() const override { return true; }
  bool fresh_store_per_run() const override { return true; }
  std::optional<SeedFigures> seed() const override { return SeedFigures{150 * kMs, 5000 * kMs, 300 * kMs}; }
  Status setup(Store&, std::string_view) override { return Status::Ok(); }
  Status run(Store& store, std::string_view tenant, uint64_t) override {
    BulkResult result;
    if (Status s = store.add_entities_bulk(tenant, entities_, &result); !s.ok()) return s;
    if (result.added != entities_.size())
      return Internal("batch insert added " + std::to_string(result.added) + " of " + std::to_string(entities_.size()));
    return Status::Ok();
  }

 private:
  std::vector<Entity> entities_;
};

class Neighbors : public GraphRead {
 public:
  std::string_view key() const override { return "neighbors"; }
  std::string_view label() const override { return "neighbors (1 hop)"; }
  Status run(Store& store, std::string_view tenant, uint64_t i) override {
    return store.get_neighbors(tenant, pick(i), Direction::kOut, "", &out_);
  }

 private:
  std::vector<Neighbor> out_;
};

class Traverse : public GraphRead {
 public:
  std::string_view key() const override { return "traverse_depth3"; }
  std::string_view label() const override { return "traverse (depth=3)"; }
  Status run(Store& store, std::string_view tenant, uint64_t i) override {
    TraverseOptions options;
    options.max_depth = 3;
    return store.traverse(tenant, pick(i), options, &out_);
  }

 private:
  TraverseResult out_;
};

class VectorSearch : public Operation {
 public:
  static constexpr uint32_t kDim = 64;
  VectorSearch() : entities_(make_entities(10000, kDim)) {
    Rng rng(99);
    for (int q = 0; q < 64; ++q) {
      VectorQuery query;
      query.vector = make_vector(kDim, rng);
      query.k = 10;
      queries_.push_back(std::move(query));
    }
  }
  std::string_view key() const override { return "vector_search_10k"; }
  std::string_view label() const override { return "vector search (k=10, 10K x 64d)"; }
  Status setup(Store& store, std::string_view tenant) override { return load(store, tenant, entities_, {}); }
  Status run(Store& store, std::string_view tenant, uint64_t i) override {
    return store.vector_search(tenant, queries_[i % queries_.size()], &out_);
  }

 private:
  std::vector<Entity> entities_;
  std::vector<VectorQuery> queries_;
  std::vector<ScoredEntity> out_;
};

}  // namespace

std::vector<std::unique_ptr<Operation>> standard_operations() {
  std::vector<std::unique_ptr<Operation>> ops;
  ops.push_back(std::make_unique<AddEntity1K>());
  ops.push_back(std::make_unique<GetEntity>());
  ops.push_back(std::make_unique<FindPaths>());
  ops.push_back(std::make_unique<BatchInsert10K>());
  ops.push_back(std::make_unique<Neighbors>());
  ops.push_back(std::make_unique<Traverse>());
  ops.push_back(std::make_unique<VectorSearch>());
  return ops;
}

}  // namespace graphstore::workload
