-- get_entity (plugins/postgres/store.cpp). tenant in [:tlo, :thi], :n entities each.
\set t random(:tlo, :thi)
\set id random(1, :n)
SELECT id, entity_type, properties, embedding, created_at, updated_at, source FROM entities WHERE tenant_id = :t AND id = :id;
