// PostgresStore: opening, connection routing, and the single-record calls.
#include "graphstore/checks.hpp"
#include "store.hpp"

#include <chrono>

#include "graphstore/abi_read.hpp"
#include "errors.hpp"
#include "graphstore/scoring.hpp"
#include "records.hpp"
#include "store_internal.hpp"

namespace graphstore::postgres {
namespace {

// How long a replica that could not be reached is left alone.
constexpr int64_t kReplicaBackoffMs = 5000;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string lock_key(const PostgresStore& s, std::string_view what, std::string_view tenant) {
  return "graphstore:" + s.schema() + ":" + std::string(what) + ":" + std::string(tenant);
}

// ---- Opening ---------------------------------------------------------------------

PostgresStore::PostgresStore(const gs_host* host, PgOptions options)
    : host_(host), options_(std::move(options)), quoted_schema_(quote_identifier(options_.schema)) {}

PostgresStore::~PostgresStore() {
  // A schema left by a finished load is whole; a failure here leaves the
  // indexes recorded for the next store opened on it.
  try {
    settle_indexes();
  } catch (...) {
  }
}

sdk::Status PostgresStore::open(const gs_host* host, std::string_view options_json,
                                std::unique_ptr<PostgresStore>* out) {
  PgOptions options;
  if (sdk::Status s = parse_options(options_json, &options); !s.ok()) return s;
  auto store = std::make_unique<PostgresStore>(host, std::move(options));
  const PgOptions& o = store->options_;

  PoolConfig primary{"primary", o.primary, size_t(o.min_pool_size), size_t(o.max_pool_size), o.acquire_timeout_s,
                     host};
  if (sdk::Status s = get_pool(o.pool_name, primary, &store->primary_); !s.ok()) return s;
  for (size_t i = 0; i < o.replicas.size(); ++i) {
    PoolConfig rc{"replica " + std::to_string(i + 1), o.replicas[i], 0, size_t(o.max_pool_size),
                  o.acquire_timeout_s, host};
    std::shared_ptr<Pool> pool;
    std::string name = o.pool_name.empty() ? std::string() : o.pool_name + "/replica" + std::to_string(i + 1);
    if (sdk::Status s = get_pool(name, rc, &pool); !s.ok()) return s;
    store->replicas_.push_back(std::move(pool));
  }
  store->replica_down_until_ms_ = std::make_unique<std::atomic<int64_t>[]>(std::max<size_t>(1, o.replicas.size()));
  for (size_t i = 0; i < o.replicas.size(); ++i) store->replica_down_until_ms_[i] = 0;

  if (sdk::Status s = store->primary_->fill_to_min(); !s.ok()) return s;
  Lease lease;
  if (sdk::Status s = store->primary_->acquire(&lease); !s.ok()) return s;
  try {
    if (sdk::Status s = initialize_schema(*lease, o.schema, o.enable_pgvector, o.row_level_security,
                                          o.reference_views, &store->schema_state_);
        !s.ok())
      return s;
  } catch (...) {
    return current_exception_status("initializing schema " + store->quoted_schema_, &*lease, o.primary);
  }
  try {
    // Indexes a load left out (a process that stopped before building
    // them, or one loading now): this store builds them before it reads.
    pqxx::nontransaction tx(lease->raw());
    for (const std::string& index : deferred_index_names(*store, tx))
      store->deferred_[index.rfind("entities", 0) == 0 ? 0 : 1] = true;
  } catch (...) {
    return current_exception_status("reading the deferred indexes of " + store->quoted_schema_, &*lease, o.primary);
  }
  *out = std::move(store);
  return sdk::Status::Ok();
}

// ---- Routing -----------------------------------------------------------------------

void PostgresStore::log(int32_t level, const std::string& message) const {
  if (host_ == nullptr || host_->log == nullptr) return;
  std::string text = "postgres: " + scrub(message, options_.primary);
  host_->log(host_->ctx, level, gs_str{text.data(), text.size()});
}

void PostgresStore::prepare_session(Connection& c, std::string_view tenant, bool write) {
  if (schema_state_.row_level_security && (!c.tenant_setting || *c.tenant_setting != tenant)) {
    pqxx::nontransaction tx(c.raw());
    c.tenant_setting.reset();
    exec(tx, c, "SELECT set_config('graphstore.tenant', $1, false)", Params().s(tenant));
    c.tenant_setting = std::string(tenant);
  }
  if (write && !tenant.empty()) {
    {
      std::lock_guard<std::mutex> lock(tenants_mu_);
      if (registered_tenants_.count(std::string(tenant))) return;
    }
    pqxx::nontransaction tx(c.raw());
    exec(tx, c, sql("INSERT INTO @S.tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING"), Params().s(tenant));
    std::lock_guard<std::mutex> lock(tenants_mu_);
    registered_tenants_.insert(std::string(tenant));
  }
}

bool PostgresStore::replica_caught_up(Connection& replica) {
  uint64_t writes = writes_.load();
  if (synced_writes_.load() >= writes) return true;
  Lease p;
  if (!primary_->acquire(&p).ok()) return false;
  try {
    std::string lsn;
    {
      pqxx::nontransaction tx(p->raw());
      lsn = exec(tx, *p, "SELECT pg_current_wal_insert_lsn()::text", Params())[0][0].c_str();
    }
    pqxx::nontransaction tx(replica.raw());
    bool ok = exec(tx, replica, "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true)", Params().s(lsn))[0][0]
                  .as<bool>();
    if (!ok) return false;
    uint64_t seen = synced_writes_.load();
    while (seen < writes && !synced_writes_.compare_exchange_weak(seen, writes)) {
    }
    return true;
  } catch (...) {
    // Any failure only means "not known to be in sync": read from the primary.
    (void)current_exception_status("read_your_writes check", nullptr, options_.primary);
    replica.broken = true;
    return false;
  }
}

void PostgresStore::replica_for_read(Lease* out) {
  size_t n = replicas_.size();
  size_t start = next_replica_.fetch_add(1, std::memory_order_relaxed);
  for (size_t k = 0; k < n; ++k) {
    size_t i = (start + k) % n;
    if (replica_down_until_ms_[i].load(std::memory_order_relaxed) > now_ms()) continue;
    Lease lease;
    sdk::Status s = replicas_[i]->acquire(&lease);
    if (!s.ok()) {
      if (s.code != GS_RESOURCE_EXHAUSTED) {
        replica_down_until_ms_[i] = now_ms() + kReplicaBackoffMs;
        log(GS_LOG_WARN, "read replica " + std::to_string(i + 1) + " unreachable, reading from the primary for " +
                             std::to_string(kReplicaBackoffMs / 1000) + " s: " + s.message);
      }
      continue;
    }
    if (options_.read_consistency == ReadConsistency::kReadYourWrites && !replica_caught_up(*lease)) return;
    *out = std::move(lease);
    return;
  }
}

sdk::Status PostgresStore::attempt(std::string_view where, Lease& lease, std::string_view tenant,
                                   const std::function<sdk::Status(Connection&)>& fn, bool write) {
  try {
    prepare_session(*lease, tenant, write);
    sdk::Status s = fn(*lease);
    if (write && s.ok()) wrote();
    return s;
  } catch (...) {
    return current_exception_status(where, &*lease, options_.primary);
  }
}

sdk::Status PostgresStore::run_impl(std::string_view where, Route route, std::string_view tenant,
                                    const std::function<sdk::Status(Connection&)>& fn) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  bool write = route != Route::kRead;
  if (route != Route::kLoad) {
    // Read first: concurrent reads would otherwise all write these.
    for (auto& run : load_run_)
      if (run.load(std::memory_order_relaxed) != 0) run.store(0, std::memory_order_relaxed);
    settle_indexes();
  }
  if (!write && analyze_pending_.load(std::memory_order_relaxed) && analyze_pending_.exchange(false)) {
    if (sdk::Status s = analyze(); !s.ok()) log(GS_LOG_WARN, "ANALYZE after a bulk load failed: " + s.message);
  }
  if (!write && !replicas_.empty() && options_.read_consistency != ReadConsistency::kPrimary) {
    Lease replica;
    replica_for_read(&replica);
    if (replica) return attempt(where, replica, tenant, fn, false);
  }
  Lease lease;
  if (sdk::Status s = primary_->acquire(&lease); !s.ok()) return s;
  return attempt(where, lease, tenant, fn, write);
}

bool PostgresStore::defer(pqxx::transaction_base& tx, Connection& c, Table table, size_t adds) {
  // Counted before the commit: a load that fails still shows a large run.
  uint64_t run = load_run_[int(table)] += adds;
  if (!options_.defer_indexes || deferred_[int(table)].load()) return false;
  return defer_indexes(*this, tx, c, table, size_t(run), adds);
}

std::optional<std::future<sdk::Status>> PostgresStore::beside(std::string tenant,
                                                              std::function<sdk::Status(Connection&)> fn) {
  Lease lease;
  if (!primary_->acquire(&lease, false).ok()) return std::nullopt;
  try {
    return std::async(std::launch::async,
                      [this, tenant = std::move(tenant), fn = std::move(fn), lease = std::move(lease)]() mutable {
                        return attempt("beside", lease, tenant, fn, false);
                      });
  } catch (const std::system_error&) {
    return std::nullopt;  // no thread: the lambda, and the lease with it, are gone
  }
}

void PostgresStore::settle_indexes() {
  if (!deferred_[0].load() && !deferred_[1].load()) return;
  std::lock_guard<std::mutex> lock(settle_mu_);
  if (!deferred_[0].load() && !deferred_[1].load()) return;  // another call built them
  sdk::Status s = build_deferred_indexes(*this, *primary_, size_t(options_.index_build_connections),
                                         int(options_.index_build_memory_mb));
  // Once either way: a build that failed (say the disk filled) is not
  // retried on every call; the next store opened on the schema tries again.
  deferred_[0] = deferred_[1] = false;
  if (!s.ok()) {
    log(GS_LOG_ERROR, "building the indexes a bulk load left out failed; reads stay correct but unindexed "
                      "until a store opened on this schema builds them: " + s.message);
    return;
  }
  // Statistics now, not at the next read: this may be the store's last call.
  if (sdk::Status a = analyze(); a.ok())
    analyze_pending_ = false;
  else
    log(GS_LOG_WARN, "ANALYZE after building the deferred indexes failed: " + a.message);
}

sdk::Status PostgresStore::analyze() {
  Lease lease;
  if (sdk::Status s = primary_->acquire(&lease); !s.ok()) return s;
  return attempt(
      "analyze", lease, "",
      [&](Connection& c) {
        pqxx::nontransaction tx(c.raw());
        tx.exec(sql("ANALYZE @S.entities, @S.relations"));
        return sdk::Status::Ok();
      },
      false);
}

// ---- Entities --------------------------------------------------------------------

namespace {


sdk::Status already_exists(std::string_view what, std::string_view id, std::string_view tenant) {
  return sdk::make_error(GS_ALREADY_EXISTS, std::string(what) + " " + sdk::quoted_prefix(id) + " already exists in " +
                                                sdk::describe_tenant(tenant));
}

}  // namespace

sdk::Status entity_exists_status(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                                 std::string_view id, bool* exists) {
  if (!storable(id)) {
    *exists = false;
    return sdk::Status::Ok();
  }
  pqxx::result r = exec(tx, c, s.sql("SELECT 1 FROM @S.entities WHERE tenant_id = $1 AND id = $2"),
                        Params().s(tenant).s(id));
  *exists = !r.empty();
  return sdk::Status::Ok();
}

void check_embedding_dimension(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               std::string_view id, uint32_t dim) {
  const std::string q = s.sql(
      "SELECT cardinality(embedding) FROM @S.entities WHERE tenant_id = $1 AND embedding IS NOT NULL AND id <> $2 "
      "LIMIT 1");
  pqxx::result r = exec(tx, c, q, Params().s(tenant).s(id));
  if (r.empty()) {
    // The first embedding of the tenant fixes its dimension: writers of a
    // first embedding queue here and look again.
    exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
         Params().s(lock_key(s, "dimension", tenant)));
    r = exec(tx, c, q, Params().s(tenant).s(id));
  }
  if (r.empty()) return;
  uint32_t stored = uint32_t(parse_int(std::string_view(r[0][0].c_str(), r[0][0].size())));
  if (stored != dim)
    throw sdk::Error(GS_INVALID_ARGUMENT, "entity " + sdk::quoted_prefix(id) + ": embedding dimension " +
                                              std::to_string(dim) + " differs from dimension " +
                                              std::to_string(stored) + " of the embeddings stored in " +
                                              sdk::describe_tenant(tenant));
}

