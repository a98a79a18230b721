-- find_paths' one statement (plugins/postgres/traversal.cpp), any relation
-- type, max depth :depth, from entity s to s + :depth along the ring (so the
-- pair is connected within max depth).
\set t random(:tlo, :thi)
\set s random(1, :n)
\set g 1 + (:s + :depth - 1) % :n
WITH RECURSIVE d(id, dist) AS (SELECT e.id, 0 FROM entities e WHERE e.tenant_id = :t AND e.id = :g UNION SELECT r.source_id, d.dist + 1 FROM d JOIN relations r ON r.tenant_id = :t AND r.target_id = d.id WHERE d.dist + 1 < :depth AND ('' = '' OR r.relation_type = '')), n AS (SELECT id, min(dist) AS dist FROM d GROUP BY id), s AS (SELECT e.id FROM entities e WHERE e.tenant_id = :t AND e.id = :s), m AS (SELECT id FROM n UNION SELECT id FROM s) SELECT 1 AS kind, n.id, n.dist, NULL::text AS rel, NULL::text AS target FROM n UNION ALL SELECT 2, s.id, NULL, NULL, NULL FROM s UNION ALL SELECT 3, r.source_id, NULL, r.id, r.target_id FROM m JOIN relations r ON r.tenant_id = :t AND r.source_id = m.id WHERE r.target_id IN (SELECT id FROM m) AND ('' = '' OR r.relation_type = '');
