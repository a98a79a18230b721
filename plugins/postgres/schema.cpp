#include "schema.hpp"

#include "errors.hpp"
#include "options.hpp"
#include "records.hpp"
#include "reference_views.hpp"

namespace graphstore::postgres {
namespace {

// Version 1. jsonb refuses a \u0000 escape (which JSON allows), so such text
// gets no jsonb copy instead of failing the write.
constexpr const char* kCreateV1 = R"SQL(
CREATE TABLE @S.entities (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  properties text NOT NULL,
  properties_jsonb jsonb GENERATED ALWAYS AS
    (CASE WHEN strpos(properties, '\u0000') > 0 THEN NULL ELSE properties::jsonb END) STORED,
  embedding real[],
  text_tokens tsvector,
  token_count integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  source text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX entities_by_type ON @S.entities (tenant_id, entity_type, id);
CREATE INDEX entities_embedded ON @S.entities (tenant_id) WHERE embedding IS NOT NULL;
CREATE INDEX entities_text_unindexed ON @S.entities (tenant_id) WHERE text_tokens IS NULL;
CREATE INDEX entities_properties ON @S.entities USING gin (properties_jsonb jsonb_path_ops);
CREATE INDEX entities_text ON @S.entities USING gin (text_tokens);
CREATE TABLE @S.relations (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  relation_type text COLLATE "C" NOT NULL,
  source_id text COLLATE "C" NOT NULL,
  target_id text COLLATE "C" NOT NULL,
  properties text NOT NULL,
  properties_jsonb jsonb GENERATED ALWAYS AS
    (CASE WHEN strpos(properties, '\u0000') > 0 THEN NULL ELSE properties::jsonb END) STORED,
  weight double precision NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  source text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX relations_out ON @S.relations (tenant_id, source_id, relation_type);
CREATE INDEX relations_in ON @S.relations (tenant_id, target_id, relation_type);
CREATE INDEX relations_by_type ON @S.relations (tenant_id, relation_type, id);
CREATE INDEX relations_properties ON @S.relations USING gin (properties_jsonb jsonb_path_ops);
CREATE TABLE @S.tenants (tenant_id text COLLATE "C" PRIMARY KEY);
INSERT INTO @S.meta (key, value) VALUES ('schema_version', '1');
)SQL";

// Version 1 -> 2: the records of one source, for delete_by_source. Partial:
// a record without a source costs no index entry. Idempotent, so a schema
// that another process upgraded meanwhile passes through unchanged.
constexpr const char* kUpgradeV2 = R"SQL(
CREATE INDEX IF NOT EXISTS entities_source ON @S.entities (tenant_id, source) WHERE source IS NOT NULL;
CREATE INDEX IF NOT EXISTS relations_source ON @S.relations (tenant_id, source) WHERE source IS NOT NULL;
UPDATE @S.meta SET value = '2' WHERE key = 'schema_version';
)SQL";

// Version 2 -> 3: the functions behind the reference's table names (the
// views themselves depend on the reference_views option, reference_views.hpp).
constexpr const char* kUpgradeV3 = "UPDATE @S.meta SET value = '3' WHERE key = 'schema_version'";

// Version 3 -> 4: BM25's corpus statistics (documents and token total per
// tenant and type) without reading every entity: statement-level triggers
// with transition tables append the change of each statement (COPY, a
// trigger of the reference views and an operator's SQL included) as one
// delta row per (tenant, type); readers sum a tenant's rows and fold them
// into one now and then. Appending never waits on another writer, as one
// counter row per tenant would. The function runs as its owner, so a role
// that may write entities need not be granted text_stats. The first
// statistics are the entities' at upgrade, counted while the triggers' lock
// keeps writers out.
constexpr const char* kUpgradeV4 = R"SQL(
CREATE TABLE IF NOT EXISTS @S.text_stats (
  tenant_id text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  documents bigint NOT NULL,
  tokens bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS text_stats_by_tenant ON @S.text_stats (tenant_id, entity_type);
CREATE OR REPLACE FUNCTION @S.graphstore_text_stats() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO @S.text_stats
      SELECT tenant_id, entity_type, count(*), sum(token_count) FROM graphstore_new GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO @S.text_stats
      SELECT tenant_id, entity_type, -count(*), -sum(token_count) FROM graphstore_old GROUP BY 1, 2;
  ELSE
    INSERT INTO @S.text_stats
      SELECT tenant_id, entity_type, sum(d), sum(t) FROM (
        SELECT tenant_id, entity_type, -1 AS d, -token_count::bigint AS t FROM graphstore_old
        UNION ALL SELECT tenant_id, entity_type, 1, token_count FROM graphstore_new) x
      GROUP BY 1, 2 HAVING sum(d) <> 0 OR sum(t) <> 0;
  END IF;
  RETURN NULL;
END
$f$;
CREATE OR REPLACE TRIGGER entities_text_stats_insert AFTER INSERT ON @S.entities
  REFERENCING NEW TABLE AS graphstore_new FOR EACH STATEMENT EXECUTE FUNCTION @S.graphstore_text_stats();
CREATE OR REPLACE TRIGGER entities_text_stats_update AFTER UPDATE ON @S.entities
  REFERENCING OLD TABLE AS graphstore_old NEW TABLE AS graphstore_new
  FOR EACH STATEMENT EXECUTE FUNCTION @S.graphstore_text_stats();
CREATE OR REPLACE TRIGGER entities_text_stats_delete AFTER DELETE ON @S.entities
  REFERENCING OLD TABLE AS graphstore_old FOR EACH STATEMENT EXECUTE FUNCTION @S.graphstore_text_stats();
UPDATE @S.meta SET value = '4' WHERE key = 'schema_version';
)SQL";
constexpr const char* kFirstTextStats = R"SQL(
DELETE FROM @S.text_stats;
INSERT INTO @S.text_stats
  SELECT tenant_id, entity_type, count(*), coalesce(sum(token_count), 0) FROM @S.entities GROUP BY 1, 2;
)SQL";

// Version 4 -> 5: text_stats also counts the entities holding an embedding,
// so a vector search learns how many entities its filters match from the
// rows BM25 already reads, in the snapshot of its candidates, instead of
// counting them (vector_plan.hpp). The SHARE lock keeps writers out from
// before the function changes until the counts so far are appended (as
// deltas, kFirstEmbeddedStats).
constexpr const char* kUpgradeV5 = R"SQL(
LOCK TABLE @S.entities IN SHARE MODE;
ALTER TABLE @S.text_stats ADD COLUMN IF NOT EXISTS embedded bigint NOT NULL DEFAULT 0;
CREATE OR REPLACE FUNCTION @S.graphstore_text_stats() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO @S.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, count(*), sum(token_count), count(embedding) FROM graphstore_new GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO @S.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, -count(*), -sum(token_count), -count(embedding) FROM graphstore_old GROUP BY 1, 2;
  ELSE
    INSERT INTO @S.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, sum(d), sum(t), sum(v) FROM (
        SELECT tenant_id, entity_type, -1 AS d, -token_count::bigint AS t,
               CASE WHEN embedding IS NULL THEN 0 ELSE -1 END AS v FROM graphstore_old
        UNION ALL SELECT tenant_id, entity_type, 1, token_count, CASE WHEN embedding IS NULL THEN 0 ELSE 1 END
          FROM graphstore_new) x
      GROUP BY 1, 2 HAVING sum(d) <> 0 OR sum(t) <> 0 OR sum(v) <> 0;
  END IF;
  RETURN NULL;
END
$f$;
UPDATE @S.meta SET value = '5' WHERE key = 'schema_version';
)SQL";
constexpr const char* kFirstEmbeddedStats = R"SQL(
INSERT INTO @S.text_stats (tenant_id, entity_type, documents, tokens, embedded)
  SELECT tenant_id, entity_type, 0, 0, count(*) FROM @S.entities WHERE embedding IS NOT NULL GROUP BY 1, 2;
)SQL";