sdk::Status add_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                          const gs_entity& e, bool in_transaction) {
  std::string_view id = sdk::view(e.id);
  if (e.embedding_dim > 0) {
    if (!in_transaction) throw std::logic_error("add_entity with an embedding needs a transaction");
    bool exists = false;
    if (sdk::Status st = entity_exists_status(s, tx, c, tenant, id, &exists); !st.ok()) return st;
    if (exists) return already_exists("entity", id, tenant);
    check_embedding_dimension(s, tx, c, tenant, id, e.embedding_dim);
  }
  TextIndex text = index_text(sdk::view(e.properties_json));
  Params p;
  p.s(tenant).s(e.id).s(e.entity_type).s(e.properties_json).text(format_embedding(e.embedding, e.embedding_dim));
  p.text(text.tsvector).i(text.token_count).i(e.created_at).i(e.updated_at).opt(e.source);
  try {
    exec(tx, c,
         s.sql("INSERT INTO @S.entities (tenant_id, id, entity_type, properties, embedding, text_tokens, token_count, "
               "created_at, updated_at, source) VALUES ($1, $2, $3, $4, $5::real[], $6::tsvector, $7, $8, $9, $10)"),
         p);
  } catch (const pqxx::unique_violation&) {
    return already_exists("entity", id, tenant);
  }
  return sdk::Status::Ok();
}

