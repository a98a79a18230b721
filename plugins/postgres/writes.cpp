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
// into the table, all in one transaction. Stored ids are first left to the
// primary key: a COPY it refuses is rolled back and the call starts over
// with the ids looked up (twice at most, for ids a concurrent add takes
// meanwhile). Relation loads hold the tenant's entity lock shared, so no
// endpoint is deleted between the check and the commit; large ones count
// their endpoints on other connections while the COPY runs. A large load
// into a smaller table first drops the table's secondary indexes
// (deferred_indexes.hpp).
#include <array>
#include <future>
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
// Relations per bulk add from which the endpoints are counted beside the
// COPY rather than before it: below, a thread and a second connection cost
// more than the overlap saves.
constexpr size_t kCountBeside = 5000;
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

// How many of `ids` (distinct) are stored in the tenant: one index-only
// scan of the primary key for the whole array, nothing sent back.
uint64_t count_stored(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                      std::string_view table, const std::vector<std::string_view>& ids) {
  if (ids.empty()) return 0;
  pqxx::result r = exec(tx, c,
                        s.sql("SELECT count(*) FROM @S." + std::string(table) +
                              " WHERE tenant_id = $1 AND id = ANY($2::text[])"),
                        Params().s(tenant).s(text_array(ids)));
  return uint64_t(parse_int(std::string_view(r[0][0].c_str(), r[0][0].size())));
}

const char* cstr_or_null(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

// An entity ready for COPY: the record and its embedding as text. Its text
// index is made while the COPY streams (copy_entities), so the server parses
// earlier rows while this thread tokenizes later ones.
struct EntityRow {
  gs_entity e;
  std::optional<std::string> embedding;
};

EntityRow entity_row(const gs_entity& item) {
  EntityRow row;
  row.e = sdk::read_entity(item);
  row.embedding = format_embedding(row.e.embedding, row.e.embedding_dim);
  return row;
}

// Judges the rows as add_entity one by one would, in order: an id stored
// (looked up only with look_up_stored; else the primary key refuses it at
// COPY) or taken by an earlier row is ALREADY_EXISTS, an embedding of another
// dimension than the tenant's (or an earlier row's) INVALID_ARGUMENT; those
// go to *skips. Returns the indexes of the others, in order.
std::vector<size_t> judge_entities(PostgresStore& s, pqxx::transaction_base& tx, Connection& c,
                                   std::string_view tenant, const std::vector<std::optional<EntityRow>>& rows,
                                   bool look_up_stored, std::vector<Skip>* skips) {
  std::vector<std::string_view> ids;
  bool any_embedding = false;
  for (const auto& row : rows) {
    if (!row) continue;
    ids.push_back(sdk::view(row->e.id));
    any_embedding = any_embedding || row->e.embedding_dim > 0;
  }
  std::unordered_set<std::string> taken;
  if (look_up_stored) taken = stored_ids(s, tx, c, tenant, "entities", ids);
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
    TextIndex text = index_text(props);
    std::string tokens = std::to_string(text.token_count), created = std::to_string(row.e.created_at),
                updated = std::to_string(row.e.updated_at);
    copy << std::make_tuple(tenant_s.c_str(), id.c_str(), type.c_str(), props.c_str(), cstr_or_null(row.embedding),
                            cstr_or_null(text.tsvector), tokens.c_str(), created.c_str(), updated.c_str(),
                            cstr_or_null(source));
  }
  copy.complete();
}

// Takes the tenant's entity lock shared: no endpoint a relation load checked
// is deleted before its transaction ends. First in the transaction, before
// any table lock (deferred_indexes.hpp), as delete_entity takes it.
void hold_endpoints(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant) {
  exec(tx, c, "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
       Params().s(lock_key(s, "entities", tenant)));
}

// The distinct endpoints of the rows, sorted.
std::vector<std::string_view> distinct_endpoints(const std::vector<std::optional<gs_relation>>& rows) {
  std::vector<std::string_view> endpoints;
  for (const auto& r : rows) {
    if (!r) continue;
    endpoints.push_back(sdk::view(r->source_id));
    endpoints.push_back(sdk::view(r->target_id));
  }
  std::sort(endpoints.begin(), endpoints.end());
  endpoints.erase(std::unique(endpoints.begin(), endpoints.end()), endpoints.end());
  return endpoints;
}

