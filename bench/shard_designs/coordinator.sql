-- The coordinator of design (a): the shard servers and user mappings, then
-- the partitioned parents in schema public with the plugin's collation
-- (coordinator_parents.sql).
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

\set schema public
\set collate 'COLLATE "C"'
\ir coordinator_parents.sql
