// PostgresStore: apply_batch (one transaction) and the bulk adds (COPY).
//
// apply_batch runs its ops in order in one transaction. A run of 8 or more
// consecutive adds of one kind (what import, migration, a degradation
// journal's replay and a swap's catch-up send) is judged and COPYed as a
// bulk add's items are, except that any item the judging refuses sends the
// whole batch to the op-by-op path, which fails at that op as before.
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
#include <vector>

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

// An entity ready for COPY: the record and its columns as text.
struct EntityRow {
  gs_entity e;
  std::optional<std::string> embedding, tsvector;
  std::string tokens, created, updated;
};

EntityRow entity_row(const gs_entity& item) {
  EntityRow row;
  row.e = sdk::read_entity(item);
  TextIndex text = index_text(sdk::view(row.e.properties_json));
  row.tsvector = std::move(text.tsvector);
  row.tokens = std::to_string(text.token_count);
  row.embedding = format_embedding(row.e.embedding, row.e.embedding_dim);
  row.created = std::to_string(row.e.created_at);
  row.updated = std::to_string(row.e.updated_at);
  return row;
}

// Judges the rows as add_entity one by one would, in order: an id stored or
// taken by an earlier row is ALREADY_EXISTS, an embedding of another
// dimension than the tenant's (or an earlier row's) INVALID_ARGUMENT; those
// go to *skips. Returns the indexes of the others, in order.
std::vector<size_t> judge_entities(PostgresStore& s, pqxx::transaction_base& tx, Connection& c,
                                   std::string_view tenant, const std::vector<std::optional<EntityRow>>& rows,
                                   std::vector<Skip>* skips) {
  std::vector<std::string_view> ids;
  bool any_embedding = false;
  for (const auto& row : rows) {
    if (!row) continue;
    ids.push_back(sdk::view(row->e.id));
    any_embedding = any_embedding || row->e.embedding_dim > 0;
  }
  std::unordered_set<std::string> taken = stored_ids(s, tx, c, tenant, "entities", ids);
  uint32_t dim = 0;
  if (any_embedding) {
    std::string q =
        s.sql("SELECT cardinality(embedding) FROM @S.entities WHERE tenant_id = $1 AND embedding IS NOT NULL LIMIT 1");
    pqxx::result r = exec(tx, c, q, Params().s(tenant));
    if (r.empty()) {
      exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
           Params().s(lock_key(s, "dimension", tenant)));
      r = exec(tx, c, q, Params().s(tenant));
    }
    if (!r.empty()) dim = uint32_t(parse_int(r[0][0].c_str()));
  }
  std::vector<size_t> accepted;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i]) continue;
    const gs_entity& e = rows[i]->e;
    std::string id(sdk::view(e.id));
    if (taken.count(id)) {
      skips->push_back(
          Skip{i, sdk::make_error(GS_ALREADY_EXISTS, "entity " + sdk::quoted_prefix(id) + " already exists in " +
                                                         sdk::describe_tenant(tenant))});
      continue;
    }
    if (e.embedding_dim > 0) {
      if (dim != 0 && e.embedding_dim != dim) {
        skips->push_back(Skip{i, invalid("entity " + sdk::quoted_prefix(id) + ": embedding dimension " +
                                         std::to_string(e.embedding_dim) + " differs from dimension " +
                                         std::to_string(dim) + " of the embeddings stored in " +
                                         sdk::describe_tenant(tenant))});
        continue;
      }
      dim = e.embedding_dim;
    }
    taken.insert(std::move(id));
    accepted.push_back(i);
  }
  return accepted;
}

// COPYs the accepted rows into the entities table. A concurrent add of one
// of their ids throws pqxx::unique_violation.
void copy_entities(PostgresStore& s, pqxx::transaction_base& tx, std::string_view tenant,
                   const std::vector<std::optional<EntityRow>>& rows, const std::vector<size_t>& accepted) {
  if (accepted.empty()) return;
  pqxx::stream_to copy(tx, s.sql("@S.entities"),
                       std::vector<std::string>{"tenant_id", "id", "entity_type", "properties", "embedding",
                                                "text_tokens", "token_count", "created_at", "updated_at", "source"});
  std::string tenant_s(tenant);
  for (size_t i : accepted) {
    const EntityRow& row = *rows[i];
    std::string id(sdk::view(row.e.id)), type(sdk::view(row.e.entity_type)), props(sdk::view(row.e.properties_json));
    std::optional<std::string> source;
    if (row.e.source.data) source.emplace(sdk::view(row.e.source));
    copy << std::make_tuple(tenant_s.c_str(), id.c_str(), type.c_str(), props.c_str(), cstr_or_null(row.embedding),
                            cstr_or_null(row.tsvector), row.tokens.c_str(), row.created.c_str(), row.updated.c_str(),
                            cstr_or_null(source));
  }
  copy.complete();
}

