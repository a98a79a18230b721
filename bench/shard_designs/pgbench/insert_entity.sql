-- add_entity's row (the plugin COPYs it; one INSERT here). Ids above the
-- loaded range, random, so repeated runs do not collide.
\set t random(:tlo, :thi)
\set id random(1000000000, 999999999999)
INSERT INTO entities (tenant_id, id, entity_type, properties, text_tokens, token_count, created_at, updated_at) VALUES (:t, :id, 'person', '{"name":"bench"}', to_tsvector('simple', 'bench'), 1, 1700000000000, 1700000000000);