sdk::Status update_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                             const gs_entity& e, bool in_transaction) {
  std::string_view id = sdk::view(e.id);
  if (e.embedding_dim > 0) {
    if (!in_transaction) throw std::logic_error("update_entity with an embedding needs a transaction");
    bool exists = false;
    if (sdk::Status st = entity_exists_status(s, tx, c, tenant, id, &exists); !st.ok()) return st;
    if (!exists) return sdk::not_found("entity", id, tenant);
    check_embedding_dimension(s, tx, c, tenant, id, e.embedding_dim);
  }
  TextIndex text = index_text(sdk::view(e.properties_json));
  Params p;
  p.s(tenant).s(e.id).s(e.entity_type).s(e.properties_json).text(format_embedding(e.embedding, e.embedding_dim));
  p.text(text.tsvector).i(text.token_count).i(e.updated_at).opt(e.source);
  pqxx::result r =
      exec(tx, c,
           s.sql("UPDATE @S.entities SET entity_type = $3, properties = $4, embedding = $5::real[], "
                 "text_tokens = $6::tsvector, token_count = $7, updated_at = $8, source = $9 "
                 "WHERE tenant_id = $1 AND id = $2"),
           p);
  if (r.affected_rows() == 0) return sdk::not_found("entity", id, tenant);
  return sdk::Status::Ok();
}

