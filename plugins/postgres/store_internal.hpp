// Helpers shared by the implementation files of PostgresStore: checks, lock
// keys, and the single-record writes run inside a caller's transaction (so
// apply_batch reuses them). Each returns NOT_FOUND / ALREADY_EXISTS /
// INVALID_ARGUMENT as a status and lets libpqxx exceptions through.
#ifndef GRAPHSTORE_POSTGRES_STORE_INTERNAL_HPP
#define GRAPHSTORE_POSTGRES_STORE_INTERNAL_HPP

#include <string>
#include <string_view>

#include <pqxx/pqxx>

#include "store.hpp"

namespace graphstore::postgres {

// The text keying an advisory lock on (schema, what, tenant).
std::string lock_key(const PostgresStore& s, std::string_view what, std::string_view tenant);

// Throws sdk::Error(INVALID_ARGUMENT) when the tenant stores embeddings of
// another dimension than dim (the entity id itself excepted).
void check_embedding_dimension(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               std::string_view id, uint32_t dim);

// in_transaction: tx is a real transaction (needed for an embedding).
sdk::Status add_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                          const gs_entity& e, bool in_transaction);
sdk::Status update_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                             const gs_entity& e, bool in_transaction);
// Needs a real transaction.
sdk::Status delete_entity_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                             std::string_view id);
sdk::Status add_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                            const gs_relation& r);
sdk::Status update_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               const gs_relation& r);
sdk::Status delete_relation_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
                               std::string_view id);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_STORE_INTERNAL_HPP
