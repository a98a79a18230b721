-- A variant of coordinator.sql in schema "dc": the same parents and foreign
-- partitions (same servers), but text columns WITHOUT COLLATE "C".
-- Why: postgres_fdw ships a condition only when its collation comes from a
-- foreign column or is the default. A tenant filter the planner derives
-- through a join (r.tenant_id = $1 AND n.tenant_id = r.tenant_id gives
-- n.tenant_id = '101' COLLATE "C") carries the explicit collation "C" and is
-- then evaluated locally, after fetching every tenant's rows of the shard.
-- With default-collation columns on the coordinator (the coordinator
-- database is LC_COLLATE C, as pg-test-cluster.sh makes it, so comparisons
-- and ORDER BY give the same results) those conditions ship.
-- psql variables: s1_tenants, s2_tenants. Run after coordinator.sql.
\set ON_ERROR_STOP 1
CREATE SCHEMA dc;
CREATE TABLE dc.entities (
  tenant_id text NOT NULL,
  id text NOT NULL,
  entity_type text NOT NULL,
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
CREATE TABLE dc.relations (
  tenant_id text NOT NULL,
  id text NOT NULL,
  relation_type text NOT NULL,
  source_id text NOT NULL,
  target_id text NOT NULL,
  properties text NOT NULL,
  properties_jsonb jsonb GENERATED ALWAYS AS
    (CASE WHEN strpos(properties, '\u0000') > 0 THEN NULL ELSE properties::jsonb END) STORED,
  weight double precision NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  source text
) PARTITION BY LIST (tenant_id);

CREATE FOREIGN TABLE dc.entities_shard1 PARTITION OF dc.entities FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE dc.entities_shard2 PARTITION OF dc.entities FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE dc.relations_shard1 PARTITION OF dc.relations FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'relations');
CREATE FOREIGN TABLE dc.relations_shard2 PARTITION OF dc.relations FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'relations');
-- Local statistics for the planner (samples the remote tables).
ANALYZE dc.entities_shard1, dc.entities_shard2, dc.relations_shard1, dc.relations_shard2;
