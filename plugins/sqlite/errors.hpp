// Mapping SQLite's errors to graphstore statuses, and the message of a
// database that stayed locked past the busy timeout.
#ifndef GRAPHSTORE_SQLITE_ERRORS_HPP
#define GRAPHSTORE_SQLITE_ERRORS_HPP

#include <SQLiteCpp/Exception.h>

#include <string>
#include <string_view>

#include "graphstore/checks.hpp"
#include "graphstore/plugin.hpp"

namespace graphstore::sqlite {

// "database is locked: ..., waited 0.20 s (option 'timeout' is 0.2 s)".
std::string locked_message(double waited_s, double timeout_s);

inline sdk::Error Unavailable(const std::string& message) { return sdk::Error(GS_UNAVAILABLE, message); }

// BUSY/LOCKED -> UNAVAILABLE, CORRUPT/NOTADB -> CORRUPTION, FULL/NOMEM ->
// RESOURCE_EXHAUSTED, READONLY/PERM/AUTH -> PERMISSION_DENIED, IOERR/CANTOPEN
// -> UNAVAILABLE, anything else INTERNAL. The message keeps SQLite's text.
sdk::Status to_status(const SQLite::Exception& e, double timeout_s);

// Runs fn() (returning sdk::Status), turning a SQLite::Exception into its
// status; other exceptions go on to the SDK's thunk.
template <class Fn>
sdk::Status guarded(double timeout_s, const Fn& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return to_status(e, timeout_s);
  }
}

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_ERRORS_HPP
