// Neighbours, breadth-first traversal, path enumeration and subgraphs.
//
// Traversals load the frontier level by level through the covering
// adjacency indexes (relations_out / relations_in hold tenant, endpoint,
// type, other endpoint and the relation id), one indexed lookup per frontier
// entity, and fetch whole records only for what is returned. A recursive CTE
// cannot express the ABI's first-discovery rule (lowest-id parent of the
// previous level, then lowest relation id) without materialising every
// path, so the rules are applied here, as the core's defaults do.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphstore/abi_read.hpp"
#include "records.hpp"
#include "store.hpp"
#include "store_impl.hpp"

namespace graphstore::sqlite {
namespace {

std::string_view sv(gs_str s) { return sdk::view(s); }

sdk::Status check_direction(int32_t direction) {
  if (direction == GS_DIRECTION_OUT || direction == GS_DIRECTION_IN || direction == GS_DIRECTION_BOTH)
    return sdk::Status::Ok();
  return sdk::make_error(GS_INVALID_ARGUMENT,
                         "unknown direction " + std::to_string(direction) + " (expected 1 out, 2 in or 3 both)");
}

sdk::Status entity_not_found(std::string_view role, std::string_view id, std::string_view tenant) {
  return sdk::make_error(GS_NOT_FOUND,
                         std::string(role) + "entity " + quote(id) + " not found in " + describe_tenant(tenant));
}

bool exists(Connection& c, std::string_view tenant, std::string_view id) {
  auto s = c.stmt("SELECT 1 FROM entities WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  return s->step();
}

// One step of adjacency: relation id and the entity at the other end.
struct Step {
  std::string relation;
  std::string other;
};

// Appends the steps around id in `direction` (OUT or IN), type "" for any.
void load_steps(Connection& c, std::string_view tenant, std::string_view id, int32_t direction, std::string_view type,
                std::vector<Step>* out) {
  const char* sql;
  if (direction == GS_DIRECTION_OUT)
    sql = type.empty()
              ? "SELECT id, target_id FROM relations INDEXED BY relations_out WHERE tenant = ?1 AND source_id = ?2"
              : "SELECT id, target_id FROM relations INDEXED BY relations_out WHERE tenant = ?1 AND source_id = ?2 AND "
                "relation_type = ?3";
  else
    sql = type.empty()
              ? "SELECT id, source_id FROM relations INDEXED BY relations_in WHERE tenant = ?1 AND target_id = ?2"
              : "SELECT id, source_id FROM relations INDEXED BY relations_in WHERE tenant = ?1 AND target_id = ?2 AND "
                "relation_type = ?3";
  auto s = c.stmt(sql);
  s->bind(1, tenant);
  s->bind(2, id);
  if (!type.empty()) s->bind(3, type);
  while (s->step()) out->push_back(Step{std::string(s->text(0)), std::string(s->text(1))});
}

// Fetches whole records by id, within the caller's read transaction.
class Records {
 public:
  Records(Connection& c, std::string_view tenant) : c_(c), tenant_(tenant) {}

  // Calls fn(const gs_entity&) with entity id; false when absent.
  template <class Fn>
  bool entity(std::string_view id, const Fn& fn) {
    auto s = c_.stmt("SELECT " GS_SQLITE_ENTITY_COLS " FROM entities e WHERE e.tenant = ?1 AND e.id = ?2");
    s->bind(1, tenant_);
    s->bind(2, id);
    if (!s->step()) return false;
    gs_entity e = reader_.read(*s, 0, tenant_);
    fn(e);
    return true;
  }
  template <class Fn>
  bool relation(std::string_view id, const Fn& fn) {
    auto s = c_.stmt("SELECT " GS_SQLITE_RELATION_COLS " FROM relations r WHERE r.tenant = ?1 AND r.id = ?2");
    s->bind(1, tenant_);
    s->bind(2, id);
    if (!s->step()) return false;
    gs_relation r = read_relation_row(*s, 0, tenant_);
    fn(r);
    return true;
  }

 private:
  Connection& c_;
  std::string_view tenant_;
  EntityReader reader_;
};

// An owned copy of an entity or relation view, for paths that must hold
// several records at once.
struct OwnedEntity {
  std::string id, type, properties, source, tenant;
  bool has_source = false;
  std::vector<float> embedding;
  gs_time_us created_at = 0, updated_at = 0;
  explicit OwnedEntity(const gs_entity& e)
      : id(sv(e.id)),
        type(sv(e.entity_type)),
        properties(sv(e.properties_json)),
        source(sv(e.source)),
        tenant(sv(e.tenant_id)),
        has_source(e.source.data != nullptr),
        embedding(e.embedding, e.embedding + e.embedding_dim),
        created_at(e.created_at),
        updated_at(e.updated_at) {}
  gs_entity view() const {
    gs_entity e{};
    e.struct_size = sizeof e;
    e.id = as_str(id);
    e.entity_type = as_str(type);
    e.properties_json = as_str(properties);
    e.embedding = embedding.empty() ? nullptr : embedding.data();
    e.embedding_dim = uint32_t(embedding.size());
    e.created_at = created_at;
    e.updated_at = updated_at;
    e.source = has_source ? as_str(source) : gs_str{nullptr, 0};
    e.tenant_id = as_str(tenant);
    return e;
  }
};

struct OwnedRelation {
  std::string id, type, source_id, target_id, properties, source, tenant;
  bool has_source = false;
  double weight = 0;
  gs_time_us created_at = 0, updated_at = 0;
  explicit OwnedRelation(const gs_relation& r)
      : id(sv(r.id)),
        type(sv(r.relation_type)),
        source_id(sv(r.source_id)),
        target_id(sv(r.target_id)),
        properties(sv(r.properties_json)),
        source(sv(r.source)),
        tenant(sv(r.tenant_id)),
        has_source(r.source.data != nullptr),
        weight(r.weight),
        created_at(r.created_at),
        updated_at(r.updated_at) {}
  gs_relation view() const {
    gs_relation r{};
    r.struct_size = sizeof r;
    r.id = as_str(id);
    r.relation_type = as_str(type);
    r.source_id = as_str(source_id);
    r.target_id = as_str(target_id);
    r.properties_json = as_str(properties);
    r.weight = weight;
    r.created_at = created_at;
    r.updated_at = updated_at;
    r.source = has_source ? as_str(source) : gs_str{nullptr, 0};
    r.tenant_id = as_str(tenant);
    return r;
  }
};

}  // namespace

// ---- Neighbours ---------------------------------------------------------------

sdk::Status SqliteStore::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                       std::string_view relation_type, sdk::NeighborSink sink) {
  if (sdk::Status s = check_direction(direction); !s.ok()) return s;
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, direction == GS_DIRECTION_BOTH && !memory());
    EntityReader reader;
    size_t rows = 0;
    bool go_on = true;
    auto run = [&](Lease s) {
      s->bind(1, tenant);
      s->bind(2, id);
      if (!relation_type.empty()) s->bind(3, relation_type);
      while (go_on && s->step()) {
        ++rows;
        gs_relation r = read_relation_row(*s, 0, tenant);
        gs_entity n = reader.read(*s, kRelationCols, tenant);
        go_on = sink(&r, &n);
      }
    };
#define GS_SQLITE_NEIGHBORS(INDEX, END, OTHER, EXTRA)                                                \
  "SELECT " GS_SQLITE_RELATION_COLS ", " GS_SQLITE_ENTITY_COLS " FROM relations r INDEXED BY " INDEX \
  " CROSS JOIN entities e ON e.tenant = r.tenant AND e.id = r." OTHER " WHERE r.tenant = ?1 AND r." END " = ?2" EXTRA
    if (direction != GS_DIRECTION_IN)
      run(relation_type.empty()
              ? c.stmt(GS_SQLITE_NEIGHBORS("relations_out", "source_id", "target_id", ""))
              : c.stmt(GS_SQLITE_NEIGHBORS("relations_out", "source_id", "target_id", " AND r.relation_type = ?3")));
    if (direction == GS_DIRECTION_IN)
      run(relation_type.empty()
              ? c.stmt(GS_SQLITE_NEIGHBORS("relations_in", "target_id", "source_id", ""))
              : c.stmt(GS_SQLITE_NEIGHBORS("relations_in", "target_id", "source_id", " AND r.relation_type = ?3")));
    if (direction == GS_DIRECTION_BOTH && go_on)
      run(relation_type.empty()
              ? c.stmt(GS_SQLITE_NEIGHBORS("relations_in", "target_id", "source_id", " AND r.source_id <> ?2"))
              : c.stmt(GS_SQLITE_NEIGHBORS("relations_in", "target_id", "source_id",
                                           " AND r.source_id <> ?2 AND r.relation_type = ?3")));
#undef GS_SQLITE_NEIGHBORS
    // No relation: the entity itself may be missing.
    if (rows == 0 && !exists(c, tenant, id)) return entity_not_found("", id, tenant);
    return sdk::Status::Ok();
  });
}