// Judges the relations as add_relation one by one would: an id stored or
// taken by an earlier row is ALREADY_EXISTS, a missing endpoint NOT_FOUND.
// Takes the tenant's entity lock shared first, so no endpoint is deleted
// before the transaction ends. Returns the indexes of the others, in order.
std::vector<size_t> judge_relations(PostgresStore& s, pqxx::transaction_base& tx, Connection& c,
                                    std::string_view tenant, const std::vector<std::optional<gs_relation>>& rows,
                                    std::vector<Skip>* skips) {
  std::vector<std::string_view> ids, endpoints;
  for (const auto& r : rows) {
    if (!r) continue;
    ids.push_back(sdk::view(r->id));
    endpoints.push_back(sdk::view(r->source_id));
    endpoints.push_back(sdk::view(r->target_id));
  }
  std::sort(endpoints.begin(), endpoints.end());
  endpoints.erase(std::unique(endpoints.begin(), endpoints.end()), endpoints.end());
  exec(tx, c, "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
       Params().s(lock_key(s, "entities", tenant)));
  std::unordered_set<std::string> taken = stored_ids(s, tx, c, tenant, "relations", ids);
  std::unordered_set<std::string> present = stored_ids(s, tx, c, tenant, "entities", endpoints);
  std::vector<size_t> accepted;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i]) continue;
    const gs_relation& r = *rows[i];
    std::string id(sdk::view(r.id));
    if (taken.count(id)) {
      skips->push_back(
          Skip{i, sdk::make_error(GS_ALREADY_EXISTS, "relation " + sdk::quoted_prefix(id) + " already exists in " +
                                                         sdk::describe_tenant(tenant))});
      continue;
    }
    bool ok = true;
    for (auto [role, endpoint] : {std::pair{"source", r.source_id}, std::pair{"target", r.target_id}}) {
      if (!ok || present.count(std::string(sdk::view(endpoint)))) continue;
      skips->push_back(
          Skip{i, sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(id) + ": " + role + " entity " +
                                                    sdk::quoted_prefix(sdk::view(endpoint)) + " not found in " +
                                                    sdk::describe_tenant(tenant))});
      ok = false;
    }
    if (!ok) continue;
    taken.insert(std::move(id));
    accepted.push_back(i);
  }
  return accepted;
}

void copy_relations(PostgresStore& s, pqxx::transaction_base& tx, std::string_view tenant,
                    const std::vector<std::optional<gs_relation>>& rows, const std::vector<size_t>& accepted) {
  if (accepted.empty()) return;
  pqxx::stream_to copy(tx, s.sql("@S.relations"),
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
    copy << std::make_tuple(tenant_s.c_str(), id.c_str(), type.c_str(), from.c_str(), to.c_str(), props.c_str(),
                            weight.c_str(), created.c_str(), updated.c_str(), cstr_or_null(source));
  }
  copy.complete();
}

// One op of a batch, as the single-record call would run it.
sdk::Status apply_op(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                     const gs_write_op* raw) {
  if (raw == nullptr) return invalid("the op is NULL");
  gs_write_op op = sdk::read_op(*raw);
  switch (op.kind) {
    case GS_OP_ADD_ENTITY:
    case GS_OP_UPDATE_ENTITY: {
      if (op.entity == nullptr) return invalid("entity op without an entity");
      gs_entity e = sdk::read_entity(*op.entity);
      return op.kind == GS_OP_ADD_ENTITY ? add_entity_in(s, tx, c, tenant, e, true)
                                         : update_entity_in(s, tx, c, tenant, e, true);
    }
    case GS_OP_ADD_RELATION:
    case GS_OP_UPDATE_RELATION: {
      if (op.relation == nullptr) return invalid("relation op without a relation");
      gs_relation r = sdk::read_relation(*op.relation);
      return op.kind == GS_OP_ADD_RELATION ? add_relation_in(s, tx, c, tenant, r)
                                           : update_relation_in(s, tx, c, tenant, r);
    }
    case GS_OP_DELETE_ENTITY:
      return delete_entity_in(s, tx, c, tenant, sdk::view(op.id));
    case GS_OP_DELETE_RELATION:
      return delete_relation_in(s, tx, c, tenant, sdk::view(op.id));
    default:
      return invalid("unknown op kind " + std::to_string(op.kind));
  }
}

// Consecutive adds of one kind at least this long go in set-based (judged
// in two or three statements, then one COPY) instead of one statement each.
constexpr size_t kSetBasedRun = 8;

// The end of the run of adds of one kind that starts at i (i + 1 for any
// other op).
size_t run_end(const gs_write_op* const* ops, size_t n, size_t i) {
  auto kind = [&](size_t k) { return ops[k] == nullptr ? -1 : int(sdk::read_op(*ops[k]).kind); };
  int first = kind(i);
  if (first != GS_OP_ADD_ENTITY && first != GS_OP_ADD_RELATION) return i + 1;
  size_t j = i + 1;
  while (j < n && kind(j) == first) ++j;
  return j;
}

