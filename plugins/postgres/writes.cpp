// PostgresStore: apply_batch (one transaction) and the bulk adds (COPY).
//
// A bulk add judges every item as add_entity / add_relation one by one would
// (an id already stored or taken earlier in the call, a missing endpoint, an
// embedding of another dimension), reports those as skips, and COPYs the rest
// into the table, all in one transaction. Relation loads hold the tenant's
// entity lock shared, so no endpoint is deleted between the check and the
// commit; a concurrent add of the same id makes the COPY fail, and the call
// then starts over (twice at most) with fresh checks.
#include <optional>
#include <unordered_set>

#include "graphstore/abi_read.hpp"
#include "errors.hpp"
#include "records.hpp"
#include "store_internal.hpp"

namespace graphstore::postgres {
namespace {

constexpr int kCopyAttempts = 3;
// A bulk add of this many rows refreshes the planner's statistics before the
// next read.
constexpr uint64_t kAnalyzeAfter = 1000;

struct Skip {
  size_t index;
  sdk::Status status;
};

sdk::Status invalid(const std::string& message) { return sdk::make_error(GS_INVALID_ARGUMENT, message); }

void report(const std::vector<Skip>& skips, sdk::SkipSink skip) {
  if (!skip.fn) return;
  for (const Skip& s : skips) skip(s.index, s.status.code, gs_str{s.status.message.data(), s.status.message.size()});
}

// The ids among `ids` stored in the tenant.
std::unordered_set<std::string> stored_ids(PostgresStore& s, pqxx::transaction_base& tx, Connection& c,
                                           std::string_view tenant, std::string_view table,
                                           const std::vector<std::string_view>& ids) {
  std::unordered_set<std::string> out;
  if (ids.empty()) return out;
  pqxx::result r = exec(tx, c,
                        s.sql("SELECT x.id FROM unnest($2::text[]) AS x(id) WHERE EXISTS (SELECT 1 FROM @S." +
                              std::string(table) + " t WHERE t.tenant_id = $1 AND t.id = x.id)"),
                        Params().s(tenant).s(text_array(ids)));
  for (const auto& row : r) out.emplace(row[0].c_str(), row[0].size());
  return out;
}

const char* cstr_or_null(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

}  // namespace

sdk::Status PostgresStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                       size_t* failed_index) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (n == 0) return sdk::Status::Ok();
  size_t current = 0;
  bool in_ops = false;
  sdk::Status s = run("apply_batch", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::work tx(c.raw());
    in_ops = true;
    for (size_t i = 0; i < n; ++i) {
      current = i;
      if (ops == nullptr || ops[i] == nullptr) return invalid("the op is NULL");
      gs_write_op op = sdk::read_op(*ops[i]);
      sdk::Status st;
      switch (op.kind) {
        case GS_OP_ADD_ENTITY:
        case GS_OP_UPDATE_ENTITY: {
          if (op.entity == nullptr) return invalid("entity op without an entity");
          gs_entity e = sdk::read_entity(*op.entity);
          st = op.kind == GS_OP_ADD_ENTITY ? add_entity_in(*this, tx, c, tenant, e, true)
                                           : update_entity_in(*this, tx, c, tenant, e, true);
          break;
        }
        case GS_OP_ADD_RELATION:
        case GS_OP_UPDATE_RELATION: {
          if (op.relation == nullptr) return invalid("relation op without a relation");
          gs_relation r = sdk::read_relation(*op.relation);
          st = op.kind == GS_OP_ADD_RELATION ? add_relation_in(*this, tx, c, tenant, r)
                                             : update_relation_in(*this, tx, c, tenant, r);
          break;
        }
        case GS_OP_DELETE_ENTITY:
          st = delete_entity_in(*this, tx, c, tenant, sdk::view(op.id));
          break;
        case GS_OP_DELETE_RELATION:
          st = delete_relation_in(*this, tx, c, tenant, sdk::view(op.id));
          break;
        default:
          return invalid("unknown op kind " + std::to_string(op.kind));
      }
      if (!st.ok()) return st;  // the transaction rolls back as tx goes
    }
    in_ops = false;
    tx.commit();
    return sdk::Status::Ok();
  });
  if (!s.ok() && in_ops) {
    if (failed_index) *failed_index = current;
    s.message = "batch op " + std::to_string(current) + ": " + s.message;
  } else if (!s.ok() && failed_index) {
    *failed_index = 0;
  }
  return s;
}

