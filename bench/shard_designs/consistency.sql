-- Consistency of design (a), on the coordinator. psql variables: t1 (a
-- tenant on shard 1), t2 (a tenant on shard 2), tag (a unique id prefix).
-- Before this, run_fdw.sh has installed on ONE shard a deferred constraint
-- trigger that fails any row whose id starts with 'crash-' at COMMIT: the
-- same as that shard crashing (or its connection dropping) after the other
-- shard's remote COMMIT went through. postgres_fdw (PostgreSQL 15) commits
-- its remote transactions one after the other at local pre-commit; there is
-- no PREPARE TRANSACTION, so the shards cannot agree.
\pset pager off
\echo '--- one transaction, one row for a tenant on each shard'
BEGIN;
INSERT INTO entities (tenant_id, id, entity_type, properties, created_at, updated_at) VALUES (:'t1', :'tag', 'person', '{}', 1, 1);
INSERT INTO entities (tenant_id, id, entity_type, properties, created_at, updated_at) VALUES (:'t2', :'tag', 'person', '{}', 1, 1);
COMMIT;
\echo '--- what each shard holds afterwards (through the coordinator)'
SELECT tenant_id, id FROM entities WHERE tenant_id IN (:'t1', :'t2') AND id = :'tag' ORDER BY 1;
