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
#ifndef GRAPHSTORE_SQLITE_SCHEMA_HPP
#define GRAPHSTORE_SQLITE_SCHEMA_HPP

#include <cstdint>

#include "connection.hpp"

namespace graphstore::sqlite {

inline constexpr int kSchemaVersion = 1;
inline constexpr int32_t kApplicationId = 0x47534442;  // "GSDB"

// Checks, then creates or upgrades (when writable), the schema of c's
// database, and then sets the journal mode of options. Throws sdk::Error
// (INVALID_ARGUMENT naming option 'path', or PERMISSION_DENIED for a
// read-only file that needs writing) or SQLite::Exception.
void prepare_schema(Connection& c, bool writable);

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_SCHEMA_HPP
