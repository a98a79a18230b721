-- The partitioned parents of design (a) on the coordinator: the plugin's
-- entities and relations (same columns), LIST-partitioned on tenant_id, one
-- foreign-table partition per shard listing the tenants that shard holds.
-- psql variables: schema (where the parents go), collate (the text columns'
-- collation clause: COLLATE "C" as the plugin has it, or empty for the
-- database default), s1_tenants, s2_tenants. The servers shard1 and shard2
-- come from coordinator.sql.
--
-- The empty collation is the "dc" variant run_fdw.sh also measures.
-- Why: postgres_fdw ships a condition only when its collation comes from a
-- foreign column or is the default. A tenant filter the planner derives
-- through a join (r.tenant_id = $1 AND n.tenant_id = r.tenant_id gives
-- n.tenant_id = '101' COLLATE "C") carries the explicit collation "C" and is
-- then evaluated locally, after fetching every tenant's rows of the shard.
-- With default-collation columns on the coordinator (the coordinator
-- database is LC_COLLATE C, as pg-test-cluster.sh makes it, so comparisons
-- and ORDER BY give the same results) those conditions ship.
\set ON_ERROR_STOP 1
CREATE SCHEMA IF NOT EXISTS :"schema";
-- No PRIMARY KEY: PostgreSQL cannot build a unique index over foreign
-- partitions. Each shard enforces (tenant_id, id) for the tenants it holds,
-- which is enough while a tenant lives on exactly one shard.
CREATE TABLE :"schema".entities (
  tenant_id text :collate NOT NULL,
  id text :collate NOT NULL,
  entity_type text :collate NOT NULL,
  properties text NOT NULL,
  properties_jsonb jsonb GENERATED ALWAYS AS
    (CASE WHEN strpos(properties, '\u0000') > 0 THEN NULL ELSE properties::jsonb END) STORED,
  embedding real[],
  text_tokens tsvector,
  token_count integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  source text
) PARTITION BY LIST (tenant_id);
CREATE TABLE :"schema".relations (
  tenant_id text :collate NOT NULL,
  id text :collate NOT NULL,
  relation_type text :collate NOT NULL,
  source_id text :collate NOT NULL,
  target_id text :collate NOT NULL,
  properties text NOT NULL,
  properties_jsonb jsonb GENERATED ALWAYS AS
    (CASE WHEN strpos(properties, '\u0000') > 0 THEN NULL ELSE properties::jsonb END) STORED,
  weight double precision NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  source text
) PARTITION BY LIST (tenant_id);

CREATE FOREIGN TABLE :"schema".entities_shard1 PARTITION OF :"schema".entities FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE :"schema".entities_shard2 PARTITION OF :"schema".entities FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE :"schema".relations_shard1 PARTITION OF :"schema".relations FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'relations');
CREATE FOREIGN TABLE :"schema".relations_shard2 PARTITION OF :"schema".relations FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'relations');
-- Local statistics for the planner (samples the remote tables).
ANALYZE :"schema".entities_shard1, :"schema".entities_shard2, :"schema".relations_shard1, :"schema".relations_shard2;