// ---- Traversal ------------------------------------------------------------------

// BFS by levels: each level is expanded from its entities in id order, each
// entity's relations in id order, so the first discovery of an entity is by
// the lowest-id relation of the lowest-id entity of the previous level.
sdk::Status SqliteStore::traverse(std::string_view tenant, const gs_traverse_params& params, sdk::TraverseSink sink,
                                  bool* truncated) {
  gs_traverse_params p = sdk::read_params(params);
  if (sdk::Status s = check_direction(p.direction); !s.ok()) return s;
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    std::string_view start = sv(p.start_id);
    if (!exists(c, tenant, start)) return entity_not_found("start ", start, tenant);
    std::string_view type = sv(p.relation_type);
    struct Hit {
      std::string entity;
      std::string via;
      uint32_t depth;
    };
    std::vector<Hit> hits;
    std::unordered_set<std::string> seen{std::string(start)};
    std::vector<std::string> frontier{std::string(start)};
    std::vector<Step> steps;
    for (uint32_t depth = 1; depth <= p.max_depth && !frontier.empty(); ++depth) {
      size_t level = hits.size();
      for (const std::string& u : frontier) {
        steps.clear();
        if (p.direction != GS_DIRECTION_IN) load_steps(c, tenant, u, GS_DIRECTION_OUT, type, &steps);
        if (p.direction != GS_DIRECTION_OUT) load_steps(c, tenant, u, GS_DIRECTION_IN, type, &steps);
        std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.relation < b.relation; });
        for (Step& st : steps) {
          if (!seen.insert(st.other).second) continue;
          hits.push_back(Hit{std::move(st.other), std::move(st.relation), depth});
        }
      }
      std::sort(hits.begin() + std::ptrdiff_t(level), hits.end(),
                [](const Hit& a, const Hit& b) { return a.entity < b.entity; });
      // Later levels sort after every hit so far: once there are more hits
      // than the cap, the answer and its truncation are settled.
      if (hits.size() > p.max_results) break;
      frontier.clear();
      for (size_t i = level; i < hits.size(); ++i) frontier.push_back(hits[i].entity);
    }
    *truncated = hits.size() > p.max_results;
    size_t n = size_t(std::min<uint64_t>(hits.size(), p.max_results));
    if (n == 0) return sdk::Status::Ok();
    // The hits' records in two statements stepped side by side, each
    // reading its ids from a JSON array in hit order.
    rapidjson::StringBuffer entity_ids, relation_ids;
    rapidjson::Writer<rapidjson::StringBuffer> ew(entity_ids), rw(relation_ids);
    ew.StartArray();
    rw.StartArray();
    for (size_t i = 0; i < n; ++i) {
      ew.String(hits[i].entity.data(), rapidjson::SizeType(hits[i].entity.size()));
      rw.String(hits[i].via.data(), rapidjson::SizeType(hits[i].via.size()));
    }
    ew.EndArray();
    rw.EndArray();
    auto es = c.stmt("SELECT " GS_SQLITE_ENTITY_COLS
                     " FROM json_each(?2) AS j CROSS JOIN entities e ON e.tenant = ?1 AND e.id = j.value "
                     "ORDER BY j.key");
    auto rs = c.stmt("SELECT " GS_SQLITE_RELATION_COLS
                     " FROM json_each(?2) AS j CROSS JOIN relations r ON r.tenant = ?1 AND r.id = j.value "
                     "ORDER BY j.key");
    es->bind(1, tenant);
    es->bind(2, std::string_view(entity_ids.GetString(), entity_ids.GetSize()));
    rs->bind(1, tenant);
    rs->bind(2, std::string_view(relation_ids.GetString(), relation_ids.GetSize()));
    EntityReader reader;
    // Inside one read snapshot every hit's entity and relation exist.
    for (size_t i = 0; i < n && es->step() && rs->step(); ++i) {
      gs_entity e = reader.read(*es, 0, tenant);
      gs_relation via = read_relation_row(*rs, 0, tenant);
      if (!sink(&e, hits[i].depth, &via)) break;
    }
    return sdk::Status::Ok();
  });
}

