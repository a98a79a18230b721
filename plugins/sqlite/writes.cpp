// SqliteStore: every write. The single-record calls, apply_batch and the
// bulk adds share the op functions below, which run inside the caller's
// write transaction and return expected failures (duplicates, missing
// records, bad input) as statuses; SQLite errors are thrown and roll the
// transaction back.
#include <cmath>
#include <string>
#include <vector>

#include "graphstore/checks.hpp"
#include "errors.hpp"
#include "graphstore/abi_read.hpp"
#include "store.hpp"
#include "store_impl.hpp"
#include "text.hpp"

namespace graphstore::sqlite {
namespace {

constexpr int kEntity = GS_KIND_ENTITY;
constexpr int kRelation = GS_KIND_RELATION;

sdk::Status invalid(const std::string& message) { return sdk::make_error(GS_INVALID_ARGUMENT, message); }

sdk::Status check_entity(const gs_entity& e) {
  if (e.id.len == 0) return invalid("entity id must not be empty");
  if (e.entity_type.len == 0)
    return invalid("entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": type must not be empty");
  if (e.properties_json.data == nullptr || e.properties_json.len == 0)
    return invalid("entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": properties must be a JSON object");
  if (e.embedding_dim > 0 && e.embedding == nullptr)
    return invalid("entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": embedding_dim is " +
                   std::to_string(e.embedding_dim) + " but the embedding is NULL");
  for (uint32_t i = 0; i < e.embedding_dim; ++i)
    if (!std::isfinite(e.embedding[i]))
      return invalid("entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": embedding value " + std::to_string(i) +
                     " is not finite");
  return sdk::Status::Ok();
}

sdk::Status check_relation(const gs_relation& r) {
  if (r.id.len == 0) return invalid("relation id must not be empty");
  // The message is built only for a bad relation: this runs once per relation of a load.
  auto bad = [&](const char* why) { return invalid("relation " + sdk::quoted_prefix(sdk::view(r.id)) + ": " + why); };
  if (r.relation_type.len == 0) return bad("type must not be empty");
  if (r.source_id.len == 0 || r.target_id.len == 0) return bad("endpoints must not be empty");
  if (r.properties_json.data == nullptr || r.properties_json.len == 0) return bad("properties must be a JSON object");
  if (!(r.weight >= 0.0 && r.weight <= 1.0)) return bad("weight must lie in [0, 1]");
  return sdk::Status::Ok();
}


// INVALID_ARGUMENT when dim differs from the dimension of the tenant's other
// stored embeddings (those of `except`, the entity being replaced, aside).
sdk::Status check_dimension(Connection& c, std::string_view tenant, const gs_entity& e, std::string_view except) {
  if (e.embedding_dim == 0) return sdk::Status::Ok();
  auto s = except.empty()
               ? c.stmt("SELECT dim FROM entities INDEXED BY entities_dim WHERE tenant = ?1 AND dim > 0 LIMIT 1")
               : c.stmt(
                     "SELECT dim FROM entities INDEXED BY entities_dim WHERE tenant = ?1 AND dim > 0 AND id <> ?2 "
                     "LIMIT 1");
  s->bind(1, tenant);
  if (!except.empty()) s->bind(2, except);
  if (!s->step()) return sdk::Status::Ok();
  int64_t stored = s->i64(0);
  if (stored == int64_t(e.embedding_dim)) return sdk::Status::Ok();
  return invalid("entity " + sdk::quoted_prefix(sdk::view(e.id)) + ": embedding dimension " +
                 std::to_string(e.embedding_dim) + " differs from dimension " + std::to_string(stored) +
                 " of the embeddings stored in " + sdk::describe_tenant(tenant));
}

// The rids of r's endpoints, or NOT_FOUND naming the missing one.
sdk::Status resolve_endpoints(WriteState& w, std::string_view tenant, const gs_relation& r, int64_t* source,
                              int64_t* target) {
  auto missing = [&](const char* role, gs_str endpoint) {
    return sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(sdk::view(r.id)) + ": " + role + " entity " +
                                             sdk::quoted_prefix(sdk::view(endpoint)) + " not found in " +
                                             sdk::describe_tenant(tenant));
  };
  *source = w.entity_rid(tenant, sdk::view(r.source_id));
  if (*source == 0) return missing("source", r.source_id);
  *target = sdk::view(r.target_id) == sdk::view(r.source_id) ? *source : w.entity_rid(tenant, sdk::view(r.target_id));
  if (*target == 0) return missing("target", r.target_id);
  return sdk::Status::Ok();
}

// What a write needs to know of a stored entity before replacing it.
struct StoredEntity {
  int64_t rid = 0;
  std::string type;
  int64_t tokens = 0;
  std::string body;  // only when tokens > 0
};

bool find_entity(Connection& c, std::string_view tenant, std::string_view id, StoredEntity* out) {
  auto s = c.stmt(
      "SELECT rid, entity_type, tokens, properties FROM entities INDEXED BY entities_key WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  if (!s->step()) return false;
  out->rid = s->i64(0);
  out->type = std::string(s->text(1));
  out->tokens = s->i64(2);
  if (out->tokens > 0) out->body = entity_text(s->text(3)).body;
  return true;
}

sdk::Status op_add_entity(WriteState& w, std::string_view tenant, const gs_entity& raw) {
  gs_entity e = sdk::read_entity(raw);
  if (sdk::Status s = check_entity(e); !s.ok()) return s;
  Connection& c = w.c;
  if (sdk::Status s = check_dimension(c, tenant, e, {}); !s.ok()) return s;
  EntityText text = entity_text(sdk::view(e.properties_json));
  {
    auto s = c.stmt(
        "INSERT INTO entities(tenant, id, entity_type, properties, embedding, dim, tokens, created_at, "
        "updated_at, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING");
    s->bind(1, tenant);
    s->bind(2, sdk::view(e.id));
    s->bind(3, sdk::view(e.entity_type));
    s->bind(4, sdk::view(e.properties_json));
    s->bind_blob(5, e.embedding, size_t(e.embedding_dim) * sizeof(float));
    s->bind(6, int64_t(e.embedding_dim));
    s->bind(7, text.tokens);
    s->bind(8, int64_t(e.created_at));
    s->bind(9, int64_t(e.updated_at));
    s->bind(10, e.source);
    s->run();
  }
  if (sqlite3_changes(c.handle()) == 0)
    return sdk::make_error(GS_ALREADY_EXISTS, "entity " + sdk::quoted_prefix(sdk::view(e.id)) + " already exists in " +
                                                  sdk::describe_tenant(tenant));
  int64_t rid = sqlite3_last_insert_rowid(c.handle());
  w.remember_entity(tenant, sdk::view(e.id), rid);
  if (text.tokens > 0) w.add_text(rid, text.body);
  w.count(tenant, kEntity, sdk::view(e.entity_type), 1, text.tokens);
  return sdk::Status::Ok();
}

sdk::Status op_update_entity(WriteState& w, std::string_view tenant, const gs_entity& raw) {
  gs_entity e = sdk::read_entity(raw);
  if (sdk::Status s = check_entity(e); !s.ok()) return s;
  Connection& c = w.c;
  StoredEntity old;
  if (!find_entity(c, tenant, sdk::view(e.id), &old)) return sdk::not_found("entity", sdk::view(e.id), tenant);
  if (sdk::Status s = check_dimension(c, tenant, e, sdk::view(e.id)); !s.ok()) return s;
  EntityText text = entity_text(sdk::view(e.properties_json));
  {
    auto s = c.stmt(
        "UPDATE entities SET entity_type = ?2, properties = ?3, embedding = ?4, dim = ?5, tokens = ?6, "
        "updated_at = ?7, source = ?8 WHERE rid = ?1");
    s->bind(1, old.rid);
    s->bind(2, sdk::view(e.entity_type));
    s->bind(3, sdk::view(e.properties_json));
    s->bind_blob(4, e.embedding, size_t(e.embedding_dim) * sizeof(float));
    s->bind(5, int64_t(e.embedding_dim));
    s->bind(6, text.tokens);
    s->bind(7, int64_t(e.updated_at));
    s->bind(8, e.source);
    s->run();
  }
  if (old.tokens > 0) w.remove_text(old.rid, old.body);
  if (text.tokens > 0) w.add_text(old.rid, text.body);
  w.count(tenant, kEntity, old.type, -1, -old.tokens);
  w.count(tenant, kEntity, sdk::view(e.entity_type), 1, text.tokens);
  return sdk::Status::Ok();
}

// Counts the relations a delete of entity rid takes with it, per type.
void count_touching(WriteState& w, std::string_view tenant, int64_t rid) {
  auto out = w.c.stmt(
      "SELECT relation_type, count(*) FROM relations INDEXED BY relations_out WHERE source_rid = ?1 "
      "GROUP BY relation_type");
  out->bind(1, rid);
  while (out->step()) w.count(tenant, kRelation, out->text(0), -out->i64(1), 0);
  auto in = w.c.stmt(
      "SELECT relation_type, count(*) FROM relations INDEXED BY relations_in WHERE target_rid = ?1 "
      "AND source_rid <> ?1 GROUP BY relation_type");
  in->bind(1, rid);
  while (in->step()) w.count(tenant, kRelation, in->text(0), -in->i64(1), 0);
}

sdk::Status op_delete_entity(WriteState& w, std::string_view tenant, std::string_view id) {
  Connection& c = w.c;
  StoredEntity old;
  if (!find_entity(c, tenant, id, &old)) return sdk::not_found("entity", id, tenant);
  w.forget_entities();
  count_touching(w, tenant, old.rid);
  for (const char* sql : {"DELETE FROM relations INDEXED BY relations_out WHERE source_rid = ?1",
                          "DELETE FROM relations INDEXED BY relations_in WHERE target_rid = ?1",
                          "DELETE FROM entities WHERE rid = ?1"}) {
    auto s = c.stmt(sql);
    s->bind(1, old.rid);
    s->run();
  }
  if (old.tokens > 0) w.remove_text(old.rid, old.body);
  w.count(tenant, kEntity, old.type, -1, -old.tokens);
  return sdk::Status::Ok();
}

sdk::Status op_add_relation(WriteState& w, std::string_view tenant, const gs_relation& raw) {
  gs_relation r = sdk::read_relation(raw);
  if (sdk::Status s = check_relation(r); !s.ok()) return s;
  Connection& c = w.c;
  int64_t source = 0, target = 0;
  if (sdk::Status s = resolve_endpoints(w, tenant, r, &source, &target); !s.ok()) return s;
  {
    auto s = c.stmt(
        "INSERT INTO relations(tenant, id, relation_type, source_rid, target_rid, properties, weight, created_at, "
        "updated_at, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING");
    s->bind(1, tenant);
    s->bind(2, sdk::view(r.id));
    s->bind(3, sdk::view(r.relation_type));
    s->bind(4, source);
    s->bind(5, target);
    s->bind(6, sdk::view(r.properties_json));
    s->bind(7, r.weight);
    s->bind(8, int64_t(r.created_at));
    s->bind(9, int64_t(r.updated_at));
    s->bind(10, r.source);
    s->run();
  }
  if (sqlite3_changes(c.handle()) == 0)
    return sdk::make_error(GS_ALREADY_EXISTS, "relation " + sdk::quoted_prefix(sdk::view(r.id)) +
                                                  " already exists in " + sdk::describe_tenant(tenant));
  w.count(tenant, kRelation, sdk::view(r.relation_type), 1, 0);
  return sdk::Status::Ok();
}

bool find_relation_type(Connection& c, std::string_view tenant, std::string_view id, std::string* type) {
  auto s = c.stmt("SELECT relation_type FROM relations INDEXED BY relations_key WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  if (!s->step()) return false;
  *type = std::string(s->text(0));
  return true;
}

sdk::Status op_update_relation(WriteState& w, std::string_view tenant, const gs_relation& raw) {
  gs_relation r = sdk::read_relation(raw);
  if (sdk::Status s = check_relation(r); !s.ok()) return s;
  Connection& c = w.c;
  std::string old_type;
  if (!find_relation_type(c, tenant, sdk::view(r.id), &old_type)) return sdk::not_found("relation", sdk::view(r.id), tenant);
  int64_t source = 0, target = 0;
  if (sdk::Status s = resolve_endpoints(w, tenant, r, &source, &target); !s.ok()) return s;
  {
    auto s = c.stmt(
        "UPDATE relations SET relation_type = ?3, source_rid = ?4, target_rid = ?5, properties = ?6, weight = ?7, "
        "updated_at = ?8, source = ?9 WHERE tenant = ?1 AND id = ?2");
    s->bind(1, tenant);
    s->bind(2, sdk::view(r.id));
    s->bind(3, sdk::view(r.relation_type));
    s->bind(4, source);
    s->bind(5, target);
    s->bind(6, sdk::view(r.properties_json));
    s->bind(7, r.weight);
    s->bind(8, int64_t(r.updated_at));
    s->bind(9, r.source);
    s->run();
  }
  w.count(tenant, kRelation, old_type, -1, 0);
  w.count(tenant, kRelation, sdk::view(r.relation_type), 1, 0);
  return sdk::Status::Ok();
}

sdk::Status op_delete_relation(WriteState& w, std::string_view tenant, std::string_view id) {
  std::string type;
  if (!find_relation_type(w.c, tenant, id, &type)) return sdk::not_found("relation", id, tenant);
  auto s = w.c.stmt("DELETE FROM relations WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  s->run();
  w.count(tenant, kRelation, type, -1, 0);
  return sdk::Status::Ok();
}

sdk::Status apply_op(WriteState& w, std::string_view tenant, const gs_write_op* raw) {
  if (raw == nullptr) return invalid("the op is NULL");
  gs_write_op op = sdk::read_op(*raw);
  switch (op.kind) {
    case GS_OP_ADD_ENTITY:
    case GS_OP_UPDATE_ENTITY:
      if (op.entity == nullptr) return invalid("entity op without an entity");
      return op.kind == GS_OP_ADD_ENTITY ? op_add_entity(w, tenant, *op.entity)
                                         : op_update_entity(w, tenant, *op.entity);
    case GS_OP_ADD_RELATION:
    case GS_OP_UPDATE_RELATION:
      if (op.relation == nullptr) return invalid("relation op without a relation");
      return op.kind == GS_OP_ADD_RELATION ? op_add_relation(w, tenant, *op.relation)
                                           : op_update_relation(w, tenant, *op.relation);
    case GS_OP_DELETE_ENTITY:
      return op_delete_entity(w, tenant, sdk::view(op.id));
    case GS_OP_DELETE_RELATION:
      return op_delete_relation(w, tenant, sdk::view(op.id));
    default:
      return invalid("unknown op kind " + std::to_string(op.kind));
  }
}

// A bulk add (or batch) of at least kDeferMinimum records into a store
// holding fewer records than it adds drops the deferred indexes (schema.hpp:
// adjacency, relations and entities by type) and loads without them: entries
// inserted at random places cost most of a record's time once the indexes
// outgrow the cache, while building an index afterwards is one sort. Later
// bulk adds keep loading without them; the first call that needs them builds
// them (with_deferred_indexes). A large store is never left without them: the
// rebuild would cost more than the load saves. The store that dropped them
// builds them before it closes. The kept indexes (ids per tenant, dimension,
// source) stay: a load checks ids and endpoints against them.
constexpr size_t kDeferMinimum = 1000;

// True when it dropped them.
bool defer_indexes(Connection& c, size_t adds) {
  if (adds < kDeferMinimum || !deferred_indexes_present(c)) return false;
  {
    auto s = c.stmt("SELECT coalesce(sum(count), 0) FROM type_counts");
    if (s->step() && s->i64(0) >= int64_t(adds)) return false;
  }
  drop_deferred_indexes(c);
  return true;
}

bool skippable(gs_status code) {
  return code == GS_ALREADY_EXISTS || code == GS_NOT_FOUND || code == GS_INVALID_ARGUMENT;
}

}  // namespace

sdk::Status SqliteStore::add_entity(std::string_view tenant, const gs_entity& entity) {
  return write(tenant, [&](WriteState& w) { return op_add_entity(w, tenant, entity); });
}

sdk::Status SqliteStore::update_entity(std::string_view tenant, const gs_entity& entity) {
  return write(tenant, [&](WriteState& w) { return op_update_entity(w, tenant, entity); });
}

sdk::Status SqliteStore::delete_entity(std::string_view tenant, std::string_view id) {
  return write(tenant, [&](WriteState& w) { return op_delete_entity(w, tenant, id); });
}

sdk::Status SqliteStore::add_relation(std::string_view tenant, const gs_relation& relation) {
  return write(tenant, [&](WriteState& w) { return op_add_relation(w, tenant, relation); });
}

sdk::Status SqliteStore::update_relation(std::string_view tenant, const gs_relation& relation) {
  return write(tenant, [&](WriteState& w) { return op_update_relation(w, tenant, relation); });
}

sdk::Status SqliteStore::delete_relation(std::string_view tenant, std::string_view id) {
  return write(tenant, [&](WriteState& w) { return op_delete_relation(w, tenant, id); });
}

sdk::Status SqliteStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                     size_t* failed_index) {
  if (n == 0) return sdk::check_tenant(tenant);
  size_t adds = 0;  // counted only where it can reach kDeferMinimum
  if (n >= kDeferMinimum)
    for (size_t k = 0; k < n; ++k)
      if (ops[k] != nullptr) {
        int32_t kind = sdk::read_op(*ops[k]).kind;
        adds += kind == GS_OP_ADD_ENTITY || kind == GS_OP_ADD_RELATION;
      }
  size_t i = 0;
  sdk::Status s = write(tenant, [&](WriteState& w) {
    if (defer_indexes(w.c, adds)) {
      dropped_indexes_ = true;
      indexes_seen_ = false;
    }
    for (i = 0; i < n; ++i) {
      sdk::Status st = apply_op(w, tenant, ops[i]);
      if (!st.ok()) {
        st.message = "batch op " + std::to_string(i) + ": " + st.message;
        return st;
      }
    }
    return sdk::Status::Ok();
  });
  if (!s.ok() && failed_index) *failed_index = i < n ? i : 0;
  return s;
}

template <class Item, class Add>
sdk::Status SqliteStore::bulk(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                              uint64_t* added, const Add& add) {
  if (added) *added = 0;
  struct Skip {
    size_t index;
    sdk::Status status;
  };
  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status result = sdk::check_tenant(tenant);
  if (result.ok() && n > 0) {
    result = write(
        tenant,
        [&](WriteState& w) {
          skips.clear();
          count = 0;
          if (defer_indexes(w.c, n)) {
            dropped_indexes_ = true;
            indexes_seen_ = false;
          }
          for (size_t i = 0; i < n; ++i) {
            sdk::Status s = items[i] ? add(w, *items[i]) : invalid("the item is NULL");
            if (s.ok()) {
              ++count;
            } else if (skippable(s.code)) {
              skips.push_back(Skip{i, std::move(s)});
            } else {
              return s;
            }
          }
          return sdk::Status::Ok();
        },
        /*direct_text=*/true);
  }
  // Reported outside the transaction, so the write lock is not held while the
  // host's sink runs.
  if (skip.fn)
    for (const Skip& s : skips) skip(s.index, s.status.code, gs_str{s.status.message.data(), s.status.message.size()});
  if (result.ok() && added) *added = count;
  return result;
}

sdk::Status SqliteStore::add_entities_bulk(std::string_view tenant, const gs_entity* const* entities, size_t n,
                                           sdk::SkipSink skip, uint64_t* added) {
  return bulk(tenant, entities, n, skip, added,
              [&](WriteState& w, const gs_entity& e) { return op_add_entity(w, tenant, e); });
}

sdk::Status SqliteStore::add_relations_bulk(std::string_view tenant, const gs_relation* const* relations, size_t n,
                                            sdk::SkipSink skip, uint64_t* added) {
  return bulk(tenant, relations, n, skip, added,
              [&](WriteState& w, const gs_relation& r) { return op_add_relation(w, tenant, r); });
}

}  // namespace graphstore::sqlite
