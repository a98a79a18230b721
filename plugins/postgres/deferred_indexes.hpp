// Secondary indexes left out of a large load and built after it.
//
// A run of bulk adds (calls with no other call of the store between them)
// that has added at least kDeferMinimum rows to a table which held fewer rows
// before the run drops the table's secondary indexes (the b-trees and GIN
// indexes no load needs: by type, adjacency, properties, text, source) in
// the loading transaction, and records their definitions in the schema's
// meta table (key 'deferred_index:<name>', value pg_get_indexdef) in that
// same transaction. Inserting entries at random places in indexes that
// outgrow shared_buffers costs most of a large load; building an index once
// afterwards is one sort. Later loads keep going without them; the first
// other call of the store that dropped them (or of any store opened while
// they are recorded) builds them, several at once on the pool's connections,
// then refreshes the planner's statistics; the store also builds them when it
// closes. The primary keys, and the small partial indexes the loads
// themselves read (embedded rows, rows without a text index), always stay.
//
// Never deferred: under row-level security (a session counts only its own
// tenant's rows, so "smaller" cannot be judged), or when the session's role
// does not own the table (DROP INDEX needs the owner).
#ifndef GRAPHSTORE_POSTGRES_DEFERRED_INDEXES_HPP
#define GRAPHSTORE_POSTGRES_DEFERRED_INDEXES_HPP

#include <cstddef>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "pool.hpp"

namespace graphstore::postgres {

class PostgresStore;

enum class Table { kEntities, kRelations };

// The fewest rows a run of loads adds before its table's indexes are
// deferred: below, dropping and building them (a transaction and a commit
// each) costs more than keeping them up (a single batch of 10,000 entities
// with its next read took 255 ms deferred, 195 ms kept).
constexpr size_t kDeferMinimum = 20000;

// In the loading transaction, before the load's own writes: drops the
// table's secondary indexes when the run of loads, `run` rows so far with
// this one's `adds` included, is a large load into a smaller table (above)
// and records their definitions. True when it dropped at least one. Throws
// what libpqxx throws.
bool defer_indexes(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, Table table, size_t run,
                   size_t adds);

// The names of the indexes recorded as deferred in the schema.
std::vector<std::string> deferred_index_names(PostgresStore& s, pqxx::transaction_base& tx);

// Builds every recorded index, up to `connections` at once on connections of
// the store's primary pool, each in its own transaction with
// maintenance_work_mem = memory_mb, and removes its record in that same
// transaction; then ANALYZEs both tables. An index another process is
// building is waited for (an advisory lock per index), not built twice.
sdk::Status build_deferred_indexes(PostgresStore& s, Pool& pool, size_t connections, int memory_mb);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_DEFERRED_INDEXES_HPP
