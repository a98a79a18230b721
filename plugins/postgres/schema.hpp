// The tables graphstore keeps in a PostgreSQL schema, and their creation.
//
// initialize_schema creates the schema on first use and migrates older
// versions, under a transaction-scoped advisory lock keyed by the schema's
// name, so any number of processes may start at once; when the schema is
// already at this version it only reads its meta row. Version 2 adds the
// source indexes; version 3 the functions behind the reference's table names
// (reference_views.hpp), whose views exist when the reference_views option
// asked for them; version 4 text_stats; version 5 its embedded column.
// Layout (version 1):
//
//   meta(key, value)                       schema_version
//   entities(tenant_id, id, entity_type, properties text, properties_jsonb
//            (generated, GIN jsonb_path_ops), embedding real[], text_tokens
//            tsvector (GIN), token_count, created_at, updated_at bigint us,
//            source)                       PK (tenant_id, id)
//   relations(tenant_id, id, relation_type, source_id, target_id,
//             properties, properties_jsonb, weight double precision,
//             created_at, updated_at, source)   PK (tenant_id, id)
//   tenants(tenant_id)                     tenants written through this plugin
//   text_stats(tenant_id, entity_type, documents, tokens)   (version 4)
//                                          BM25's corpus statistics as
//                                          deltas: statement triggers on
//                                          entities append one row per
//                                          (tenant, type) a statement
//                                          changed; text_search sums them
//                                          and folds many into one
//             + embedded                   (version 5) entities holding an
//                                          embedding, for vector_search's
//                                          route (vector_plan.hpp)
//
// Ids and types use COLLATE "C", so ORDER BY id is bytewise like the ABI.
// properties keeps the caller's JSON text byte for byte; properties_jsonb is
// derived from it for indexed JSON queries (NULL for the rare text jsonb
// refuses: a \u0000 escape).
#ifndef GRAPHSTORE_POSTGRES_SCHEMA_HPP
#define GRAPHSTORE_POSTGRES_SCHEMA_HPP

#include <string>

#include "graphstore/plugin.hpp"
#include "pool.hpp"

namespace graphstore::postgres {

inline constexpr int kSchemaVersion = 5;

// What initialize_schema found or set up.
struct SchemaState {
  bool row_level_security = false;  // policies are on (asked for now or earlier)
  bool pgvector = false;            // asked for, and the embedding_vector column and extension are present
  std::string vector_schema;        // the schema holding pgvector's types, quoted
};

// Creates or migrates schema (a valid identifier) over c. With
// enable_pgvector, fails with UNSUPPORTED when the server has no pgvector
// extension. With row_level_security, enables and forces the tenant
// policies on both tables. With reference_views, creates the views
// graph_entities and graph_relations unless those names are taken.
sdk::Status initialize_schema(Connection& c, const std::string& schema, bool enable_pgvector, bool row_level_security,
                              bool reference_views, SchemaState* state);

// A statement template with "@S" replaced by the quoted schema.
std::string with_schema(std::string_view sql, const std::string& quoted_schema);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_SCHEMA_HPP