// A tenant sees its own rows; the global namespace ('') only when
// graphstore.include_global is 'on'. Writes must carry the session's tenant.
constexpr const char* kPolicy =
    "USING (tenant_id = current_setting('graphstore.tenant', true) OR "
    "(tenant_id = '' AND current_setting('graphstore.include_global', true) = 'on')) "
    "WITH CHECK (tenant_id = current_setting('graphstore.tenant', true))";

// Enables and forces the tenant policy on schema.table.
void force_policy(pqxx::transaction_base& tx, Connection& c, const std::string& schema, const char* table) {
  std::string t = quote_identifier(schema) + "." + table;
  tx.exec("ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY");
  tx.exec("ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY");
  pqxx::result have = exec(tx, c,
                           "SELECT 1 FROM pg_policies WHERE schemaname = $1 AND tablename = $2 "
                           "AND policyname = 'graphstore_tenant'",
                           Params().s(schema).s(table));
  if (have.empty()) tx.exec("CREATE POLICY graphstore_tenant ON " + t + " " + kPolicy);
}

struct Found {
  bool meta = false;
  int version = 0;
  bool rls = false;
  bool vector_column = false;
  bool views_settled = false;  // the reference views exist, or their names are taken
};

Found inspect(pqxx::transaction_base& tx, Connection& c, const std::string& schema) {
  Found f;
  std::string q = quote_identifier(schema);
  pqxx::result r = exec(tx, c,
                        "SELECT to_regclass($1) IS NOT NULL, "
                        "coalesce((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                        "WHERE oid = to_regclass($2)), false), "
                        "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($2) "
                        "AND attname = 'embedding_vector' AND NOT attisdropped)",
                        Params().s(q + ".meta").s(q + ".entities"));
  f.meta = r[0][0].as<bool>();
  f.rls = r[0][1].as<bool>();
  f.vector_column = r[0][2].as<bool>();
  pqxx::result views = exec(tx, c, kReferenceViewsSettledSql,
                            Params().s(q + ".graph_entities").s(q + ".graph_relations"));
  f.views_settled = views[0][0].as<bool>();
  if (f.meta) {
    pqxx::result v = tx.exec(with_schema("SELECT value FROM @S.meta WHERE key = 'schema_version'", q));
    if (!v.empty()) f.version = std::atoi(v[0][0].c_str());
  }
  return f;
}

