-- get_neighbors, direction BOTH, any relation type (plugins/postgres/traversal.cpp);
-- The type filter "$3 = '' OR r.relation_type = $3" is written with its value
-- '' (pgbench variables are numbers only), as a custom plan sees it.
\set t random(:tlo, :thi)
\set id random(1, :n)
SELECT x.found, y.* FROM (SELECT 1 AS found FROM entities WHERE tenant_id = :t AND id = :id) x LEFT JOIN LATERAL (SELECT r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, r.created_at, r.updated_at, r.source, n.id, n.entity_type, n.properties, n.embedding, n.created_at, n.updated_at, n.source FROM relations r JOIN entities n ON n.tenant_id = r.tenant_id AND n.id = CASE WHEN r.source_id = :id THEN r.target_id ELSE r.source_id END WHERE r.tenant_id = :t AND (r.source_id = :id OR r.target_id = :id) AND ('' = '' OR r.relation_type = '') ORDER BY r.id) y ON true;
