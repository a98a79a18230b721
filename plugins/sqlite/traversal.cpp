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
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphstore/abi_read.hpp"
#include "graphstore/checks.hpp"
#include "graphstore/paths.hpp"
#include "graphstore/records.hpp"
#include "records.hpp"
#include "store.hpp"
#include "store_impl.hpp"

namespace graphstore::sqlite {
namespace {


// The entity's rid, 0 when absent.
int64_t rid_of(Connection& c, std::string_view tenant, std::string_view id) {
  auto s = c.stmt("SELECT rid FROM entities INDEXED BY entities_key WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  return s->step() ? s->i64(0) : 0;
}

// One step of adjacency: the relation and the entity at the other end
// (its id only when asked for: it costs a read of the entity's row, while
// the rest comes from the adjacency entry).
struct Step {
  int64_t relation_rid;
  std::string relation;
  int64_t other_rid;
  std::string other;
};

// Appends the steps around entity rid in `direction` (OUT or IN), type "" for any.
void load_steps(Connection& c, int64_t rid, int32_t direction, std::string_view type, bool with_ids,
                std::vector<Step>* out) {
#define GS_SQLITE_STEPS(INDEX, END, OTHER, EXTRA)                                                               \
  "SELECT r.rid, r.id, e.rid, e.id FROM relations r INDEXED BY " INDEX " CROSS JOIN entities e ON e.rid = r." OTHER \
  " WHERE r." END " = ?1" EXTRA
#define GS_SQLITE_BARE_STEPS(INDEX, END, OTHER, EXTRA) \
  "SELECT r.rid, r.id, r." OTHER ", '' FROM relations r INDEXED BY " INDEX " WHERE r." END " = ?1" EXTRA
#define GS_SQLITE_PICK(STEPS)                                                                                    \
  (direction == GS_DIRECTION_OUT                                                                                 \
       ? (type.empty() ? STEPS("relations_out", "source_rid", "target_rid", "")                                  \
                       : STEPS("relations_out", "source_rid", "target_rid", " AND r.relation_type = ?2"))        \
       : (type.empty() ? STEPS("relations_in", "target_rid", "source_rid", "")                                   \
                       : STEPS("relations_in", "target_rid", "source_rid", " AND r.relation_type = ?2")))
  const char* sql = with_ids ? GS_SQLITE_PICK(GS_SQLITE_STEPS) : GS_SQLITE_PICK(GS_SQLITE_BARE_STEPS);
#undef GS_SQLITE_PICK
#undef GS_SQLITE_BARE_STEPS
#undef GS_SQLITE_STEPS
  auto s = c.stmt(sql);
  s->bind(1, rid);
  if (!type.empty()) s->bind(2, type);
  while (s->step()) out->push_back(Step{s->i64(0), std::string(s->text(1)), s->i64(2), std::string(s->text(3))});
}

// find_paths' names for entities: the rid's 8 bytes. Path order depends on
// relation ids only (paths.hpp), so the search needs no entity ids.
std::string rid_key(int64_t rid) {
  std::string key(sizeof rid, '\0');
  std::memcpy(key.data(), &rid, sizeof rid);
  return key;
}
int64_t key_rid(std::string_view key) {
  int64_t rid = 0;
  std::memcpy(&rid, key.data(), std::min(key.size(), sizeof rid));
  return rid;
}

// Fetches whole records by id, within the caller's read transaction.
class Records {
 public:
  Records(Connection& c, std::string_view tenant) : c_(c), tenant_(tenant) {}

  // Calls fn(const gs_entity&) with the entity of that rid; false when absent.
  template <class Fn>
  bool entity(int64_t rid, const Fn& fn) {
    auto s = c_.stmt("SELECT " GS_SQLITE_ENTITY_COLS " FROM entities e WHERE e.rid = ?1");
    s->bind(1, rid);
    if (!s->step()) return false;
    gs_entity e = reader_.read(*s, 0, tenant_);
    fn(e);
    return true;
  }
  template <class Fn>
  bool relation(std::string_view id, const Fn& fn) {
    auto s = c_.stmt("SELECT " GS_SQLITE_RELATION_COLS " FROM relations r INDEXED BY relations_key"
                     GS_SQLITE_RELATION_ENDS " WHERE r.tenant = ?1 AND r.id = ?2");
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

}  // namespace

// ---- Neighbours ---------------------------------------------------------------

sdk::Status SqliteStore::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                       std::string_view relation_type, sdk::NeighborSink sink) {
  if (sdk::Status s = sdk::check_direction(direction); !s.ok()) return s;
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
// The anchor (rid and id, ?2) comes from a subquery on entities_key; the
// relation's endpoints are the anchor's id on its side (END) and the
// neighbour's on the other.
#define GS_SQLITE_NEIGHBORS(INDEX, END, OTHER, SOURCE, TARGET, EXTRA)                                                \
  "SELECT r.id, r.relation_type, " SOURCE ", " TARGET ", r.properties, r.weight, r.created_at, r.updated_at, "       \
  "r.source, " GS_SQLITE_ENTITY_COLS " FROM (SELECT id AS anchor_id, rid AS anchor FROM entities INDEXED BY "         \
  "entities_key WHERE tenant = ?1 AND id = ?2) AS a CROSS JOIN relations r INDEXED BY " INDEX " ON r." END "_rid = " \
  "a.anchor CROSS JOIN entities e ON e.rid = r." OTHER "_rid" EXTRA
#define GS_SQLITE_OUT(EXTRA) GS_SQLITE_NEIGHBORS("relations_out", "source", "target", "a.anchor_id", "e.id", EXTRA)
#define GS_SQLITE_IN(EXTRA) GS_SQLITE_NEIGHBORS("relations_in", "target", "source", "e.id", "a.anchor_id", EXTRA)
    if (direction != GS_DIRECTION_IN)
      run(relation_type.empty() ? c.stmt(GS_SQLITE_OUT("")) : c.stmt(GS_SQLITE_OUT(" WHERE r.relation_type = ?3")));
    if (direction == GS_DIRECTION_IN)
      run(relation_type.empty() ? c.stmt(GS_SQLITE_IN("")) : c.stmt(GS_SQLITE_IN(" WHERE r.relation_type = ?3")));
    if (direction == GS_DIRECTION_BOTH && go_on)
      run(relation_type.empty()
              ? c.stmt(GS_SQLITE_IN(" WHERE r.source_rid <> a.anchor"))
              : c.stmt(GS_SQLITE_IN(" WHERE r.source_rid <> a.anchor AND r.relation_type = ?3")));
#undef GS_SQLITE_OUT
#undef GS_SQLITE_IN
#undef GS_SQLITE_NEIGHBORS
    // No relation: the entity itself may be missing.
    if (rows == 0 && rid_of(c, tenant, id) == 0) return sdk::not_found("entity", id, tenant);
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
  if (sdk::Status s = sdk::check_direction(p.direction); !s.ok()) return s;
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    std::string_view start = sdk::view(p.start_id);
    int64_t start_rid = rid_of(c, tenant, start);
    if (start_rid == 0) return sdk::not_found("start entity", start, tenant);
    std::string_view type = sdk::view(p.relation_type);
    struct Hit {
      std::string entity;
      int64_t entity_rid;
      int64_t via_rid;
      uint32_t depth;
    };
    std::vector<Hit> hits;
    std::unordered_set<int64_t> seen{start_rid};
    std::vector<int64_t> frontier{start_rid};
    std::vector<Step> steps;
    for (uint32_t depth = 1; depth <= p.max_depth && !frontier.empty(); ++depth) {
      size_t level = hits.size();
      for (int64_t u : frontier) {
        steps.clear();
        if (p.direction != GS_DIRECTION_IN) load_steps(c, u, GS_DIRECTION_OUT, type, true, &steps);
        if (p.direction != GS_DIRECTION_OUT) load_steps(c, u, GS_DIRECTION_IN, type, true, &steps);
        std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.relation < b.relation; });
        for (Step& st : steps) {
          if (!seen.insert(st.other_rid).second) continue;
          hits.push_back(Hit{std::move(st.other), st.other_rid, st.relation_rid, depth});
        }
      }
      std::sort(hits.begin() + std::ptrdiff_t(level), hits.end(),
                [](const Hit& a, const Hit& b) { return a.entity < b.entity; });
      // Later levels sort after every hit so far: once there are more hits
      // than the cap, the answer and its truncation are settled.
      if (hits.size() > p.max_results) break;
      frontier.clear();
      for (size_t i = level; i < hits.size(); ++i) frontier.push_back(hits[i].entity_rid);
    }
    *truncated = hits.size() > p.max_results;
    size_t n = size_t(std::min<uint64_t>(hits.size(), p.max_results));
    if (n == 0) return sdk::Status::Ok();
    // The hits' records in two statements stepped side by side, each
    // reading its rids from a JSON array in hit order.
    rapidjson::StringBuffer entity_rids, relation_rids;
    rapidjson::Writer<rapidjson::StringBuffer> ew(entity_rids), rw(relation_rids);
    ew.StartArray();
    rw.StartArray();
    for (size_t i = 0; i < n; ++i) {
      ew.Int64(hits[i].entity_rid);
      rw.Int64(hits[i].via_rid);
    }
    ew.EndArray();
    rw.EndArray();
    auto es = c.stmt("SELECT " GS_SQLITE_ENTITY_COLS
                     " FROM json_each(?1) AS j CROSS JOIN entities e ON e.rid = j.value ORDER BY j.key");
    auto rs = c.stmt("SELECT " GS_SQLITE_RELATION_COLS
                     " FROM json_each(?1) AS j CROSS JOIN relations r ON r.rid = j.value" GS_SQLITE_RELATION_ENDS
                     " ORDER BY j.key");
    es->bind(1, std::string_view(entity_rids.GetString(), entity_rids.GetSize()));
    rs->bind(1, std::string_view(relation_rids.GetString(), relation_rids.GetSize()));
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

sdk::Status SqliteStore::find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink,
                                    bool* truncated) {
  gs_paths_params p = sdk::read_params(params);
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    std::string source(sdk::view(p.source_id)), target(sdk::view(p.target_id));
    int64_t source_rid = rid_of(c, tenant, source), target_rid = rid_of(c, tenant, target);
    if (source_rid == 0) return sdk::not_found("source entity", source, tenant);
    if (target_rid == 0) return sdk::not_found("target entity", target, tenant);
    Records records(c, tenant);
    if (source == target) {
      // The only simple path from an entity to itself is the entity alone.
      *truncated = p.max_paths == 0;
      if (p.max_paths == 0) return sdk::Status::Ok();
      records.entity(source_rid, [&](const gs_entity& e) {
        const gs_entity* entities[1] = {&e};
        sink(entities, 1, nullptr, 0);
      });
      return sdk::Status::Ok();
    }
    if (p.max_depth == 0) return sdk::Status::Ok();
    // The search keeps rid keys and relation ids only; a path's records are
    // read when it is emitted, each once.
    std::string_view type = sdk::view(p.relation_type);
    std::vector<Step> steps;
    auto in_level = [&](const std::vector<std::string_view>& level, auto&& visit) {
      for (std::string_view key : level) {
        steps.clear();
        load_steps(c, key_rid(key), GS_DIRECTION_IN, type, false, &steps);
        for (const Step& st : steps) visit(rid_key(st.other_rid));
      }
      return true;
    };
    auto out_edges = [&](std::string_view key, auto&& visit) {
      steps.clear();
      load_steps(c, key_rid(key), GS_DIRECTION_OUT, type, false, &steps);
      for (const Step& st : steps) visit(st.relation, rid_key(st.other_rid));
      return true;
    };
    std::unordered_map<int64_t, sdk::OwnedEntity> entities;
    std::unordered_map<std::string, sdk::OwnedRelation> relations;
    auto entity = [&](int64_t rid) -> const sdk::OwnedEntity& {
      auto it = entities.find(rid);
      if (it == entities.end()) {
        std::optional<sdk::OwnedEntity> e;
        records.entity(rid, [&](const gs_entity& v) { e.emplace(v); });
        if (!e) throw sdk::Error(GS_INTERNAL, "find_paths: entity of rid " + std::to_string(rid) + " vanished");
        it = entities.emplace(rid, std::move(*e)).first;
      }
      return it->second;
    };
    auto relation = [&](const std::string& id) -> const sdk::OwnedRelation& {
      auto it = relations.find(id);
      if (it == relations.end()) {
        std::optional<sdk::OwnedRelation> r;
        records.relation(id, [&](const gs_relation& v) { r.emplace(v); });
        if (!r) throw sdk::Error(GS_INTERNAL, "find_paths: relation " + sdk::quoted_prefix(id) + " vanished");
        it = relations.emplace(id, std::move(*r)).first;
      }
      return it->second;
    };
    sdk::PathSearch search(p.max_depth, p.max_paths);
    std::vector<gs_entity> ev;
    std::vector<gs_relation> rv;
    std::vector<const gs_entity*> ep;
    std::vector<const gs_relation*> rp;
    auto emit = [&](const std::vector<sdk::PathSearch::Step>& path) {
      ev.assign(1, entity(source_rid).view());
      rv.clear();
      for (const sdk::PathSearch::Step& st : path) {
        rv.push_back(relation(*st.relation).view());
        ev.push_back(entity(key_rid(search.id(st.entity))).view());
      }
      ep.clear();
      rp.clear();
      for (const gs_entity& e : ev) ep.push_back(&e);
      for (const gs_relation& r : rv) rp.push_back(&r);
      return sink(ep.data(), ep.size(), rp.data(), rp.size());
    };
    search.measure(rid_key(target_rid), in_level);
    search.run(rid_key(source_rid), rid_key(target_rid), out_edges, emit, truncated);
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
        "WITH members(rid) AS MATERIALIZED (SELECT DISTINCT e.rid FROM json_each(?2) AS j "
        "CROSS JOIN entities e INDEXED BY entities_key ON e.tenant = ?1 AND e.id = j.value) "
        "SELECT 1 AS kind, e.id AS k, e.entity_type, e.properties, e.embedding, e.created_at, e.updated_at, "
        "e.source, NULL, NULL, NULL, NULL "
        "FROM members m CROSS JOIN entities e ON e.rid = m.rid "
        "UNION ALL "
        "SELECT 2, r.id, r.relation_type, r.properties, NULL, r.created_at, r.updated_at, r.source, rs.id, "
        "rt.id, r.weight, NULL "
        "FROM members m CROSS JOIN relations r INDEXED BY relations_out ON r.source_rid = m.rid" GS_SQLITE_RELATION_ENDS
        " WHERE r.target_rid IN (SELECT rid FROM members) "
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
