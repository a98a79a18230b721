-- One tenant's random graph, generated on the shard that holds it.
-- psql variables: tenant (text), n_ent, n_rel (n_rel >= n_ent).
-- Entity ids are '1'..n_ent (digit strings, so pgbench can pass them as
-- parameters), relation ids 'r1'..'r<n_rel>'. Relations 1..n_ent form a ring
-- i -> i % n_ent + 1, so entity s reaches s+3 and s+4 (mod n_ent) in 3 and 4
-- hops: find_paths gets real, connected pairs without a lookup. The other
-- relations join uniformly random entities. 4 entity types, 4 relation
-- types, short JSON properties.
\set ON_ERROR_STOP 1
INSERT INTO public.tenants VALUES (:'tenant') ON CONFLICT DO NOTHING;
INSERT INTO public.entities (tenant_id, id, entity_type, properties, text_tokens, token_count, created_at, updated_at)
SELECT :'tenant', g::text, (ARRAY['person','org','document','topic'])[1 + g % 4],
       format('{"name":"n%s","rank":%s,"tags":["t%s"]}', g, g % 997, g % 13),
       to_tsvector('simple', format('n%s t%s', g, g % 13)), 2,
       1700000000000 + g, 1700000000000 + g
FROM generate_series(1, :n_ent) g;
INSERT INTO public.relations (tenant_id, id, relation_type, source_id, target_id, properties, weight, created_at, updated_at)
SELECT :'tenant', 'r' || g, (ARRAY['knows','works_at','mentions','part_of'])[1 + g % 4],
       CASE WHEN g <= :n_ent THEN g::text ELSE (1 + floor(random() * :n_ent))::int::text END,
       CASE WHEN g <= :n_ent THEN (g % :n_ent + 1)::text ELSE (1 + floor(random() * :n_ent))::int::text END,
       format('{"since":%s}', 2000 + g % 25), random(), 1700000000000 + g, 1700000000000 + g
FROM generate_series(1, :n_rel) g;