// ---- Paths ------------------------------------------------------------------------

namespace {

constexpr uint32_t kFar = std::numeric_limits<uint32_t>::max();

// Simple OUT paths source -> target in (length, relation ids) order. A
// reverse BFS from the target gives each entity's distance to it; a
// depth-first search from the source, run once per exact length, enters an
// entity only when that distance fits in the relations left. With each
// entity's out-steps sorted by relation id, one length's paths come out in
// lexicographic order, so the search stops at max_paths + 1.
class PathSearch {
 public:
  PathSearch(Connection& c, std::string_view tenant, const gs_paths_params& p, sdk::PathSink sink, bool* truncated)
      : c_(c), tenant_(tenant), p_(p), sink_(sink), truncated_(truncated), records_(c, tenant) {}

  void run(const std::string& source, const std::string& target) {
    source_ = node(source);
    target_ = node(target);
    distances();
    if (source_->distance == kFar) return;
    uint64_t longest = std::min<uint64_t>(p_.max_depth, reachable_ - 1);
    for (uint64_t length = source_->distance; length <= longest && !done_; ++length) {
      pruned_ = false;
      search(uint32_t(length));
      if (!pruned_) break;
    }
  }

 private:
  struct Node;
  struct Edge {
    std::string relation;
    Node* to;
  };
  struct Node {
    std::string id;
    uint32_t distance = kFar;
    bool loaded = false;
    bool on_path = false;
    std::vector<Edge> out;
  };

