// One SQLite connection (SQLiteCpp's SQLite::Database) with its cache of
// prepared statements, and the transaction scopes the store uses on it.
//
// A Connection is used by one thread at a time (the store's pool or mutex
// guarantees it), so it is opened with SQLITE_OPEN_NOMUTEX. Statements are
// prepared once per connection (keyed by the address of their SQL literal)
// and leased: a second lease of the same SQL while the first is out (a nested
// read inside the plugin) prepares another one. Every SQLite error
// is thrown as SQLite::Exception and mapped to a status by errors.hpp.
#ifndef GRAPHSTORE_SQLITE_CONNECTION_HPP
#define GRAPHSTORE_SQLITE_CONNECTION_HPP

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graphstore/abi.h"
#include "options.hpp"

namespace graphstore::sqlite {

// A prepared statement: binds (pointer, length) text without copying and
// reads columns as views valid until the next step or reset.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds are 1-based; text and blobs must outlive the statement's use.
  void bind(int i, std::string_view text);
  void bind(int i, gs_str text);  // data == NULL binds NULL
  void bind(int i, int64_t v);
  void bind(int i, double v);
  void bind_blob(int i, const void* data, size_t n);  // n == 0 binds NULL
  void bind_null(int i);

  // Steps once: true when a row is ready, false when done. Throws on error.
  bool step();
  // Steps a statement that returns no rows (or ignores them).
  void run();
  void reset();

  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  double dbl(int col) const { return sqlite3_column_double(s_, col); }
  std::string_view text(int col) const;
  // NULL becomes {NULL, 0}.
  gs_str str(int col) const;
  const void* blob(int col, size_t* n) const;

  sqlite3_stmt* raw() const { return s_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

class Connection;

// A statement on loan from a Connection; reset and returned on destruction.
class Lease {
 public:
  Lease(Connection* owner, const char* key, std::unique_ptr<Stmt> stmt);
  ~Lease();
  Lease(Lease&&) = default;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Stmt* operator->() const { return stmt_.get(); }
  Stmt& operator*() const { return *stmt_; }

 private:
  Connection* owner_;
  const char* key_;
  std::unique_ptr<Stmt> stmt_;
};

class Connection {
 public:
  // Opens path with SQLite flags (OPEN_READONLY or OPEN_READWRITE|OPEN_CREATE)
  // and applies the per-connection pragmas of options (busy timeout,
  // synchronous, cache_size, mmap_size). Throws SQLite::Exception.
  Connection(const Options& options, int flags);

  sqlite3* handle() const { return db_.getHandle(); }
  SQLite::Database& db() { return db_; }
  const Options& options() const { return *options_; }

  // The cached statement for sql, a string literal (its address is the key).
  Lease stmt(const char* sql);
  // Runs SQL without a result (DDL, pragmas, transaction control).
  void exec(const char* sql) { db_.exec(sql); }
  bool in_transaction() const { return sqlite3_get_autocommit(handle()) == 0; }

 private:
  friend class Lease;
  void give_back(const char* key, std::unique_ptr<Stmt> stmt);
  // sqlite3_wal_hook's callback on the writer: the checkpoints (see the
  // constructor). Always SQLITE_OK: the commit that calls it has happened.
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int frames);

  const Options* options_;
  SQLite::Database db_;
  std::unordered_map<const char*, std::vector<std::unique_ptr<Stmt>>> idle_;
};

// A read transaction (BEGIN ... COMMIT) so that the statements of one call
// see one snapshot. Does nothing when a transaction is already open on the
// connection (a sink reading again) or when `enabled` is false.
class ReadTxn {
 public:
  ReadTxn(Connection& c, bool enabled);
  ~ReadTxn();
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

 private:
  Connection& c_;
  bool began_ = false;
};

// A write transaction begun with BEGIN IMMEDIATE, so a lock conflict shows up
// at the start (as UNAVAILABLE, after the busy timeout) and never midway.
// Rolled back unless commit() ran.
class WriteTxn {
 public:
  explicit WriteTxn(Connection& c);
  ~WriteTxn();
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  void commit();
  void rollback();

 private:
  Connection& c_;
  bool open_ = false;
};

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_CONNECTION_HPP