sdk::Status PostgresStore::add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n,
                                             sdk::SkipSink skip, uint64_t* added) {
  if (added) *added = 0;
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (n == 0) return sdk::Status::Ok();
  if (items == nullptr) return invalid("bulk add: items is NULL");

  // Everything that needs no server first: the records and their text index.
  struct Row {
    gs_entity e;
    std::optional<std::string> embedding, tsvector;
    std::string tokens, created, updated;
  };
  std::vector<std::optional<Row>> rows(n);
  std::vector<Skip> fixed_skips;
  std::vector<std::string_view> ids;
  bool any_embedding = false;
  for (size_t i = 0; i < n; ++i) {
    if (items[i] == nullptr) {
      fixed_skips.push_back(Skip{i, invalid("the item is NULL")});
      continue;
    }
    Row row;
    row.e = sdk::read_entity(*items[i]);
    TextIndex text = index_text(sdk::view(row.e.properties_json));
    row.tsvector = std::move(text.tsvector);
    row.tokens = std::to_string(text.token_count);
    row.embedding = format_embedding(row.e.embedding, row.e.embedding_dim);
    row.created = std::to_string(row.e.created_at);
    row.updated = std::to_string(row.e.updated_at);
    any_embedding = any_embedding || row.e.embedding_dim > 0;
    ids.push_back(sdk::view(row.e.id));
    rows[i] = std::move(row);
  }

  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status s = run("add_entities_bulk", Route::kWrite, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      pqxx::work tx(c.raw());
      std::unordered_set<std::string> taken = stored_ids(*this, tx, c, tenant, "entities", ids);
      uint32_t dim = 0;
      if (any_embedding) {
        std::string q = sql(
            "SELECT cardinality(embedding) FROM @S.entities WHERE tenant_id = $1 AND embedding IS NOT NULL LIMIT 1");
        pqxx::result r = exec(tx, c, q, Params().s(tenant));
        if (r.empty()) {
          exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
               Params().s(lock_key(*this, "dimension", tenant)));
          r = exec(tx, c, q, Params().s(tenant));
        }
        if (!r.empty()) dim = uint32_t(parse_int(r[0][0].c_str()));
      }
      std::vector<size_t> accepted;
      for (size_t i = 0; i < n; ++i) {
        if (!rows[i]) continue;
        const gs_entity& e = rows[i]->e;
        std::string id(sdk::view(e.id));
        if (taken.count(id)) {
          skips.push_back(
              Skip{i, sdk::make_error(GS_ALREADY_EXISTS, "entity " + sdk::quoted_prefix(id) + " already exists in " +
                                                             sdk::describe_tenant(tenant))});
          continue;
        }
        if (e.embedding_dim > 0) {
          if (dim != 0 && e.embedding_dim != dim) {
            skips.push_back(
                Skip{i, invalid("entity " + sdk::quoted_prefix(id) + ": embedding dimension " +
                                std::to_string(e.embedding_dim) + " differs from dimension " + std::to_string(dim) +
                                " of the embeddings stored in " + sdk::describe_tenant(tenant))});
            continue;
          }
          dim = e.embedding_dim;
        }
        taken.insert(std::move(id));
        accepted.push_back(i);
      }
      try {
        if (!accepted.empty()) {
          pqxx::stream_to copy(tx, sql("@S.entities"),
                               std::vector<std::string>{"tenant_id", "id", "entity_type", "properties", "embedding",
                                                        "text_tokens", "token_count", "created_at", "updated_at",
                                                        "source"});
          std::string tenant_s(tenant);
          for (size_t i : accepted) {
            const Row& row = *rows[i];
            std::string id(sdk::view(row.e.id)), type(sdk::view(row.e.entity_type)),
                props(sdk::view(row.e.properties_json));
            std::optional<std::string> source;
            if (row.e.source.data) source.emplace(sdk::view(row.e.source));
            copy << std::make_tuple(tenant_s.c_str(), id.c_str(), type.c_str(), props.c_str(),
                                    cstr_or_null(row.embedding), cstr_or_null(row.tsvector), row.tokens.c_str(),
                                    row.created.c_str(), row.updated.c_str(), cstr_or_null(source));
          }
          copy.complete();
        }
        tx.commit();
      } catch (const pqxx::unique_violation&) {
        // Someone added one of these ids since the check: judge again.
        if (attempt >= kCopyAttempts) throw;
        continue;
      }
      count = accepted.size();
      if (count >= kAnalyzeAfter) loaded_in_bulk();
      return sdk::Status::Ok();
    }
  });
  if (s.ok() && added) *added = count;
  std::sort(skips.begin(), skips.end(), [](const Skip& a, const Skip& b) { return a.index < b.index; });
  report(skips, skip);
  return s;
}

