-- What the coordinator ships to the shards: EXPLAIN (VERBOSE) of each
-- measured statement, for tenant :t, entity :s (find_paths: :s to :g3/:g4).
\set ON_ERROR_STOP 1
\pset pager off
\echo '=== get_entity'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id, entity_type, properties, embedding, created_at, updated_at, source FROM entities WHERE tenant_id = :'t' AND id = :'s';
\echo '=== get_neighbors (direction both), enable_partitionwise_join off (the default)'
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT x.found, y.* FROM (SELECT 1 AS found FROM entities WHERE tenant_id = :'t' AND id = :'s') x LEFT JOIN LATERAL (SELECT r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, r.created_at, r.updated_at, r.source, n.id, n.entity_type, n.properties, n.embedding, n.created_at, n.updated_at, n.source FROM relations r JOIN entities n ON n.tenant_id = r.tenant_id AND n.id = CASE WHEN r.source_id = :'s' THEN r.target_id ELSE r.source_id END WHERE r.tenant_id = :'t' AND (r.source_id = :'s' OR r.target_id = :'s') AND ('' = '' OR r.relation_type = '') ORDER BY r.id) y ON true;
\echo '=== get_neighbors (direction both), enable_partitionwise_join on'
SET enable_partitionwise_join = on;
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT x.found, y.* FROM (SELECT 1 AS found FROM entities WHERE tenant_id = :'t' AND id = :'s') x LEFT JOIN LATERAL (SELECT r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, r.created_at, r.updated_at, r.source, n.id, n.entity_type, n.properties, n.embedding, n.created_at, n.updated_at, n.source FROM relations r JOIN entities n ON n.tenant_id = r.tenant_id AND n.id = CASE WHEN r.source_id = :'s' THEN r.target_id ELSE r.source_id END WHERE r.tenant_id = :'t' AND (r.source_id = :'s' OR r.target_id = :'s') AND ('' = '' OR r.relation_type = '') ORDER BY r.id) y ON true;
RESET enable_partitionwise_join;
\echo '=== find_paths, max_depth 3 (loops = remote round trips per foreign scan)'
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
WITH RECURSIVE d(id, dist) AS (SELECT e.id, 0 FROM entities e WHERE e.tenant_id = :'t' AND e.id = :'g3' UNION SELECT r.source_id, d.dist + 1 FROM d JOIN relations r ON r.tenant_id = :'t' AND r.target_id = d.id WHERE d.dist + 1 < 3 AND ('' = '' OR r.relation_type = '')), n AS (SELECT id, min(dist) AS dist FROM d GROUP BY id), s AS (SELECT e.id FROM entities e WHERE e.tenant_id = :'t' AND e.id = :'s'), m AS (SELECT id FROM n UNION SELECT id FROM s) SELECT 1 AS kind, n.id, n.dist, NULL::text AS rel, NULL::text AS target FROM n UNION ALL SELECT 2, s.id, NULL, NULL, NULL FROM s UNION ALL SELECT 3, r.source_id, NULL, r.id, r.target_id FROM m JOIN relations r ON r.tenant_id = :'t' AND r.source_id = m.id WHERE r.target_id IN (SELECT id FROM m) AND ('' = '' OR r.relation_type = '');
\echo '=== find_paths, max_depth 4'
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
WITH RECURSIVE d(id, dist) AS (SELECT e.id, 0 FROM entities e WHERE e.tenant_id = :'t' AND e.id = :'g4' UNION SELECT r.source_id, d.dist + 1 FROM d JOIN relations r ON r.tenant_id = :'t' AND r.target_id = d.id WHERE d.dist + 1 < 4 AND ('' = '' OR r.relation_type = '')), n AS (SELECT id, min(dist) AS dist FROM d GROUP BY id), s AS (SELECT e.id FROM entities e WHERE e.tenant_id = :'t' AND e.id = :'s'), m AS (SELECT id FROM n UNION SELECT id FROM s) SELECT 1 AS kind, n.id, n.dist, NULL::text AS rel, NULL::text AS target FROM n UNION ALL SELECT 2, s.id, NULL, NULL, NULL FROM s UNION ALL SELECT 3, r.source_id, NULL, r.id, r.target_id FROM m JOIN relations r ON r.tenant_id = :'t' AND r.source_id = m.id WHERE r.target_id IN (SELECT id FROM m) AND ('' = '' OR r.relation_type = '');
\echo '=== insert (rolled back)'
BEGIN;
EXPLAIN (VERBOSE, COSTS OFF)
INSERT INTO entities (tenant_id, id, entity_type, properties, text_tokens, token_count, created_at, updated_at) VALUES (:'t', 'explain-1', 'person', '{"name":"bench"}', to_tsvector('simple', 'bench'), 1, 1700000000000, 1700000000000);
ROLLBACK;
\echo '=== a query without a tenant filter (cross-tenant list/stats): every shard, rows fetched to the coordinator'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT tenant_id, count(*) FROM entities GROUP BY tenant_id;