  Node* node(const std::string& id) {
    auto& slot = nodes_[id];
    if (!slot) {
      slot = std::make_unique<Node>();
      slot->id = id;
    }
    return slot.get();
  }

  void distances() {
    target_->distance = 0;
    reachable_ = 1;
    std::vector<Node*> level{target_}, next;
    std::vector<Step> steps;
    for (uint32_t d = 1; d < p_.max_depth && !level.empty(); ++d) {
      next.clear();
      for (Node* u : level) {
        steps.clear();
        load_steps(c_, tenant_, u->id, GS_DIRECTION_IN, sv(p_.relation_type), &steps);
        for (const Step& st : steps) {
          Node* v = node(st.other);
          if (v->distance != kFar) continue;
          v->distance = d;
          next.push_back(v);
          ++reachable_;
        }
      }
      level.swap(next);
    }
    if (source_->distance != kFar) return;
    load(source_);
    for (const Edge& e : source_->out)
      if (e.to != source_) source_->distance = std::min(source_->distance, e.to->distance + 1);
    if (source_->distance != kFar) ++reachable_;
  }

  void load(Node* u) {
    if (u->loaded) return;
    std::vector<Step> steps;
    load_steps(c_, tenant_, u->id, GS_DIRECTION_OUT, sv(p_.relation_type), &steps);
    for (Step& st : steps) {
      Node* v = node(st.other);
      if (v->distance == kFar) continue;  // cannot reach the target
      u->out.push_back(Edge{std::move(st.relation), v});
    }
    std::sort(u->out.begin(), u->out.end(), [](const Edge& a, const Edge& b) { return a.relation < b.relation; });
    u->loaded = true;
  }

