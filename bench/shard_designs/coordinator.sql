-- The coordinator of design (a): partitioned parents of the plugin's
-- entities and relations (same columns), LIST-partitioned on tenant_id, one
-- foreign-table partition per shard listing the tenants that shard holds.
-- psql variables: s1_port, s2_port, s1_tenants, s2_tenants (SQL literal
-- lists such as '11','12'), remote_estimate ('true' or 'false').
--
-- One partition per shard, not per tenant: a foreign table has no partition
-- constraint of its own on the remote side, so per-tenant foreign tables all
-- pointing at a shard's one entities table would return the shard's every
-- tenant from each of them to a query without a tenant filter (count(*) over
-- the parent would count each row once per tenant of its shard).
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'s1_port', dbname 'graphstore', use_remote_estimate :'remote_estimate');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port :'s2_port', dbname 'graphstore', use_remote_estimate :'remote_estimate');
-- The shards trust the superuser on loopback; a real deployment maps to a
-- role with a password (postgres_fdw requires one for non-superusers).
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (user 'postgres');

-- No PRIMARY KEY: PostgreSQL cannot build a unique index over foreign
-- partitions. Each shard enforces (tenant_id, id) for the tenants it holds,
-- which is enough while a tenant lives on exactly one shard.
CREATE TABLE public.entities (
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
  source text
) PARTITION BY LIST (tenant_id);
CREATE TABLE public.relations (
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
  source text
) PARTITION BY LIST (tenant_id);

CREATE FOREIGN TABLE public.entities_shard1 PARTITION OF public.entities FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE public.entities_shard2 PARTITION OF public.entities FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'entities');
CREATE FOREIGN TABLE public.relations_shard1 PARTITION OF public.relations FOR VALUES IN (:s1_tenants)
  SERVER shard1 OPTIONS (schema_name 'public', table_name 'relations');
CREATE FOREIGN TABLE public.relations_shard2 PARTITION OF public.relations FOR VALUES IN (:s2_tenants)
  SERVER shard2 OPTIONS (schema_name 'public', table_name 'relations');
-- Local statistics for the planner (samples the remote tables).
ANALYZE public.entities_shard1, public.entities_shard2, public.relations_shard1, public.relations_shard2;