// Judges the relations as add_relation one by one would: an id stored
// (looked up only with look_up_stored) or taken by an earlier row is
// ALREADY_EXISTS, a missing endpoint NOT_FOUND (endpoints_counted: the
// caller counts them elsewhere and this takes them all as present). Call
// hold_endpoints first. Returns the indexes of the others, in order.
std::vector<size_t> judge_relations(PostgresStore& s, pqxx::transaction_base& tx, Connection& c,
                                    std::string_view tenant, const std::vector<std::optional<gs_relation>>& rows,
                                    bool look_up_stored, bool endpoints_counted, std::vector<Skip>* skips) {
  std::vector<std::string_view> ids;
  for (const auto& r : rows)
    if (r) ids.push_back(sdk::view(r->id));
  std::unordered_set<std::string> taken;
  if (look_up_stored) taken = stored_ids(s, tx, c, tenant, "relations", ids);
  // Counted first: when every endpoint is there (the rule in a load), no
  // id comes back.
  bool all_present = endpoints_counted;
  std::unordered_set<std::string> present;
  if (!all_present) {
    std::vector<std::string_view> endpoints = distinct_endpoints(rows);
    all_present = count_stored(s, tx, c, tenant, "entities", endpoints) == endpoints.size();
    if (!all_present) present = stored_ids(s, tx, c, tenant, "entities", endpoints);
  }
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
      if (!ok || all_present || present.count(std::string(sdk::view(endpoint)))) continue;
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

// Judges the relation rows and COPYs the accepted ones in tx (call
// hold_endpoints first). With count_beside the endpoints are counted on
// other connections (two, each half of them, when free) while the COPY
// runs: the counts start after tx holds the tenant's entity lock, so they see
// every delete that could remove an endpoint before tx commits. False when a
// count came short (or failed): tx has the COPY in it and must be rolled back;
// judging with count_beside false then names the missing endpoints. A
// unique_violation from the COPY goes to the caller.
bool judge_and_copy_relations(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                              const std::vector<std::optional<gs_relation>>& rows, bool look_up, bool count_beside,
                              std::vector<Skip>* skips, std::vector<size_t>* accepted) {
  std::array<std::vector<std::string_view>, 2> halves;
  std::array<uint64_t, 2> stored{};
  std::array<std::optional<std::future<sdk::Status>>, 2> counted;  // destroyed (joined) before what they read
  if (count_beside) {
    std::vector<std::string_view> endpoints = distinct_endpoints(rows);
    size_t mid = endpoints.size() / 2;
    halves[0].assign(endpoints.begin(), endpoints.begin() + mid);
    halves[1].assign(endpoints.begin() + mid, endpoints.end());
    for (size_t h = 0; h < 2; ++h)
      counted[h] = s.beside(std::string(tenant), [&, h](Connection& other) {
        pqxx::nontransaction otx(other.raw());
        stored[h] = count_stored(s, otx, other, tenant, "entities", halves[h]);
        return sdk::Status::Ok();
      });
  }
  *accepted = judge_relations(s, tx, c, tenant, rows, look_up, count_beside, skips);
  copy_relations(s, tx, tenant, rows, *accepted);
  bool all = true;
  for (size_t h = 0; count_beside && h < 2; ++h) {
    // A half no other connection took is counted here.
    sdk::Status st = counted[h] ? counted[h]->get() : sdk::Status::Ok();
    if (!counted[h]) stored[h] = count_stored(s, tx, c, tenant, "entities", halves[h]);
    all = all && st.ok() && stored[h] == halves[h].size();
  }
  return all;
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

// Adds ops [i, j), all adds of one kind, set-based, first deferring the
// table's indexes when the run is a large load into a smaller table
// ((*deferred)[table] then true). False (nothing of the run written) when
// one of them would fail: the caller then runs the batch op by op, which
// says which and why.
bool add_run(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
             const gs_write_op* const* ops, size_t i, size_t j, bool look_up_stored,
             std::array<bool, 2>* deferred) {
  std::vector<Skip> skips;
  if (sdk::read_op(*ops[i]).kind == GS_OP_ADD_ENTITY) {
    std::vector<std::optional<EntityRow>> rows;
    for (size_t k = i; k < j; ++k) {
      gs_write_op op = sdk::read_op(*ops[k]);
      if (op.entity == nullptr) return false;
      rows.emplace_back(entity_row(*op.entity));
    }
    if (s.defer(tx, c, Table::kEntities, rows.size())) (*deferred)[int(Table::kEntities)] = true;
    std::vector<size_t> accepted = judge_entities(s, tx, c, tenant, rows, look_up_stored, &skips);
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
  hold_endpoints(s, tx, c, tenant);
  if (s.defer(tx, c, Table::kRelations, rows.size())) (*deferred)[int(Table::kRelations)] = true;
  std::vector<size_t> accepted;
  bool all = judge_and_copy_relations(s, tx, c, tenant, rows, look_up_stored, rows.size() >= kCountBeside, &skips,
                                      &accepted);
  return all && skips.empty();
}

// Whether a judged load found ids already stored, for the next load's
// choice (PostgresStore::ids_collided).
bool any_already_exists(const std::vector<Skip>& skips) {
  for (const Skip& k : skips)
    if (k.status.code == GS_ALREADY_EXISTS) return true;
  return false;
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
  bool has_run = false, only_runs = true;
  if (ops != nullptr)
    for (size_t i = 0; i < n; i = ends.back()) {
      ends.push_back(run_end(ops, n, i));
      bool is_run = ends.back() - i >= kSetBasedRun;
      has_run = has_run || is_run;
      only_runs = only_runs && is_run;
    }
  if (has_run) {
    bool whole = false, lost = false;
    size_t copied = 0;
    std::array<bool, 2> deferred_tables{};
    // A batch of runs alone is a load: it may run while indexes are deferred.
    sdk::Status fast = run("apply_batch", only_runs ? Route::kLoad : Route::kWrite, tenant, [&](Connection& c) {
      copied = 0;
      deferred_tables = {};
      bool look_up = ids_collided.load();
      pqxx::work tx(c.raw());
      try {
        size_t i = 0;
        for (size_t j : ends) {
          if (j - i >= kSetBasedRun) {
            if (!add_run(*this, tx, c, tenant, ops, i, j, look_up, &deferred_tables)) return sdk::Status::Ok();
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
        // An id stored before or since: op by op below.
        ids_collided = true;
      } catch (const pqxx::broken_connection&) {
        lost = true;
        throw;
      } catch (const pqxx::in_doubt_error&) {
        lost = true;
        throw;
      } catch (const pqxx::sql_error& e) {
        lost = e.sqlstate().substr(0, 2) == "08" || e.sqlstate().substr(0, 4) == "57P0";
        throw;
      }
      return sdk::Status::Ok();
    });
    // The session or the server went away: the batch is not judged, and
    // running it again op by op would only fail at the server again, or,
    // after a commit whose answer was lost, report ALREADY_EXISTS for a batch
    // that was applied. The caller gets the server's UNAVAILABLE.
    if (!fast.ok() && lost) {
      if (failed_index) *failed_index = 0;
      return fast;
    }
    if (fast.ok() && whole) {
      for (Table t : {Table::kEntities, Table::kRelations})
        if (deferred_tables[int(t)]) deferred(t);
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

  // Everything that needs no server and the judging needs first: the
  // records.
  std::vector<std::optional<EntityRow>> rows(n);
  std::vector<Skip> fixed_skips;
  for (size_t i = 0; i < n; ++i) {
    if (items[i] == nullptr) fixed_skips.push_back(Skip{i, invalid("the item is NULL")});
    else rows[i] = entity_row(*items[i]);
  }
  std::vector<Skip> skips;
  uint64_t count = 0;
  sdk::Status s = run("add_entities_bulk", Route::kLoad, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      bool look_up = attempt > 1 || ids_collided.load();
      pqxx::work tx(c.raw());
      bool dropped = defer(tx, c, Table::kEntities, n - fixed_skips.size());
      std::vector<size_t> accepted = judge_entities(*this, tx, c, tenant, rows, look_up, &skips);
      try {
        copy_entities(*this, tx, tenant, rows, accepted);
        tx.commit();
      } catch (const pqxx::unique_violation&) {
        // An id stored before (not looked up) or since (looked up): judge
        // again, looking ids up.
        ids_collided = true;
        if (attempt >= kCopyAttempts) throw;
        continue;
      }
      if (dropped) deferred(Table::kEntities);
      if (look_up) ids_collided = any_already_exists(skips);
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
  bool count_beside = n - fixed_skips.size() >= kCountBeside;
  sdk::Status s = run("add_relations_bulk", Route::kLoad, tenant, [&](Connection& c) {
    for (int attempt = 1;; ++attempt) {
      skips = fixed_skips;
      count = 0;
      bool look_up = attempt > 1 || ids_collided.load();
      pqxx::work tx(c.raw());
      hold_endpoints(*this, tx, c, tenant);
      bool dropped = defer(tx, c, Table::kRelations, n - fixed_skips.size());
      std::vector<size_t> accepted;
      try {
        if (!judge_and_copy_relations(*this, tx, c, tenant, rows, look_up, count_beside, &skips, &accepted)) {
          // An endpoint is missing (or a count failed): judge them here.
          tx.abort();
          count_beside = false;
          --attempt;
          continue;
        }
        tx.commit();
      } catch (const pqxx::unique_violation&) {
        ids_collided = true;
        if (attempt >= kCopyAttempts) throw;
        continue;
      }
      if (dropped) deferred(Table::kRelations);
      if (look_up) ids_collided = any_already_exists(skips);
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