sdk::Status PostgresStore::add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n,
                                              sdk::SkipSink skip, uint64_t* added) {
  if (added) *added = 0;
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (n == 0) return sdk::Status::Ok();
  if (items == nullptr) return invalid("bulk add: items is NULL");

  std::vector<std::optional<gs_relation>> rows(n);
  std::vector<Skip> fixed_skips;
  std::vector<std::string_view> ids, endpoints;
  for (size_t i = 0; i < n; ++i) {
    if (items[i] == nullptr) {
      fixed_skips.push_back(Skip{i, invalid("the item is NULL")});
      continue;
    }
    rows[i] = sdk::read_relation(*items[i]);
    ids.push_back(sdk::view(rows[i]->id));
    endpoints.push_back(sdk::view(rows[i]->source_id));
    endpoints.push_back(sdk::view(rows[i]->target_id));
  }
  std::sort(endpoints.begin(), endpoints.end());
  endpoints.erase(std::unique(endpoints.begin(), endpoints.end()), endpoints.end());

  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status s = run("add_relations_bulk", Route::kWrite, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      pqxx::work tx(c.raw());
      exec(tx, c, "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
           Params().s(lock_key(*this, "entities", tenant)));
      std::unordered_set<std::string> taken = stored_ids(*this, tx, c, tenant, "relations", ids);
      std::unordered_set<std::string> present = stored_ids(*this, tx, c, tenant, "entities", endpoints);
      std::vector<size_t> accepted;
      for (size_t i = 0; i < n; ++i) {
        if (!rows[i]) continue;
        const gs_relation& r = *rows[i];
        std::string id(sdk::view(r.id));
        if (taken.count(id)) {
          skips.push_back(
              Skip{i, sdk::make_error(GS_ALREADY_EXISTS, "relation " + sdk::quoted_prefix(id) + " already exists in " +
                                                             sdk::describe_tenant(tenant))});
          continue;
        }
        bool ok = true;
        for (auto [role, endpoint] : {std::pair{"source", r.source_id}, std::pair{"target", r.target_id}}) {
          if (!ok || present.count(std::string(sdk::view(endpoint)))) continue;
          skips.push_back(
              Skip{i, sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(id) + ": " + role + " entity " +
                                                        sdk::quoted_prefix(sdk::view(endpoint)) + " not found in " +
                                                        sdk::describe_tenant(tenant))});
          ok = false;
        }
        if (!ok) continue;
        taken.insert(std::move(id));
        accepted.push_back(i);
      }
      try {
        if (!accepted.empty()) {
          pqxx::stream_to copy(tx, sql("@S.relations"),
                               std::vector<std::string>{"tenant_id", "id", "relation_type", "source_id", "target_id",
                                                        "properties", "weight", "created_at", "updated_at", "source"});
          std::string tenant_s(tenant);
          for (size_t i : accepted) {
            const gs_relation& r = *rows[i];
            std::string id(sdk::view(r.id)), type(sdk::view(r.relation_type)), from(sdk::view(r.source_id)),
                to(sdk::view(r.target_id)), props(sdk::view(r.properties_json)), weight = format_double(r.weight),
                                                                                 created = std::to_string(r.created_at),
                                                                                 updated = std::to_string(r.updated_at);
            std::optional<std::string> source;
            if (r.source.data) source.emplace(sdk::view(r.source));
            copy << std::make_tuple(tenant_s.c_str(), id.c_str(), type.c_str(), from.c_str(), to.c_str(),
                                    props.c_str(), weight.c_str(), created.c_str(), updated.c_str(),
                                    cstr_or_null(source));
          }
          copy.complete();
        }
        tx.commit();
      } catch (const pqxx::unique_violation&) {
        if (attempt >= kCopyAttempts) throw;
        continue;
      }
      count = accepted.size();
      if (count >= kAnalyzeAfter) loaded_in_bulk();
      return sdk::Status::Ok();
    }
  });
  if (s.ok() && added) *added = count;
  std::sort(skips.begin(), skips.end(), [](const Skip& a, const Skip& b) { return a.index < b.index; });
  report(skips, skip);
  return s;
}

}  // namespace graphstore::postgres