sdk::Status delete_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                             std::string_view id) {
  // Bulk relation loads hold this lock shared: an entity never vanishes
  // between their endpoint check and their commit.
  exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().s(lock_key(s, "entities", tenant)));
  pqxx::result r = exec(tx, c, s.sql("DELETE FROM @S.entities WHERE tenant_id = $1 AND id = $2"),
                        Params().s(tenant).s(id));
  if (r.affected_rows() == 0) return sdk::not_found("entity", id, tenant);
  // A separate statement sees relations committed while the delete waited
  // for the entity's row lock (add_relation holds it FOR KEY SHARE).
  exec(tx, c, s.sql("DELETE FROM @S.relations WHERE tenant_id = $1 AND (source_id = $2 OR target_id = $2)"),
       Params().s(tenant).s(id));
  return sdk::Status::Ok();
}

namespace {

// Why an add or update of relation r changed nothing.
sdk::Status relation_failure(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                             const gs_relation& r, bool adding) {
  std::string_view id = sdk::view(r.id);
  if (!storable(id)) return sdk::make_error(GS_INVALID_ARGUMENT, "relation id: PostgreSQL text cannot hold a NUL byte");
  pqxx::result have =
      exec(tx, c, s.sql("SELECT 1 FROM @S.relations WHERE tenant_id = $1 AND id = $2"), Params().s(tenant).s(id));
  if (adding && !have.empty()) return already_exists("relation", id, tenant);
  if (!adding && have.empty()) return sdk::not_found("relation", id, tenant);
  for (auto [role, endpoint] : {std::pair{"source", r.source_id}, std::pair{"target", r.target_id}}) {
    bool exists = false;
    if (sdk::Status st = entity_exists_status(s, tx, c, tenant, sdk::view(endpoint), &exists); !st.ok()) return st;
    if (!exists)
      return sdk::make_error(GS_NOT_FOUND, "relation " + sdk::quoted_prefix(id) + ": " + role + " entity " +
                                               sdk::quoted_prefix(sdk::view(endpoint)) + " not found in " +
                                               sdk::describe_tenant(tenant));
  }
  return sdk::make_error(GS_UNAVAILABLE, "relation " + sdk::quoted_prefix(id) + ": changed concurrently, try again");
}

}  // namespace

