// SqliteStore's removals (ABI 1.3), each in one write transaction: the rows
// to remove are read first, then deleted with their text index entries and
// their per-type counters, so get_stats and text search agree at once.
// delete_by_source finds its rows through the (tenant, source) indexes of
// schema version 2.
#include <string>
#include <vector>

#include "graphstore/tenant.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "store_impl.hpp"
#include "text.hpp"

namespace graphstore::sqlite {
namespace {

// An entity to remove, with what its removal must take back.
struct DoomedEntity {
  std::string id;
  std::string type;
  int64_t rid = 0;
  int64_t tokens = 0;
  std::string properties;  // only when tokens > 0: the text index entry is removed by its text
};

struct DoomedRelation {
  std::string id;
  std::string type;
};

// Deletes the given rows of tenant; relations first.
void remove_rows(WriteState& w, std::string_view tenant, const std::vector<DoomedEntity>& entities,
                 const std::vector<DoomedRelation>& relations, gs_removed* removed) {
  if (!entities.empty()) w.forget_entities();
  for (const DoomedRelation& r : relations) {
    auto s = w.c.stmt("DELETE FROM relations WHERE tenant = ?1 AND id = ?2");
    s->bind(1, tenant);
    s->bind(2, std::string_view(r.id));
    s->run();
    w.count(tenant, GS_KIND_RELATION, r.type, -1, 0);
  }
  for (const DoomedEntity& e : entities) {
    auto s = w.c.stmt("DELETE FROM entities WHERE tenant = ?1 AND id = ?2");
    s->bind(1, tenant);
    s->bind(2, std::string_view(e.id));
    s->run();
    if (e.tokens > 0) w.remove_text(e.rid, entity_text(e.properties).body);
    w.count(tenant, GS_KIND_ENTITY, e.type, -1, -e.tokens);
  }
  removed->entities += entities.size();
  removed->relations += relations.size();
}

// Reads the entities a query selects: columns id, entity_type, rid, tokens,
// properties; parameters ?1 tenant and ?2 (bound by the caller).
std::vector<DoomedEntity> read_entities(Lease& s) {
  std::vector<DoomedEntity> out;
  while (s->step()) {
    DoomedEntity e{std::string(s->text(0)), std::string(s->text(1)), s->i64(2), s->i64(3), {}};
    if (e.tokens > 0) e.properties = std::string(s->text(4));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<DoomedRelation> read_relations(Lease& s) {
  std::vector<DoomedRelation> out;
  while (s->step()) out.push_back(DoomedRelation{std::string(s->text(0)), std::string(s->text(1))});
  return out;
}

void clear_tenant(WriteState& w, std::string_view tenant, gs_removed* removed) {
  std::vector<DoomedRelation> relations;
  {
    auto s = w.c.stmt("SELECT id, relation_type FROM relations WHERE tenant = ?1");
    s->bind(1, tenant);
    relations = read_relations(s);
  }
  std::vector<DoomedEntity> entities;
  {
    auto s = w.c.stmt("SELECT id, entity_type, rid, tokens, properties FROM entities WHERE tenant = ?1");
    s->bind(1, tenant);
    entities = read_entities(s);
  }
  remove_rows(w, tenant, entities, relations, removed);
}

}  // namespace

sdk::Status SqliteStore::clear(std::string_view tenant, int32_t scope, gs_removed* removed) {
  if (scope != GS_CLEAR_TENANT && scope != GS_CLEAR_ALL_TENANTS)
    return sdk::make_error(GS_INVALID_ARGUMENT, "clear: unknown scope " + std::to_string(scope));
  if (scope == GS_CLEAR_ALL_TENANTS && !tenant.empty())
    return sdk::make_error(
        GS_INVALID_ARGUMENT,
        "clear: every tenant (GS_CLEAR_ALL_TENANTS) takes an empty tenant, not " + sdk::describe_tenant(tenant));
  return write(tenant, [&](WriteState& w) {
    gs_removed counts{sizeof(gs_removed), 0, 0};
    if (scope == GS_CLEAR_TENANT) {
      clear_tenant(w, tenant, &counts);
    } else {
      std::vector<std::string> tenants;
      {
        auto s = w.c.stmt("SELECT tenant FROM entities UNION SELECT tenant FROM relations");
        while (s->step()) tenants.emplace_back(s->text(0));
      }
      for (const std::string& t : tenants) clear_tenant(w, t, &counts);
    }
    *removed = counts;
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed) {
  return write(tenant, [&](WriteState& w) {
    std::vector<DoomedEntity> entities;
    {
      auto s =
          w.c.stmt("SELECT id, entity_type, rid, tokens, properties FROM entities WHERE tenant = ?1 AND source = ?2");
      s->bind(1, tenant);
      s->bind(2, source);
      entities = read_entities(s);
    }
    std::vector<DoomedRelation> relations;
    {
      // Relations of the source, and relations touching an entity of it.
      auto s = w.c.stmt(
          "SELECT id, relation_type FROM relations WHERE tenant = ?1 AND source = ?2 "
          "UNION SELECT r.id, r.relation_type FROM entities e CROSS JOIN relations r INDEXED BY relations_out "
          "ON r.source_rid = e.rid WHERE e.tenant = ?1 AND e.source = ?2 "
          "UNION SELECT r.id, r.relation_type FROM entities e CROSS JOIN relations r INDEXED BY relations_in "
          "ON r.target_rid = e.rid WHERE e.tenant = ?1 AND e.source = ?2");
      s->bind(1, tenant);
      s->bind(2, source);
      relations = read_relations(s);
    }
    gs_removed counts{sizeof(gs_removed), 0, 0};
    remove_rows(w, tenant, entities, relations, &counts);
    *removed = counts;
    return sdk::Status::Ok();
  });
}

}  // namespace graphstore::sqlite
