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
    if (rows == 0 && !exists(c, tenant, id)) return sdk::not_found("entity", id, tenant);
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
    if (!exists(c, tenant, start)) return sdk::not_found("start entity", start, tenant);
    std::string_view type = sdk::view(p.relation_type);
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

sdk::Status SqliteStore::find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink,
                                    bool* truncated) {
  gs_paths_params p = sdk::read_params(params);
  return read(tenant, [&](Connection& c) {
    ReadTxn txn(c, !memory());
    std::string source(sdk::view(p.source_id)), target(sdk::view(p.target_id));
    if (!exists(c, tenant, source)) return sdk::not_found("source entity", source, tenant);
    if (!exists(c, tenant, target)) return sdk::not_found("target entity", target, tenant);
    Records records(c, tenant);
    if (source == target) {
      // The only simple path from an entity to itself is the entity alone.
      *truncated = p.max_paths == 0;
      if (p.max_paths == 0) return sdk::Status::Ok();
      records.entity(source, [&](const gs_entity& e) {
        const gs_entity* entities[1] = {&e};
        sink(entities, 1, nullptr, 0);
      });
      return sdk::Status::Ok();
    }
    if (p.max_depth == 0) return sdk::Status::Ok();
    // The search keeps ids only; a path's records are read when it is
    // emitted, each once.
    std::string_view type = sdk::view(p.relation_type);
    std::vector<Step> steps;
    auto in_level = [&](const std::vector<std::string_view>& level, auto&& visit) {
      for (std::string_view id : level) {
        steps.clear();
        load_steps(c, tenant, id, GS_DIRECTION_IN, type, &steps);
        for (const Step& st : steps) visit(st.other);
      }
      return true;
    };
    auto out_edges = [&](std::string_view id, auto&& visit) {
      steps.clear();
      load_steps(c, tenant, id, GS_DIRECTION_OUT, type, &steps);
      for (const Step& st : steps) visit(st.relation, st.other);
      return true;
    };
    std::unordered_map<std::string, sdk::OwnedEntity> entities;
    std::unordered_map<std::string, sdk::OwnedRelation> relations;
    auto entity = [&](const std::string& id) -> const sdk::OwnedEntity& {
      auto it = entities.find(id);
      if (it == entities.end()) {
        std::optional<sdk::OwnedEntity> e;
        records.entity(id, [&](const gs_entity& v) { e.emplace(v); });
        if (!e) throw sdk::Error(GS_INTERNAL, "find_paths: entity " + sdk::quoted_prefix(id) + " vanished");
        it = entities.emplace(id, std::move(*e)).first;
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
      ev.assign(1, entity(source).view());
      rv.clear();
      for (const sdk::PathSearch::Step& st : path) {
        rv.push_back(relation(*st.relation).view());
        ev.push_back(entity(search.id(st.entity)).view());
      }
      ep.clear();
      rp.clear();
      for (const gs_entity& e : ev) ep.push_back(&e);
      for (const gs_relation& r : rv) rp.push_back(&r);
      return sink(ep.data(), ep.size(), rp.data(), rp.size());
    };
    search.measure(target, in_level);
    search.run(source, target, out_edges, emit, truncated);
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
