#include "reference_views.hpp"

#include "options.hpp"
#include "schema.hpp"

namespace graphstore::postgres {
namespace {

// @S is the quoted schema, @N its name inside a string literal (a valid
// identifier: letters, digits and '_', so it needs no escaping).
std::string expand(std::string_view sql, const std::string& schema) {
  std::string once = with_schema(sql, quote_identifier(schema));
  std::string out;
  out.reserve(once.size());
  for (size_t i = 0; i < once.size(); ++i) {
    if (once[i] == '@' && i + 1 < once.size() && once[i + 1] == 'N') {
      out += schema;
      ++i;
    } else {
      out.push_back(once[i]);
    }
  }
  return out;
}

// Microseconds since the epoch as the reference's naive UTC timestamp, and
// back; a real[] as the reference's packed float32 little-endian bytes
// (float4send is big-endian).
constexpr const char* kFunctions = R"SQL(
CREATE OR REPLACE FUNCTION @S.graphstore_ref_timestamp(us bigint) RETURNS timestamp
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN TIMESTAMP '1970-01-01 00:00:00' + us * INTERVAL '1 microsecond';
CREATE OR REPLACE FUNCTION @S.graphstore_ref_microseconds(t timestamp) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM t) * 1000000)::bigint;
CREATE OR REPLACE FUNCTION @S.graphstore_ref_float4_le(v real[]) RETURNS bytea
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (SELECT coalesce(string_agg(substr(b, 4, 1) || substr(b, 3, 1) || substr(b, 2, 1) || substr(b, 1, 1),
                                     ''::bytea ORDER BY n), ''::bytea)
          FROM (SELECT float4send(x) AS b, n FROM unnest(v) WITH ORDINALITY AS u(x, n)) AS s);

CREATE OR REPLACE FUNCTION @S.graphstore_ref_entities_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- As delete_entity: the tenant's entity lock (bulk relation loads hold it
    -- shared), the entity, then its relations in a second statement, which
    -- sees relations committed while the first waited for the row lock.
    PERFORM pg_advisory_xact_lock(hashtextextended('graphstore:@N:entities:' || OLD.tenant_id, 0));
    DELETE FROM @S.entities WHERE tenant_id = OLD.tenant_id AND id = OLD.id;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    DELETE FROM @S.relations WHERE tenant_id = OLD.tenant_id AND (source_id = OLD.id OR target_id = OLD.id);
    RETURN OLD;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id
       OR NEW.properties IS DISTINCT FROM OLD.properties OR NEW.embedding IS DISTINCT FROM OLD.embedding THEN
      RAISE EXCEPTION 'graph_entities: UPDATE may change entity_type, created_at and updated_at only'
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Change ids, tenants, properties and embeddings through a graphstore store (update_entity), '
                     'which keeps the text index and the embedding dimension checked.';
    END IF;
    UPDATE @S.entities SET
      entity_type = NEW.entity_type,
      created_at = @S.graphstore_ref_microseconds(NEW.created_at),
      updated_at = CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at
                        THEN @S.graphstore_ref_microseconds(NEW.updated_at)
                        ELSE @S.graphstore_ref_microseconds((now() AT TIME ZONE 'UTC')::timestamp) END
    WHERE tenant_id = OLD.tenant_id AND id = OLD.id;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'graph_entities: INSERT is not supported through this view'
    USING ERRCODE = 'feature_not_supported',
          HINT = 'Add entities through a graphstore store (add_entity), which stamps timestamps, indexes text '
                 'and checks the embedding dimension.';
END
$fn$;

