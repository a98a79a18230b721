// PostgresStore: neighbours, breadth-first traversal, path enumeration and
// subgraphs.
//
// traverse and find_paths run set-at-a-time on the server: one query per BFS
// level fetches the edges (ids only) of the whole frontier with
// `= ANY($frontier)` over the adjacency indexes; the client only decides
// first discoveries (abi.h's order) and then fetches the records it will
// return in two more queries. find_paths learns every entity's distance to
// the target and the out-edges among the entities within reach in one
// statement (a recursive CTE), then enumerates simple paths over that small
// graph with sdk::PathSearch, the core default's enumeration, so depth 5
// never walks paths that cannot reach the target in time.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "graphstore/checks.hpp"
#include "errors.hpp"
#include "graphstore/abi_read.hpp"
#include "graphstore/paths.hpp"
#include "records.hpp"
#include "store_internal.hpp"

namespace graphstore::postgres {
namespace {

std::string fstr(const pqxx::field& f) { return std::string(f.c_str(), f.size()); }

std::string type_filter(std::string_view column, int param) {
  return " AND ($" + std::to_string(param) + " = '' OR " + std::string(column) + " = $" + std::to_string(param) + ")";
}

// One edge as the searches need it.
struct Edge {
  std::string relation;
  std::string from;  // the frontier entity it was found from
  std::string to;    // the entity at its other end
};

// Edges of every entity in `frontier` in direction dir (OUT, IN or BOTH)
// whose type matches (empty: any).
std::vector<Edge> frontier_edges(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                                 const std::vector<std::string>& frontier, int32_t dir, std::string_view type) {
  std::vector<Edge> out;
  std::string arr = text_array(frontier);
  auto fetch = [&](const char* from_col, const char* to_col) {
    // A join with the unnested frontier lets the planner pick index probes
    // or a hash join; "= ANY(array)" would scan the array for every row.
    pqxx::result r = exec(tx, c,
                          s.sql(std::string("SELECT r.") + from_col + ", r.id, r." + to_col +
                                " FROM unnest($2::text[]) AS f(id) JOIN @S.relations r ON r.tenant_id = $1 AND r." +
                                from_col + " = f.id COLLATE \"C\" WHERE true" + type_filter("r.relation_type", 3)),
                          Params().s(tenant).s(arr).s(type));
    out.reserve(out.size() + r.size());
    for (const auto& row : r) out.push_back(Edge{fstr(row[1]), fstr(row[0]), fstr(row[2])});
  };
  if (dir == GS_DIRECTION_OUT || dir == GS_DIRECTION_BOTH) fetch("source_id", "target_id");
  if (dir == GS_DIRECTION_IN || dir == GS_DIRECTION_BOTH) fetch("target_id", "source_id");
  return out;
}

// Full records of the given ids, by id.
void fetch_entities(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                    const std::vector<std::string>& ids, pqxx::result* out) {
  *out = exec(tx, c,
              s.sql(std::string("SELECT ") + kEntityCols +
                    " FROM @S.entities WHERE tenant_id = $1 AND id = ANY($2::text[])"),
              Params().s(tenant).s(text_array(ids)));
}
void fetch_relations(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                     const std::vector<std::string>& ids, pqxx::result* out) {
  *out = exec(tx, c,
              s.sql(std::string("SELECT ") + kRelationCols +
                    " FROM @S.relations WHERE tenant_id = $1 AND id = ANY($2::text[])"),
              Params().s(tenant).s(text_array(ids)));
}

// Row index by id (column 0) of a fetched result.
std::unordered_map<std::string_view, size_t> index_rows(const pqxx::result& r) {
  std::unordered_map<std::string_view, size_t> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.emplace(std::string_view(r[int(i)][0].c_str(), r[int(i)][0].size()), i);
  return out;
}


}  // namespace

sdk::Status PostgresStore::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                         std::string_view relation_type, sdk::NeighborSink sink) {
  if (sdk::Status s = sdk::check_direction(direction); !s.ok()) return s;
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(id)) return sdk::not_found("entity", id, tenant);
  // A type PostgreSQL text cannot hold matches no relation: only the
  // entity's existence is left to tell.
  bool no_type = !storable(relation_type);
  if (no_type) relation_type = "\x01never";
  std::string other = direction == GS_DIRECTION_OUT  ? "r.target_id"
                      : direction == GS_DIRECTION_IN ? "r.source_id"
                                                     : "CASE WHEN r.source_id = $2 THEN r.target_id ELSE r.source_id END";
  std::string where = direction == GS_DIRECTION_OUT  ? "r.source_id = $2"
                      : direction == GS_DIRECTION_IN ? "r.target_id = $2"
                                                     : "(r.source_id = $2 OR r.target_id = $2)";
  // One row per neighbour; the entity's own existence row when it has none.
  std::string q = "SELECT x.found, y.* FROM (SELECT 1 AS found FROM @S.entities WHERE tenant_id = $1 AND id = $2) x "
                  "LEFT JOIN LATERAL (SELECT " +
                  relation_cols("r") + ", " + entity_cols("n") +
                  " FROM @S.relations r JOIN @S.entities n ON n.tenant_id = r.tenant_id AND n.id = " + other +
                  " WHERE r.tenant_id = $1 AND " + where + type_filter("r.relation_type", 3) +
                  " ORDER BY r.id) y ON true";
  pqxx::result r;
  sdk::Status s = run("get_neighbors", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(tx, c, sql(q), Params().s(tenant).s(id).s(relation_type));
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  if (r.empty()) return sdk::not_found("entity", id, tenant);
  std::vector<float> embedding;
  for (const auto& row : r) {
    if (row[1].is_null() || no_type) break;
    gs_relation rel = postgres::read_relation(row, 1, tenant);
    gs_entity n = postgres::read_entity(row, 1 + kRelationColCount, tenant, &embedding);
    if (!sink(&rel, &n)) break;
  }
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::traverse(std::string_view tenant, const gs_traverse_params& params, sdk::TraverseSink sink,
                                    bool* truncated) {
  gs_traverse_params p = sdk::read_params(params);
  if (sdk::Status s = sdk::check_direction(p.direction); !s.ok()) return s;
  std::string_view start = sdk::view(p.start_id), type = sdk::view(p.relation_type);
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(start)) return sdk::not_found("start entity", start, tenant);
  uint32_t max_depth = storable(type) ? p.max_depth : 0;  // such a type matches nothing
  struct Hit {
    std::string entity, via;
    uint32_t depth;
  };
  std::vector<Hit> hits;
  pqxx::result entities, relations;
  bool missing = false;
  sdk::Status s = run("traverse", Route::kRead, tenant, [&](Connection& c) {
    // One snapshot for every level: a repeatable-read, read-only transaction.
    pqxx::nontransaction tx(c.raw());
    pqxx::result r =
        exec(tx, c, sql("SELECT 1 FROM @S.entities WHERE tenant_id = $1 AND id = $2"), Params().s(tenant).s(start));
    if (r.empty()) {
      missing = true;
      return sdk::Status::Ok();
    }
    std::unordered_set<std::string> seen{std::string(start)};
    std::vector<std::string> frontier{std::string(start)};
    for (uint32_t depth = 1; depth <= max_depth && !frontier.empty(); ++depth) {
      // First discovery: the lowest (parent id, relation id) of each new entity.
      std::map<std::string, std::pair<std::string, std::string>> level;  // entity -> (parent, relation)
      for (Edge& e : frontier_edges(*this, tx, c, tenant, frontier, p.direction, type)) {
        if (seen.count(e.to)) continue;
        auto it = level.find(e.to);
        if (it == level.end()) {
          level.emplace(std::move(e.to), std::make_pair(std::move(e.from), std::move(e.relation)));
        } else if (std::tie(e.from, e.relation) < std::tie(it->second.first, it->second.second)) {
          it->second = std::make_pair(std::move(e.from), std::move(e.relation));
        }
      }
      frontier.clear();
      for (auto& [id, via] : level) {
        seen.insert(id);
        frontier.push_back(id);
        hits.push_back(Hit{id, via.second, depth});
      }
      // Later levels sort after every hit so far: the answer is settled.
      if (hits.size() > p.max_results) break;
    }
    *truncated = hits.size() > p.max_results;
    if (hits.size() > p.max_results) hits.resize(p.max_results);
    if (hits.empty()) return sdk::Status::Ok();
    std::vector<std::string> ids, vias;
    for (const Hit& h : hits) {
      ids.push_back(h.entity);
      vias.push_back(h.via);
    }
    fetch_entities(*this, tx, c, tenant, ids, &entities);
    fetch_relations(*this, tx, c, tenant, vias, &relations);
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  if (missing) return sdk::not_found("start entity", start, tenant);
  auto by_entity = index_rows(entities), by_relation = index_rows(relations);
  std::vector<float> embedding;
  for (const Hit& h : hits) {
    auto e = by_entity.find(h.entity);
    auto r = by_relation.find(h.via);
    if (e == by_entity.end() || r == by_relation.end()) continue;
    gs_entity ev = postgres::read_entity(entities[int(e->second)], 0, tenant, &embedding);
    gs_relation rv = postgres::read_relation(relations[int(r->second)], 0, tenant);
    if (!sink(&ev, h.depth, &rv)) break;
  }
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink,
                                      bool* truncated) {
  gs_paths_params p = sdk::read_params(params);
  std::string source(sdk::view(p.source_id)), target(sdk::view(p.target_id));
  std::string_view type = sdk::view(p.relation_type);
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(source)) return sdk::not_found("source entity", source, tenant);
  if (!storable(target)) return sdk::not_found("target entity", target, tenant);
  uint32_t max_depth = p.max_depth;
  if (!storable(type)) {
    max_depth = 0;  // such a type matches nothing
    type = std::string_view();
  }
  // The paths found, each as its relation ids and the entity ids after the
  // source; records are fetched for all of them at once.
  struct Path {
    std::vector<std::string> relations, entities;
  };
  std::vector<Path> paths;
  pqxx::result entities, relations;
  std::string missing_role;
  bool trunc = false;
  sdk::Status s = run("find_paths", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    // One statement: the source's existence, every entity within
    // max_depth - 1 relations of the target (a recursive CTE over the
    // incoming adjacency index; UNION keeps one row per (entity, distance),
    // so no walk is enumerated), and the out-edges among those entities and
    // the source.
    pqxx::result g = exec(
        tx, c,
        sql("WITH RECURSIVE d(id, dist) AS ("
            "SELECT e.id, 0 FROM @S.entities e WHERE e.tenant_id = $1 AND e.id = $3 "
            "UNION SELECT r.source_id, d.dist + 1 FROM d JOIN @S.relations r ON r.tenant_id = $1 "
            "AND r.target_id = d.id WHERE d.dist + 1 < $4" +
            type_filter("r.relation_type", 5) +
            "), n AS (SELECT id, min(dist) AS dist FROM d GROUP BY id), "
            "s AS (SELECT e.id FROM @S.entities e WHERE e.tenant_id = $1 AND e.id = $2), "
            "m AS (SELECT id FROM n UNION SELECT id FROM s) "
            "SELECT 1 AS kind, n.id, n.dist, NULL::text AS rel, NULL::text AS target FROM n "
            "UNION ALL SELECT 2, s.id, NULL, NULL, NULL FROM s "
            "UNION ALL SELECT 3, r.source_id, NULL, r.id, r.target_id FROM m JOIN @S.relations r "
            "ON r.tenant_id = $1 AND r.source_id = m.id WHERE r.target_id IN (SELECT id FROM m)" +
            type_filter("r.relation_type", 5)),
        Params().s(tenant).s(source).s(target).i(std::max<uint32_t>(max_depth, 1)).s(type));
    sdk::PathSearch search(max_depth, p.max_paths);
    bool has_source = false, has_target = false;
    // Out-edges by source entity: (relation id, target id).
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> out;
    for (const auto& row : g) {
      int kind = row[0].as<int>();
      if (kind == 1) {
        std::string id = fstr(row[1]);
        has_target = has_target || id == target;
        search.set_distance(id, uint32_t(row[2].as<int>()));
      }
      if (kind == 2) has_source = true;
      if (kind == 3) out[fstr(row[1])].emplace_back(fstr(row[3]), fstr(row[4]));
    }
    if (!has_source || !has_target) {
      missing_role = !has_source ? "source entity" : "target entity";
      return sdk::Status::Ok();
    }
    if (source == target) {
      if (p.max_paths == 0) {
        trunc = true;
        return sdk::Status::Ok();
      }
      fetch_entities(*this, tx, c, tenant, {source}, &entities);
      paths.push_back(Path{});
      return sdk::Status::Ok();
    }
    // Every edge the search may walk came with the statement above.
    auto out_edges = [&](std::string_view id, auto&& visit) {
      auto it = out.find(std::string(id));
      if (it != out.end())
        for (const auto& [relation, to] : it->second) visit(relation, to);
      return true;
    };
    auto emit = [&](const std::vector<sdk::PathSearch::Step>& steps) {
      Path path;
      for (const sdk::PathSearch::Step& st : steps) {
        path.relations.push_back(*st.relation);
        path.entities.push_back(search.id(st.entity));
      }
      paths.push_back(std::move(path));
      return true;
    };
    search.run(source, target, out_edges, emit, &trunc);
    if (paths.empty()) return sdk::Status::Ok();
    std::unordered_set<std::string> entity_ids{source}, relation_ids;
    for (const Path& path : paths) {
      relation_ids.insert(path.relations.begin(), path.relations.end());
      entity_ids.insert(path.entities.begin(), path.entities.end());
    }
    fetch_entities(*this, tx, c, tenant, std::vector<std::string>(entity_ids.begin(), entity_ids.end()), &entities);
    fetch_relations(*this, tx, c, tenant, std::vector<std::string>(relation_ids.begin(), relation_ids.end()),
                    &relations);
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  *truncated = trunc;
  if (!missing_role.empty())
    return sdk::not_found(missing_role, missing_role == "source entity" ? source : target, tenant);
  if (paths.empty()) return sdk::Status::Ok();
  auto by_entity = index_rows(entities), by_relation = index_rows(relations);
  std::vector<std::vector<float>> embeddings;
  std::vector<gs_entity> ev;
  std::vector<gs_relation> rv;
  std::vector<const gs_entity*> ep;
  std::vector<const gs_relation*> rp;
  for (const Path& path : paths) {
    size_t n = path.entities.size() + 1;
    embeddings.assign(n, {});
    ev.clear();
    rv.clear();
    auto add_entity = [&](const std::string& id) {
      auto it = by_entity.find(id);
      if (it == by_entity.end()) return false;
      ev.push_back(postgres::read_entity(entities[int(it->second)], 0, tenant, &embeddings[ev.size()]));
      return true;
    };
    bool whole = add_entity(source);
    for (size_t k = 0; whole && k < path.entities.size(); ++k) {
      auto it = by_relation.find(path.relations[k]);
      whole = it != by_relation.end() && add_entity(path.entities[k]);
      if (whole) rv.push_back(postgres::read_relation(relations[int(it->second)], 0, tenant));
    }
    if (!whole) continue;  // deleted meanwhile
    ep.clear();
    rp.clear();
    for (const gs_entity& e : ev) ep.push_back(&e);
    for (const gs_relation& r : rv) rp.push_back(&r);
    if (!sink(ep.data(), ep.size(), rp.data(), rp.size())) break;
  }
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::subgraph(std::string_view tenant, const gs_str* ids, size_t n_ids,
                                    sdk::EntitySink entity_sink, sdk::RelationSink relation_sink) {
  if (n_ids != 0 && ids == nullptr)
    return sdk::make_error(GS_INVALID_ARGUMENT, "subgraph: ids is NULL");
  std::vector<std::string_view> list;
  list.reserve(n_ids);
  for (size_t i = 0; i < n_ids; ++i)
    if (storable(sdk::view(ids[i]))) list.push_back(sdk::view(ids[i]));  // others cannot exist
  // One round trip: the members, then the relations among them; kind 1
  // rows carry entity columns, kind 2 rows relation columns.
  std::string q =
      "WITH m AS (SELECT e.* FROM @S.entities e WHERE e.tenant_id = $1 AND e.id = ANY($2::text[])) "
      "SELECT 1 AS kind, m.id, m.entity_type, m.properties, m.embedding, m.created_at, m.updated_at, m.source, "
      "NULL::text AS source_id, NULL::text AS target_id, NULL::double precision AS weight FROM m "
      "UNION ALL "
      "SELECT 2, r.id, r.relation_type, r.properties, NULL, r.created_at, r.updated_at, r.source, r.source_id, "
      "r.target_id, r.weight FROM @S.relations r WHERE r.tenant_id = $1 "
      "AND r.source_id IN (SELECT id FROM m) AND r.target_id IN (SELECT id FROM m) "
      "ORDER BY 1, 2";
  pqxx::result r;
  sdk::Status s = run("subgraph", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(tx, c, sql(q), Params().s(tenant).s(text_array(list)));
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  std::vector<float> embedding;
  for (const auto& row : r) {
    if (row[0].as<int>() == 1) {
      gs_entity e = postgres::read_entity(row, 1, tenant, &embedding);
      if (!entity_sink(&e)) return sdk::Status::Ok();
    } else {
      gs_relation rel{};
      rel.struct_size = sizeof rel;
      rel.id = gs_str{row[1].c_str(), row[1].size()};
      rel.relation_type = gs_str{row[2].c_str(), row[2].size()};
      rel.properties_json = gs_str{row[3].c_str(), row[3].size()};
      rel.created_at = parse_int(std::string_view(row[5].c_str(), row[5].size()));
      rel.updated_at = parse_int(std::string_view(row[6].c_str(), row[6].size()));
      rel.source = row[7].is_null() ? gs_str{nullptr, 0} : gs_str{row[7].c_str(), row[7].size()};
      rel.source_id = gs_str{row[8].c_str(), row[8].size()};
      rel.target_id = gs_str{row[9].c_str(), row[9].size()};
      rel.weight = parse_double(std::string_view(row[10].c_str(), row[10].size()));
      rel.tenant_id = gs_str{tenant.data(), tenant.size()};
      if (!relation_sink(&rel)) return sdk::Status::Ok();
    }
  }
  return sdk::Status::Ok();
}

}  // namespace graphstore::postgres