sdk::Status add_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                            const gs_relation& r) {
  Params p;
  p.s(tenant).s(r.id).s(r.relation_type).s(r.source_id).s(r.target_id).s(r.properties_json).d(r.weight);
  p.i(r.created_at).i(r.updated_at).opt(r.source);
  if (!storable(sdk::view(r.source_id)) || !storable(sdk::view(r.target_id)))
    return relation_failure(s, tx, c, tenant, r, true);
  pqxx::result res;
  try {
    // The endpoints are locked FOR KEY SHARE, as a foreign key would: a
    // concurrent delete_entity waits for this insert and then removes it.
    res = exec(tx, c,
               s.sql("INSERT INTO @S.relations (tenant_id, id, relation_type, source_id, target_id, properties, "
                     "weight, created_at, updated_at, source) "
                     "SELECT $1, $2, $3, $4, $5, $6, $7::double precision, $8, $9, $10 "
                     "FROM @S.entities s, @S.entities t "
                     "WHERE s.tenant_id = $1 AND s.id = $4 AND t.tenant_id = $1 AND t.id = $5 "
                     "FOR KEY SHARE OF s, t"),
               p);
  } catch (const pqxx::unique_violation&) {
    return already_exists("relation", sdk::view(r.id), tenant);
  }
  if (res.affected_rows() == 0) return relation_failure(s, tx, c, tenant, r, true);
  return sdk::Status::Ok();
}

sdk::Status update_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               const gs_relation& r) {
  Params p;
  p.s(tenant).s(r.id).s(r.relation_type).s(r.source_id).s(r.target_id).s(r.properties_json).d(r.weight);
  p.i(r.updated_at).opt(r.source);
  if (!storable(sdk::view(r.source_id)) || !storable(sdk::view(r.target_id)))
    return relation_failure(s, tx, c, tenant, r, false);
  pqxx::result res = exec(
      tx, c,
      s.sql("UPDATE @S.relations r SET relation_type = $3, source_id = $4, target_id = $5, properties = $6, "
            "weight = $7::double precision, updated_at = $8, source = $9 "
            "FROM (SELECT 1 FROM @S.entities s, @S.entities t WHERE s.tenant_id = $1 AND s.id = $4 "
            "AND t.tenant_id = $1 AND t.id = $5 FOR KEY SHARE OF s, t) ends "
            "WHERE r.tenant_id = $1 AND r.id = $2"),
      p);
  if (res.affected_rows() == 0) return relation_failure(s, tx, c, tenant, r, false);
  return sdk::Status::Ok();
}

