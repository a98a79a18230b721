// graphstore::WriteBatch: writes applied all or nothing (like LevelDB's).
#ifndef GRAPHSTORE_WRITE_BATCH_HPP
#define GRAPHSTORE_WRITE_BATCH_HPP

#include <string>
#include <utility>
#include <vector>

#include "graphstore/types.hpp"

namespace graphstore {

// Collects adds, updates and deletes of entities and relations for one
// tenant. Store::apply runs them in order as one transaction: later ops see
// earlier ones, and if any fails none is applied. Building a batch checks
// nothing and never fails (apply checks). Not thread-safe: one thread at a
// time per batch; a batch being applied must not change until apply
// returns.
class WriteBatch {
 public:
  enum class Kind : int32_t {
    kAddEntity = GS_OP_ADD_ENTITY,
    kUpdateEntity = GS_OP_UPDATE_ENTITY,
    kDeleteEntity = GS_OP_DELETE_ENTITY,
    kAddRelation = GS_OP_ADD_RELATION,
    kUpdateRelation = GS_OP_UPDATE_RELATION,
    kDeleteRelation = GS_OP_DELETE_RELATION,
  };
  struct Op {
    Kind kind;
    Entity entity;      // entity adds and updates
    Relation relation;  // relation adds and updates
    std::string id;     // deletes
  };

  void add_entity(Entity e) { ops_.push_back({Kind::kAddEntity, std::move(e), {}, {}}); }
  void update_entity(Entity e) { ops_.push_back({Kind::kUpdateEntity, std::move(e), {}, {}}); }
  void delete_entity(std::string id) { ops_.push_back({Kind::kDeleteEntity, {}, {}, std::move(id)}); }
  void add_relation(Relation r) { ops_.push_back({Kind::kAddRelation, {}, std::move(r), {}}); }
  void update_relation(Relation r) { ops_.push_back({Kind::kUpdateRelation, {}, std::move(r), {}}); }
  void delete_relation(std::string id) { ops_.push_back({Kind::kDeleteRelation, {}, {}, std::move(id)}); }

  // The ops in the order they were added.
  const std::vector<Op>& ops() const { return ops_; }
  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  void clear() { ops_.clear(); }

  // Appends an op as it is (any kind). For code that takes a batch apart and
  // puts it together again, e.g. to retry part of a refused batch.
  void add(Op op) { ops_.push_back(std::move(op)); }
  // Moves every op out, in order, and leaves the batch empty: no copy of
  // the records, so a caller can rearrange a large batch in linear time.
  std::vector<Op> take_ops() { return std::exchange(ops_, {}); }

 private:
  std::vector<Op> ops_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_WRITE_BATCH_HPP
