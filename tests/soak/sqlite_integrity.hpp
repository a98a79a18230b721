// PRAGMA integrity_check on a database file, over a connection of its own
// (read-only), for the SQLite soak's end.
#ifndef GRAPHSTORE_TESTS_SOAK_SQLITE_INTEGRITY_HPP
#define GRAPHSTORE_TESTS_SOAK_SQLITE_INTEGRITY_HPP

#include <string>

namespace graphstore::soak {

// True when SQLite says "ok"; false with *detail holding what it said, or
// why the file could not be opened.
bool sqlite_integrity_ok(const std::string& path, std::string* detail);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_SQLITE_INTEGRITY_HPP
