-- The postgres plugin's schema (plugins/postgres/schema.cpp, versions 1 to 5)
-- in schema "public" (the plugin's default), exactly as initialize_schema
-- leaves it with the default options (no row-level security, no pgvector).
-- Left out: the reference views/functions (graph_entities, graph_relations),
-- which no measured statement reads.
\set ON_ERROR_STOP 1
CREATE TABLE IF NOT EXISTS public.meta (key text PRIMARY KEY, value text NOT NULL);
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
  source text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX entities_by_type ON public.entities (tenant_id, entity_type, id);
CREATE INDEX entities_embedded ON public.entities (tenant_id) WHERE embedding IS NOT NULL;
CREATE INDEX entities_text_unindexed ON public.entities (tenant_id) WHERE text_tokens IS NULL;
CREATE INDEX entities_properties ON public.entities USING gin (properties_jsonb jsonb_path_ops);
CREATE INDEX entities_text ON public.entities USING gin (text_tokens);
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
  source text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX relations_out ON public.relations (tenant_id, source_id, relation_type);
CREATE INDEX relations_in ON public.relations (tenant_id, target_id, relation_type);
CREATE INDEX relations_by_type ON public.relations (tenant_id, relation_type, id);
CREATE INDEX relations_properties ON public.relations USING gin (properties_jsonb jsonb_path_ops);
CREATE TABLE public.tenants (tenant_id text COLLATE "C" PRIMARY KEY);
-- v2
CREATE INDEX IF NOT EXISTS entities_source ON public.entities (tenant_id, source) WHERE source IS NOT NULL;
CREATE INDEX IF NOT EXISTS relations_source ON public.relations (tenant_id, source) WHERE source IS NOT NULL;
-- v4 + v5: BM25 corpus statistics, kept by statement-level triggers
CREATE TABLE IF NOT EXISTS public.text_stats (
  tenant_id text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  documents bigint NOT NULL,
  tokens bigint NOT NULL,
  embedded bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS text_stats_by_tenant ON public.text_stats (tenant_id, entity_type);
CREATE OR REPLACE FUNCTION public.graphstore_text_stats() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, count(*), sum(token_count), count(embedding) FROM graphstore_new GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO public.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, -count(*), -sum(token_count), -count(embedding) FROM graphstore_old GROUP BY 1, 2;
  ELSE
    INSERT INTO public.text_stats (tenant_id, entity_type, documents, tokens, embedded)
      SELECT tenant_id, entity_type, sum(d), sum(t), sum(v) FROM (
        SELECT tenant_id, entity_type, -1 AS d, -token_count::bigint AS t,
               CASE WHEN embedding IS NULL THEN 0 ELSE -1 END AS v FROM graphstore_old
        UNION ALL SELECT tenant_id, entity_type, 1, token_count, CASE WHEN embedding IS NULL THEN 0 ELSE 1 END
          FROM graphstore_new) x
      GROUP BY 1, 2 HAVING sum(d) <> 0 OR sum(t) <> 0 OR sum(v) <> 0;
  END IF;
  RETURN NULL;
END
$f$;
CREATE OR REPLACE TRIGGER entities_text_stats_insert AFTER INSERT ON public.entities
  REFERENCING NEW TABLE AS graphstore_new FOR EACH STATEMENT EXECUTE FUNCTION public.graphstore_text_stats();
CREATE OR REPLACE TRIGGER entities_text_stats_update AFTER UPDATE ON public.entities
  REFERENCING OLD TABLE AS graphstore_old NEW TABLE AS graphstore_new
  FOR EACH STATEMENT EXECUTE FUNCTION public.graphstore_text_stats();
CREATE OR REPLACE TRIGGER entities_text_stats_delete AFTER DELETE ON public.entities
  REFERENCING OLD TABLE AS graphstore_old FOR EACH STATEMENT EXECUTE FUNCTION public.graphstore_text_stats();
INSERT INTO public.meta (key, value) VALUES ('schema_version', '5');
