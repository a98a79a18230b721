#include "sqlite_integrity.hpp"

#include <sqlite3.h>

namespace graphstore::soak {

bool sqlite_integrity_ok(const std::string& path, std::string* detail) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *detail = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return false;
  }
  sqlite3_busy_timeout(db, 30000);
  sqlite3_stmt* stmt = nullptr;
  std::string said;
  int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    said += (said.empty() ? "" : "; ") + std::string(text ? reinterpret_cast<const char*>(text) : "");
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE) said = std::string("integrity_check failed: ") + sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  *detail = said;
  return said == "ok";
}

}  // namespace graphstore::soak