sdk::Status delete_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               std::string_view id) {
  pqxx::result r = exec(tx, c, s.sql("DELETE FROM @S.relations WHERE tenant_id = $1 AND id = $2"),
                        Params().s(tenant).s(id));
  if (r.affected_rows() == 0) return sdk::not_found("relation", id, tenant);
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::add_entity(std::string_view tenant, const gs_entity& entity) {
  gs_entity e = sdk::read_entity(entity);
  return run("add_entity", Route::kWrite, tenant, [&](Connection& c) {
    if (e.embedding_dim == 0) {
      pqxx::nontransaction tx(c.raw());
      return add_entity_in(*this, tx, c, tenant, e, false);
    }
    pqxx::work tx(c.raw());
    sdk::Status s = add_entity_in(*this, tx, c, tenant, e, true);
    if (s.ok()) tx.commit();
    return s;
  });
}

sdk::Status PostgresStore::get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(id)) return sdk::not_found("entity", id, tenant);
  pqxx::result r;
  sdk::Status s = run("get_entity", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(tx, c, sql(std::string("SELECT ") + kEntityCols + " FROM @S.entities WHERE tenant_id = $1 AND id = $2"),
             Params().s(tenant).s(id));
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  if (r.empty()) return sdk::not_found("entity", id, tenant);
  std::vector<float> embedding;
  gs_entity e = postgres::read_entity(r[0], 0, tenant, &embedding);
  sink(&e);
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::update_entity(std::string_view tenant, const gs_entity& entity) {
  gs_entity e = sdk::read_entity(entity);
  return run("update_entity", Route::kWrite, tenant, [&](Connection& c) {
    if (e.embedding_dim == 0) {
      pqxx::nontransaction tx(c.raw());
      return update_entity_in(*this, tx, c, tenant, e, false);
    }
    pqxx::work tx(c.raw());
    sdk::Status s = update_entity_in(*this, tx, c, tenant, e, true);
    if (s.ok()) tx.commit();
    return s;
  });
}

sdk::Status PostgresStore::delete_entity(std::string_view tenant, std::string_view id) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(id)) return sdk::not_found("entity", id, tenant);
  return run("delete_entity", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::work tx(c.raw());
    sdk::Status s = delete_entity_in(*this, tx, c, tenant, id);
    if (s.ok()) tx.commit();
    return s;
  });
}

sdk::Status PostgresStore::add_relation(std::string_view tenant, const gs_relation& relation) {
  gs_relation r = sdk::read_relation(relation);
  return run("add_relation", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    return add_relation_in(*this, tx, c, tenant, r);
  });
}

sdk::Status PostgresStore::get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(id)) return sdk::not_found("relation", id, tenant);
  pqxx::result r;
  sdk::Status s = run("get_relation", Route::kRead, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    r = exec(tx, c,
             sql(std::string("SELECT ") + kRelationCols + " FROM @S.relations WHERE tenant_id = $1 AND id = $2"),
             Params().s(tenant).s(id));
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  if (r.empty()) return sdk::not_found("relation", id, tenant);
  gs_relation v = postgres::read_relation(r[0], 0, tenant);
  sink(&v);
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::update_relation(std::string_view tenant, const gs_relation& relation) {
  gs_relation r = sdk::read_relation(relation);
  return run("update_relation", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    return update_relation_in(*this, tx, c, tenant, r);
  });
}

