-- One transaction writing to a tenant on shard 1 and one on shard 2, through
-- the coordinator: postgres_fdw opens a remote transaction on each shard and
-- commits them one after the other at local commit (no two-phase commit).
\set t1 random(:tlo, :thi)
\set t2 random(:t2lo, :t2hi)
\set id random(1000000000, 999999999999)
BEGIN;
INSERT INTO entities (tenant_id, id, entity_type, properties, text_tokens, token_count, created_at, updated_at) VALUES (:t1, :id, 'person', '{"name":"bench"}', to_tsvector('simple', 'bench'), 1, 1700000000000, 1700000000000);
INSERT INTO entities (tenant_id, id, entity_type, properties, text_tokens, token_count, created_at, updated_at) VALUES (:t2, :id, 'person', '{"name":"bench"}', to_tsvector('simple', 'bench'), 1, 1700000000000, 1700000000000);
COMMIT;