// Adds ops [i, j), all adds of one kind, set-based. False (nothing of the
// run written) when one of them would fail: the caller then runs the batch
// op by op, which says which and why.
bool add_run(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
             const gs_write_op* const* ops, size_t i, size_t j) {
  std::vector<Skip> skips;
  if (sdk::read_op(*ops[i]).kind == GS_OP_ADD_ENTITY) {
    std::vector<std::optional<EntityRow>> rows;
    for (size_t k = i; k < j; ++k) {
      gs_write_op op = sdk::read_op(*ops[k]);
      if (op.entity == nullptr) return false;
      rows.emplace_back(entity_row(*op.entity));
    }
    std::vector<size_t> accepted = judge_entities(s, tx, c, tenant, rows, &skips);
    if (!skips.empty()) return false;
    copy_entities(s, tx, tenant, rows, accepted);
    return true;
  }
  std::vector<std::optional<gs_relation>> rows;
  for (size_t k = i; k < j; ++k) {
    gs_write_op op = sdk::read_op(*ops[k]);
    if (op.relation == nullptr) return false;
    gs_relation r = sdk::read_relation(*op.relation);
    if (!storable(sdk::view(r.id)) || !storable(sdk::view(r.source_id)) || !storable(sdk::view(r.target_id)))
      return false;
    rows.emplace_back(r);
  }
  std::vector<size_t> accepted = judge_relations(s, tx, c, tenant, rows, &skips);
  if (!skips.empty()) return false;
  copy_relations(s, tx, tenant, rows, accepted);
  return true;
}

}  // namespace

sdk::Status PostgresStore::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n,
                                       size_t* failed_index) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (n == 0) return sdk::Status::Ok();
  // Runs of adds (import, migration, a degradation journal's replay, a
  // swap's catch-up) go set-based in one transaction with the other ops. Any
  // failure there, a concurrent add of the same id included, rolls it back,
  // and the batch runs again op by op below, which names the failing op as
  // it always has; so the fast way only ever commits a batch that succeeds.
  // The end of the run that starts at each run's first op, found once.
  std::vector<size_t> ends;
  bool has_run = false;
  if (ops != nullptr)
    for (size_t i = 0; i < n; i = ends.back()) {
      ends.push_back(run_end(ops, n, i));
      has_run = has_run || ends.back() - i >= kSetBasedRun;
    }
  if (has_run) {
    bool whole = false;
    size_t copied = 0;
    sdk::Status fast = run("apply_batch", Route::kWrite, tenant, [&](Connection& c) {
      copied = 0;
      pqxx::work tx(c.raw());
      try {
        size_t i = 0;
        for (size_t j : ends) {
          if (j - i >= kSetBasedRun) {
            if (!add_run(*this, tx, c, tenant, ops, i, j)) return sdk::Status::Ok();
            copied += j - i;
          } else {
            for (size_t k = i; k < j; ++k)
              if (!apply_op(*this, tx, c, tenant, ops[k]).ok()) return sdk::Status::Ok();
          }
          i = j;
        }
        tx.commit();
        whole = true;
      } catch (const pqxx::unique_violation&) {
        // Someone added one of these ids since the judging: op by op below.
      }
      return sdk::Status::Ok();
    });
    if (fast.ok() && whole) {
      if (copied >= kAnalyzeAfter) loaded_in_bulk();
      return sdk::Status::Ok();
    }
  }
  size_t current = 0;
  bool in_ops = false;
  sdk::Status s = run("apply_batch", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::work tx(c.raw());
    in_ops = true;
    for (size_t i = 0; i < n; ++i) {
      current = i;
      if (ops == nullptr) return invalid("the op is NULL");
      if (sdk::Status st = apply_op(*this, tx, c, tenant, ops[i]); !st.ok()) return st;  // tx rolls back as it goes
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
  std::vector<std::optional<EntityRow>> rows(n);
  std::vector<Skip> fixed_skips;
  for (size_t i = 0; i < n; ++i) {
    if (items[i] == nullptr) fixed_skips.push_back(Skip{i, invalid("the item is NULL")});
    else rows[i] = entity_row(*items[i]);
  }
  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status s = run("add_entities_bulk", Route::kWrite, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      pqxx::work tx(c.raw());
      std::vector<size_t> accepted = judge_entities(*this, tx, c, tenant, rows, &skips);
      try {
        copy_entities(*this, tx, tenant, rows, accepted);
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
  for (size_t i = 0; i < n; ++i) {
    if (items[i] == nullptr) fixed_skips.push_back(Skip{i, invalid("the item is NULL")});
    else rows[i] = sdk::read_relation(*items[i]);
  }
  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status s = run("add_relations_bulk", Route::kWrite, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      pqxx::work tx(c.raw());
      std::vector<size_t> accepted = judge_relations(*this, tx, c, tenant, rows, &skips);
      try {
        copy_relations(*this, tx, tenant, rows, accepted);
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