sdk::Status PostgresStore::delete_relation(std::string_view tenant, std::string_view id) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(id)) return sdk::not_found("relation", id, tenant);
  return run("delete_relation", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::nontransaction tx(c.raw());
    return delete_relation_in(*this, tx, c, tenant, id);
  });
}

sdk::Status PostgresStore::list_tenants(sdk::TenantSink sink) {
  std::vector<std::string> names;
  sdk::Status s;
  if (!schema_state_.row_level_security) {
    // A loose index scan: one index probe per distinct tenant.
    s = run("list_tenants", Route::kRead, "", [&](Connection& c) {
      pqxx::nontransaction tx(c.raw());
      pqxx::result r = exec(tx, c,
                            sql("WITH RECURSIVE t(tenant_id) AS ("
                                "(SELECT tenant_id FROM @S.entities WHERE tenant_id > '' ORDER BY tenant_id LIMIT 1) "
                                "UNION ALL SELECT (SELECT e.tenant_id FROM @S.entities e WHERE e.tenant_id > t.tenant_id "
                                "ORDER BY e.tenant_id LIMIT 1) FROM t WHERE t.tenant_id IS NOT NULL) "
                                "SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL"),
                            Params());
      for (const auto& row : r) names.emplace_back(row[0].c_str(), row[0].size());
      return sdk::Status::Ok();
    });
  } else {
    // Row-level security shows a session only its own tenant's rows: ask
    // each tenant this schema has known whether it still holds data.
    std::vector<std::string> known;
    s = run("list_tenants", Route::kRead, "", [&](Connection& c) {
      pqxx::nontransaction tx(c.raw());
      pqxx::result r = exec(tx, c, sql("SELECT tenant_id FROM @S.tenants ORDER BY tenant_id"), Params());
      for (const auto& row : r) known.emplace_back(row[0].c_str(), row[0].size());
      return sdk::Status::Ok();
    });
    for (const std::string& t : known) {
      if (!s.ok()) break;
      if (t.empty() || !sdk::valid_tenant(t)) continue;
      s = run("list_tenants", Route::kRead, t, [&](Connection& c) {
        pqxx::nontransaction tx(c.raw());
        pqxx::result r =
            exec(tx, c, sql("SELECT EXISTS (SELECT 1 FROM @S.entities WHERE tenant_id = $1)"), Params().s(t));
        if (r[0][0].as<bool>()) names.push_back(t);
        return sdk::Status::Ok();
      });
    }
  }
  if (!s.ok()) return s;
  for (const std::string& n : names)
    if (!sink(gs_str{n.data(), n.size()})) break;
  return sdk::Status::Ok();
}

sdk::Status PostgresStore::collect_gauges(sdk::GaugeSink sink) {
  Pool::Use primary = primary_->use();
  sdk::report_gauge(sink, "pool_connections_open", "Connections of the primary pool, lent, idle or being opened.",
                    double(primary.open));
  sdk::report_gauge(sink, "pool_connections_in_use", "Connections of the primary pool lent to calls.",
                    double(primary.open - primary.idle));
  sdk::report_gauge(sink, "pool_connections_max", "max_pool_size of the primary pool.",
                    double(primary_->config().max_size));
  sdk::report_gauge(sink, "pool_acquire_waits",
                    "Calls that found every primary connection busy and waited (since start).", double(primary.waits));
  sdk::report_gauge(sink, "pool_acquire_timeouts", "Waits that ended in RESOURCE_EXHAUSTED (since start).",
                    double(primary.exhausted));
  size_t replica_open = 0, replica_idle = 0;
  for (const auto& r : replicas_) {
    Pool::Use u = r->use();
    replica_open += u.open;
    replica_idle += u.idle;
  }
  sdk::report_gauge(sink, "replica_pools", "Read replica pools configured.", double(replicas_.size()));
  sdk::report_gauge(sink, "replica_connections_in_use", "Connections of the replica pools lent to calls.",
                    double(replica_open - replica_idle));
  return sdk::Status::Ok();
}

}  // namespace graphstore::postgres
