// The database layout and its versions.
//
// A graphstore database carries PRAGMA application_id = kApplicationId
// (0x47534442, "GSDB") and PRAGMA user_version = its schema version, mirrored
// in graphstore_meta (key 'schema_version', plus 'application' =
// 'graphstore'). prepare_schema() creates the current schema in an empty
// file, upgrades an older graphstore file in place inside one transaction,
// and refuses, without writing anything, a file from a newer version, a
// SQLite database of another application, or a file that is not SQLite.
//
// Versions:
//   0  the first layout: entities, relations and their indexes only.
//   1  adds entities.tokens, the per-type counters (type_counts), the FTS5
//      text index (entity_text) and its write buffer (text_pending); the
//      upgrade fills them from the rows.
//   2  adds the (tenant, source) indexes for delete_by_source.
//   3  the graph layout: entities and relations in rowid tables with their
//      ids unique per tenant through an index, relations referring to their
//      endpoints by rid, adjacency indexes on those integers (schema.cpp has
//      the tables). The upgrade copies the rows in one transaction, keeping
//      each entity's rid and so the text index.
//   4  adds graphstore_meta 'vector_generation' (moved by every write
//      transaction that changes a row) and 'instance' (random, set once):
//      what a saved vector index is checked against (vector_indexes.hpp).
//      Version 3 writers do not move the generation, so they must not open
//      the file: hence a version.
#ifndef GRAPHSTORE_SQLITE_SCHEMA_HPP
#define GRAPHSTORE_SQLITE_SCHEMA_HPP

#include <SQLiteCpp/Exception.h>

#include <cstdint>

#include "connection.hpp"

namespace graphstore::sqlite {

inline constexpr int kSchemaVersion = 4;
inline constexpr int32_t kApplicationId = 0x47534442;  // "GSDB"

// Checks, then creates or upgrades (when writable), the schema of c's
// database, and then sets the journal mode of options. Throws sdk::Error
// (INVALID_ARGUMENT naming option 'path', or PERMISSION_DENIED for a
// read-only file that needs writing) or SQLite::Exception.
void prepare_schema(Connection& c, bool writable);

// The deferred indexes (relations_out, relations_in, relations_type,
// entities_type) are the one part of the schema that may be absent: a large
// bulk load into a smaller store drops them and loads without them (see
// writes.cpp), and the first call that needs them builds them again. Every
// statement that needs one names it (INDEXED BY), so it fails at once,
// recognised by missing_deferred_index(), instead of scanning the table.
// Dropped and created together, inside the caller's write transaction.
// The build sorts with kIndexBuildThreads threads and a page cache of
// kIndexBuildCacheKiB, then restores the connection's own settings. SQLite
// sizes a sort's in-memory runs from cache_size; runs that fit the CPU's
// caches sort faster than the merge of more of them costs: relations_out
// over 3M relations took 4.3 s at the default 64 MB and one thread, 3.4 s
// with two, 2.1 s with two and 4 MB (and 6.1 s with one and 256 MB).
inline constexpr int kIndexBuildThreads = 2;
inline constexpr int64_t kIndexBuildCacheKiB = 4 * 1024;
bool deferred_indexes_present(Connection& c);
void drop_deferred_indexes(Connection& c);
void create_deferred_indexes(Connection& c);
bool missing_deferred_index(const SQLite::Exception& e);

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_SCHEMA_HPP