  void search(uint32_t length) {
    struct Frame {
      Node* node;
      size_t next;
    };
    std::vector<Frame> stack{{source_, 0}};
    std::vector<const Edge*> path;
    source_->on_path = true;
    while (!stack.empty() && !done_) {
      Frame& top = stack.back();
      load(top.node);
      uint32_t used = uint32_t(path.size());
      bool descended = false;
      while (top.next < top.node->out.size()) {
        const Edge& e = top.node->out[top.next++];
        Node* v = e.to;
        if (v == target_) {
          if (used + 1 == length && !emit(path, e)) break;
          continue;
        }
        if (v->on_path) continue;
        if (v->distance > length - (used + 1)) {
          pruned_ = true;
          continue;
        }
        v->on_path = true;
        path.push_back(&e);
        stack.push_back(Frame{v, 0});
        descended = true;
        break;
      }
      if (descended || done_) continue;
      stack.back().node->on_path = false;
      stack.pop_back();
      if (!path.empty()) path.pop_back();
    }
    for (const Frame& f : stack) f.node->on_path = false;
  }

  const OwnedEntity& entity(const std::string& id) {
    auto it = entities_.find(id);
    if (it == entities_.end()) {
      std::optional<OwnedEntity> e;
      records_.entity(id, [&](const gs_entity& v) { e.emplace(v); });
      if (!e) throw sdk::Error(GS_INTERNAL, "find_paths: entity " + quote(id) + " vanished");
      it = entities_.emplace(id, std::move(*e)).first;
    }
    return it->second;
  }

  const OwnedRelation& relation(const std::string& id) {
    auto it = relations_.find(id);
    if (it == relations_.end()) {
      std::optional<OwnedRelation> r;
      records_.relation(id, [&](const gs_relation& v) { r.emplace(v); });
      if (!r) throw sdk::Error(GS_INTERNAL, "find_paths: relation " + quote(id) + " vanished");
      it = relations_.emplace(id, std::move(*r)).first;
    }
    return it->second;
  }

  bool emit(const std::vector<const Edge*>& path, const Edge& last) {
    if (emitted_ >= p_.max_paths) {
      *truncated_ = true;
      done_ = true;
      return false;
    }
    ++emitted_;
    std::vector<gs_entity> entities;
    std::vector<gs_relation> relations;
    entities.push_back(entity(source_->id).view());
    for (const Edge* e : path) {
      relations.push_back(relation(e->relation).view());
      entities.push_back(entity(e->to->id).view());
    }
    relations.push_back(relation(last.relation).view());
    entities.push_back(entity(target_->id).view());
    std::vector<const gs_entity*> entity_ptrs;
    std::vector<const gs_relation*> relation_ptrs;
    for (const gs_entity& e : entities) entity_ptrs.push_back(&e);
    for (const gs_relation& r : relations) relation_ptrs.push_back(&r);
    if (!sink_(entity_ptrs.data(), entity_ptrs.size(), relation_ptrs.data(), relation_ptrs.size())) {
      done_ = true;
      return false;
    }
    return true;
  }

