// The reference system's table names over graphstore's tables: the views
// graph_entities and graph_relations, so that SQL written against the
// reference (reports, clean-up scripts) keeps working on a graphstore
// schema. Columns as the reference's (AIECS_API.md §3.3):
//
//   graph_entities(id, tenant_id, entity_type, properties jsonb, embedding
//                  bytea (float32 little-endian, packed), created_at,
//                  updated_at timestamp (UTC))
//   graph_relations(id, tenant_id, relation_type, source_id, target_id,
//                   properties jsonb, weight real, created_at, updated_at)
//
// The views are security_invoker, so the caller's row-level security
// applies. Writes go through INSTEAD OF triggers that keep graphstore's
// invariants: DELETE from graph_entities also deletes the entity's
// relations (under the tenant's entity lock, as delete_entity); UPDATE
// may change types, relation properties and weights and the timestamps
// (updated_at is stamped when not set); INSERT, and UPDATE of ids, tenants,
// endpoints, entity properties or embeddings, are refused (feature not
// supported): they need the store's checks and text index.
#ifndef GRAPHSTORE_POSTGRES_REFERENCE_VIEWS_HPP
#define GRAPHSTORE_POSTGRES_REFERENCE_VIEWS_HPP

#include <pqxx/pqxx>
#include <string>

namespace graphstore::postgres {

// The functions behind the views (schema version 3): the embedding
// conversion and the trigger functions. Idempotent (CREATE OR REPLACE).
void create_reference_functions(pqxx::transaction_base& tx, const std::string& schema);

// Creates both views and their triggers in schema unless either name is
// already taken by anything (a table of the reference in this schema is
// never touched); returns whether it created them.
bool create_reference_views(pqxx::transaction_base& tx, const std::string& schema);

// SQL returning one boolean: true when nothing is left to do for the views
// of schema (both names exist, or one is taken by something that is not a
// view). Takes the quoted names of the two views as $1 and $2.
inline constexpr const char* kReferenceViewsSettledSql =
    "SELECT (to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL) OR "
    "EXISTS (SELECT 1 FROM pg_class WHERE oid IN (to_regclass($1), to_regclass($2)) AND relkind <> 'v')";

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_REFERENCE_VIEWS_HPP
