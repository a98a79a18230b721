#include "errors.hpp"

#include <sqlite3.h>

#include <cstdio>

namespace graphstore::sqlite {

std::string locked_message(double waited_s, double timeout_s) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "database is locked: another connection holds the write lock; waited %.2f s for it (option "
                "'timeout' is %g s)",
                waited_s, timeout_s);
  return buf;
}

sdk::Status to_status(const SQLite::Exception& e, double timeout_s) {
  int code = e.getErrorCode() & 0xff;
  std::string what = std::string("sqlite: ") + e.what();
  // SQLite's message may name only the statement's step that failed ("vtable
  // constructor failed: entity_text" when a read under FTS5 hit EIO); the
  // code's own words say what failed.
  if (const char* cause = e.getErrorStr(); cause != nullptr && what.find(cause) == std::string::npos)
    what += std::string(" (") + cause + ")";
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return sdk::make_error(GS_UNAVAILABLE, locked_message(timeout_s, timeout_s) + " (" + what + ")");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return sdk::make_error(GS_CORRUPTION, what);
    case SQLITE_TOOBIG:
      // A property of the record, not of the store: the same write of a
      // smaller record succeeds, so an import rejects the record and goes on.
      return sdk::make_error(GS_INVALID_ARGUMENT,
                             what +
                                 " (the record is larger than SQLite stores: a string or blob is at most "
                                 "1000000000 bytes unless SQLite was built with another SQLITE_MAX_LENGTH)");
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return sdk::make_error(GS_RESOURCE_EXHAUSTED, what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return sdk::make_error(GS_PERMISSION_DENIED, what);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return sdk::make_error(GS_UNAVAILABLE, what);
    default:
      return sdk::make_error(GS_INTERNAL, what);
  }
}

}  // namespace graphstore::sqlite