std::string vector_schema(pqxx::transaction_base& tx) {
  pqxx::result r = tx.exec("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'vector'");
  return r.empty() ? std::string() : quote_identifier(r[0][0].c_str());
}

// A store searches through pgvector only when its options ask for it: a
// column left by another store with enable_pgvector does not, since
// enable_pgvector: false promises exact search. The column cannot outlive
// the extension (DROP EXTENSION takes it along), but a column of that name
// without the extension's type is no pgvector column either.
void settle_pgvector(pqxx::transaction_base& tx, bool enable_pgvector, bool vector_column, SchemaState* state) {
  state->vector_schema = enable_pgvector && vector_column ? vector_schema(tx) : std::string();
  state->pgvector = !state->vector_schema.empty();
}

}  // namespace

std::string with_schema(std::string_view sql, const std::string& quoted_schema) {
  std::string out;
  out.reserve(sql.size() + 64);
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '@' && i + 1 < sql.size() && sql[i + 1] == 'S') {
      out += quoted_schema;
      ++i;
    } else {
      out.push_back(sql[i]);
    }
  }
  return out;
}

sdk::Status initialize_schema(Connection& c, const std::string& schema, bool enable_pgvector, bool row_level_security,
                              bool reference_views, SchemaState* state) {
  const std::string q = quote_identifier(schema);
  if (enable_pgvector) {
    pqxx::nontransaction tx(c.raw());
    pqxx::result r = tx.exec("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')");
    if (!r[0][0].as<bool>())
      return sdk::make_error(GS_UNSUPPORTED,
                             "postgres: option 'enable_pgvector' is true but this PostgreSQL server has no pgvector "
                             "extension ('vector' is not in pg_available_extensions): install pgvector on the "
                             "server, or set enable_pgvector: false to search embeddings exactly in SQL");
  }
  {
    // Fast path: nothing to create or change, no lock taken.
    pqxx::nontransaction tx(c.raw());
    Found f = inspect(tx, c, schema);
    if (f.meta && f.version == kSchemaVersion && (!row_level_security || f.rls) &&
        (!enable_pgvector || f.vector_column) && (!reference_views || f.views_settled)) {
      state->row_level_security = f.rls;
      settle_pgvector(tx, enable_pgvector, f.vector_column, state);
      return sdk::Status::Ok();
    }
  }
  pqxx::work tx(c.raw());
  // Every process initialising this schema queues here; the first creates,
  // the others then find it done.
  exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().s("graphstore:schema:" + schema));
  tx.exec("CREATE SCHEMA IF NOT EXISTS " + q);
  tx.exec("CREATE TABLE IF NOT EXISTS " + q + ".meta (key text PRIMARY KEY, value text NOT NULL)");
  Found f = inspect(tx, c, schema);
  if (f.version > kSchemaVersion)
    return sdk::make_error(GS_UNSUPPORTED, "postgres: schema " + q + " has version " + std::to_string(f.version) +
                                               ", newer than this plugin's " + std::to_string(kSchemaVersion) +
                                               ": upgrade the postgres plugin");
  if (f.version == 0) tx.exec(with_schema(kCreateV1, q));
  // Later versions migrate here, one step at a time.
  if (f.version < 2) tx.exec(with_schema(kUpgradeV2, q));
  if (f.version < 3) {
    create_reference_functions(tx, schema);
    tx.exec(with_schema(kUpgradeV3, q));
  }
  if (f.version < 4) {
    tx.exec(with_schema(kUpgradeV4, q));
    // The first statistics count every tenant's entities: past the policies
    // for this transaction (the owner is exempt from policies it does not
    // force on itself).
    if (f.rls) tx.exec("ALTER TABLE " + q + ".entities NO FORCE ROW LEVEL SECURITY");
    tx.exec(with_schema(kFirstTextStats, q));
    if (f.rls) {
      tx.exec("ALTER TABLE " + q + ".entities FORCE ROW LEVEL SECURITY");
      force_policy(tx, c, schema, "text_stats");
    }
  }
  if (f.version < 5) {
    tx.exec(with_schema(kUpgradeV5, q));
    // Past the policies for this transaction, as version 4 did: the counts
    // are every tenant's, and rows of every tenant go into text_stats.
    if (f.rls)
      for (const char* table : {"entities", "text_stats"})
        tx.exec("ALTER TABLE " + q + "." + table + " NO FORCE ROW LEVEL SECURITY");
    tx.exec(with_schema(kFirstEmbeddedStats, q));
    if (f.rls)
      for (const char* table : {"entities", "text_stats"})
        tx.exec("ALTER TABLE " + q + "." + table + " FORCE ROW LEVEL SECURITY");
  }
  if (reference_views && !f.views_settled) create_reference_views(tx, schema);

  if (enable_pgvector && !f.vector_column) {
    tx.exec("CREATE EXTENSION IF NOT EXISTS vector");
    std::string vs = vector_schema(tx);
    tx.exec(with_schema("ALTER TABLE @S.entities ADD COLUMN IF NOT EXISTS embedding_vector " + vs +
                            ".vector GENERATED ALWAYS AS (embedding::" + vs + ".vector) STORED",
                        q));
    f.vector_column = true;
  }
  if (row_level_security && !f.rls) {
    for (const char* table : {"entities", "relations", "text_stats"}) force_policy(tx, c, schema, table);
    f.rls = true;
  }
  state->row_level_security = f.rls;
  settle_pgvector(tx, enable_pgvector, f.vector_column, state);
  tx.commit();
  return sdk::Status::Ok();
}

}  // namespace graphstore::postgres