CREATE OR REPLACE FUNCTION @S.graphstore_ref_relations_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM @S.relations WHERE tenant_id = OLD.tenant_id AND id = OLD.id;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    RETURN OLD;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id
       OR NEW.source_id IS DISTINCT FROM OLD.source_id OR NEW.target_id IS DISTINCT FROM OLD.target_id THEN
      RAISE EXCEPTION 'graph_relations: UPDATE may not change id, tenant_id, source_id or target_id'
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Delete the relation and add a new one through a graphstore store, which checks its endpoints.';
    END IF;
    IF NEW.properties IS NULL OR jsonb_typeof(NEW.properties) <> 'object' OR NEW.weight IS NULL THEN
      RAISE EXCEPTION 'graph_relations: properties must be a JSON object and weight a number'
        USING ERRCODE = 'not_null_violation';
    END IF;
    UPDATE @S.relations SET
      relation_type = NEW.relation_type,
      properties = CASE WHEN NEW.properties IS DISTINCT FROM OLD.properties
                        THEN NEW.properties::text ELSE properties END,
      weight = CASE WHEN NEW.weight IS DISTINCT FROM OLD.weight THEN NEW.weight ELSE weight END,
      created_at = @S.graphstore_ref_microseconds(NEW.created_at),
      updated_at = CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at
                        THEN @S.graphstore_ref_microseconds(NEW.updated_at)
                        ELSE @S.graphstore_ref_microseconds((now() AT TIME ZONE 'UTC')::timestamp) END
    WHERE tenant_id = OLD.tenant_id AND id = OLD.id;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'graph_relations: INSERT is not supported through this view'
    USING ERRCODE = 'feature_not_supported',
          HINT = 'Add relations through a graphstore store (add_relation), which checks that both endpoints exist.';
END
$fn$;
)SQL";

// weight is double precision in graphstore and REAL in the reference: the
// view shows the reference's type; an UPDATE keeps the stored double unless
// the weight itself changes. properties_jsonb is NULL only for JSON text
// holding a \u0000 escape, which jsonb cannot store.
constexpr const char* kViews = R"SQL(
CREATE VIEW @S.graph_entities WITH (security_invoker = true) AS
  SELECT id, tenant_id, entity_type, properties_jsonb AS properties,
         @S.graphstore_ref_float4_le(embedding) AS embedding,
         @S.graphstore_ref_timestamp(created_at) AS created_at, @S.graphstore_ref_timestamp(updated_at) AS updated_at
  FROM @S.entities;
CREATE VIEW @S.graph_relations WITH (security_invoker = true) AS
  SELECT id, tenant_id, relation_type, source_id, target_id, properties_jsonb AS properties,
         weight::real AS weight,
         @S.graphstore_ref_timestamp(created_at) AS created_at, @S.graphstore_ref_timestamp(updated_at) AS updated_at
  FROM @S.relations;
CREATE TRIGGER graph_entities_write INSTEAD OF INSERT OR UPDATE OR DELETE ON @S.graph_entities
  FOR EACH ROW EXECUTE FUNCTION @S.graphstore_ref_entities_write();
CREATE TRIGGER graph_relations_write INSTEAD OF INSERT OR UPDATE OR DELETE ON @S.graph_relations
  FOR EACH ROW EXECUTE FUNCTION @S.graphstore_ref_relations_write();
COMMENT ON VIEW @S.graph_entities IS 'The reference system''s graph_entities over graphstore''s entities (docs/python.md)';
COMMENT ON VIEW @S.graph_relations IS 'The reference system''s graph_relations over graphstore''s relations (docs/python.md)';
)SQL";

}  // namespace

void create_reference_functions(pqxx::transaction_base& tx, const std::string& schema) {
  tx.exec(expand(kFunctions, schema));
}

bool create_reference_views(pqxx::transaction_base& tx, const std::string& schema) {
  const std::string q = quote_identifier(schema);
  pqxx::result taken = tx.exec_params(
      "SELECT to_regclass($1) IS NOT NULL OR to_regclass($2) IS NOT NULL", q + ".graph_entities",
      q + ".graph_relations");
  if (taken[0][0].as<bool>()) return false;
  tx.exec(expand(kViews, schema));
  return true;
}

}  // namespace graphstore::postgres