  Connection& c_;
  std::string_view tenant_;
  const gs_paths_params& p_;
  sdk::PathSink sink_;
  bool* truncated_;
  Records records_;
  std::unordered_map<std::string, std::unique_ptr<Node>> nodes_;
  std::unordered_map<std::string, OwnedEntity> entities_;
  std::unordered_map<std::string, OwnedRelation> relations_;
  Node* source_ = nullptr;
  Node* target_ = nullptr;
  uint64_t reachable_ = 0;
  uint64_t emitted_ = 0;
  bool pruned_ = false;
  bool done_ = false;
};

}  // namespace

sdk::Status SqliteStore::find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink,
                                    bool* truncated) {
  gs_paths_params p = sdk::read_params(params);
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    std::string source(sv(p.source_id)), target(sv(p.target_id));
    if (!exists(c, tenant, source)) return entity_not_found("source ", source, tenant);
    if (!exists(c, tenant, target)) return entity_not_found("target ", target, tenant);
    if (source == target) {
      // The only simple path from an entity to itself is the entity alone.
      *truncated = p.max_paths == 0;
      if (p.max_paths == 0) return sdk::Status::Ok();
      Records records(c, tenant);
      records.entity(source, [&](const gs_entity& e) {
        const gs_entity* entities[1] = {&e};
        sink(entities, 1, nullptr, 0);
      });
      return sdk::Status::Ok();
    }
    if (p.max_depth == 0) return sdk::Status::Ok();
    PathSearch(c, tenant, p, sink, truncated).run(source, target);
    return sdk::Status::Ok();
  });
}

// ---- Subgraph ------------------------------------------------------------------

// One statement: the ids travel as a JSON array, the entities among them
// come first (kind 1) and the relations between them after (kind 2), each
// ordered by id.
sdk::Status SqliteStore::subgraph(std::string_view tenant, const gs_str* ids, size_t n_ids, sdk::EntitySink entity_sink,
                                  sdk::RelationSink relation_sink) {
  return read(tenant, [&](Connection& c) {
    if (n_ids == 0) return sdk::Status::Ok();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartArray();
    for (size_t i = 0; i < n_ids; ++i) writer.String(ids[i].data ? ids[i].data : "", rapidjson::SizeType(ids[i].len));
    writer.EndArray();
    auto s = c.stmt(
        "WITH ids(id) AS (SELECT DISTINCT value FROM json_each(?2)) "
        "SELECT 1 AS kind, e.id AS k, e.entity_type, e.properties, e.embedding, e.created_at, e.updated_at, "
        "e.source, NULL, NULL, NULL, NULL "
        "FROM ids CROSS JOIN entities e ON e.tenant = ?1 AND e.id = ids.id "
        "UNION ALL "
        "SELECT 2, r.id, r.relation_type, r.properties, NULL, r.created_at, r.updated_at, r.source, r.source_id, "
        "r.target_id, r.weight, NULL "
        "FROM ids CROSS JOIN relations r INDEXED BY relations_in ON r.tenant = ?1 AND r.source_id = ids.id "
        "WHERE r.target_id IN (SELECT id FROM ids) "
        "ORDER BY 1, 2");
    s->bind(1, tenant);
    s->bind(2, std::string_view(buffer.GetString(), buffer.GetSize()));
    EntityReader reader;
    while (s->step()) {
      if (s->i64(0) == 1) {
        // Columns 1..7 are the entity's, in GS_SQLITE_ENTITY_COLS order.
        gs_entity e = reader.read(*s, 1, tenant);
        if (!entity_sink(&e)) break;
      } else {
        gs_relation r{};
        r.struct_size = sizeof r;
        r.id = as_str(s->text(1));
        r.relation_type = as_str(s->text(2));
        r.properties_json = as_str(s->text(3));
        r.created_at = s->i64(5);
        r.updated_at = s->i64(6);
        r.source = s->str(7);
        r.source_id = as_str(s->text(8));
        r.target_id = as_str(s->text(9));
        r.weight = s->dbl(10);
        r.tenant_id = as_str(tenant);
        if (!relation_sink(&r)) break;
      }
    }
    return sdk::Status::Ok();
  });
}

}  // namespace graphstore::sqlite
