#include "connection.hpp"

#include <SQLiteCpp/Exception.h>

#include <chrono>
#include <string>

#include "errors.hpp"
#include "wal_vfs.hpp"

namespace graphstore::sqlite {

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

namespace {
void check_bind(sqlite3* db, int rc) {
  if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
}
}  // namespace

void Stmt::bind(int i, std::string_view text) {
  check_bind(db_, sqlite3_bind_text64(s_, i, text.data() ? text.data() : "", text.size(), SQLITE_STATIC, SQLITE_UTF8));
}
void Stmt::bind(int i, gs_str text) {
  if (text.data == nullptr) return bind_null(i);
  check_bind(db_, sqlite3_bind_text64(s_, i, text.data, text.len, SQLITE_STATIC, SQLITE_UTF8));
}
void Stmt::bind(int i, int64_t v) { check_bind(db_, sqlite3_bind_int64(s_, i, v)); }
void Stmt::bind(int i, double v) { check_bind(db_, sqlite3_bind_double(s_, i, v)); }
void Stmt::bind_blob(int i, const void* data, size_t n) {
  if (n == 0 || data == nullptr) return bind_null(i);
  check_bind(db_, sqlite3_bind_blob64(s_, i, data, n, SQLITE_STATIC));
}
void Stmt::bind_null(int i) { check_bind(db_, sqlite3_bind_null(s_, i)); }

bool Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's own code is the extended one since prepare_v3.
  throw SQLite::Exception(db_, rc);
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() { sqlite3_reset(s_); }

std::string_view Stmt::text(int col) const {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  int n = sqlite3_column_bytes(s_, col);
  return p ? std::string_view(p, size_t(n)) : std::string_view();
}

gs_str Stmt::str(int col) const {
  if (is_null(col)) return gs_str{nullptr, 0};
  const char* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  int n = sqlite3_column_bytes(s_, col);
  return gs_str{p ? p : "", size_t(n)};
}

const void* Stmt::blob(int col, size_t* n) const {
  const void* p = sqlite3_column_blob(s_, col);
  *n = size_t(sqlite3_column_bytes(s_, col));
  return p;
}

Lease::Lease(Connection* owner, const char* key, std::unique_ptr<Stmt> stmt)
    : owner_(owner), key_(key), stmt_(std::move(stmt)) {}

Lease::~Lease() {
  if (stmt_) {
    stmt_->reset();
    try {
      owner_->give_back(key_, std::move(stmt_));
    } catch (...) {
      // Out of memory while caching: the statement is simply finalized.
    }
  }
}

Connection::Connection(const Options& options, int flags)
    : options_(&options),
      db_(options.path.c_str(), flags | SQLITE_OPEN_NOMUTEX, options.timeout_ms(), wal_gathering_vfs()) {
  sqlite3_extended_result_codes(handle(), 1);
  db_.exec(("PRAGMA synchronous = " + options.synchronous).c_str());
  db_.exec(("PRAGMA cache_size = " + std::to_string(options.cache_size)).c_str());
  if ((flags & SQLITE_OPEN_READWRITE) && options.wal_autocheckpoint > 0) {
    // SQLite's automatic checkpoint is PASSIVE: it copies only the frames no
    // reader still needs, and the log starts over only when a checkpoint has
    // copied them all. With several processes reading without pause there is
    // always a reader in the log, so it never starts over and grows without
    // bound (graphstore_soak, 4 processes x 4 threads: 385 MiB in 30 s, 2.9
    // GiB in 3 minutes, for a 27 MiB database). This hook checkpoints as the
    // automatic one does, and once the log holds twice the threshold
    // runs a RESTART checkpoint, which waits (up to the busy timeout) for the
    // readers to move past the log so the next commit starts it over;
    // journal_size_limit then gives the file's space back.
    sqlite3_wal_hook(handle(), &Connection::on_wal_commit, this);
    db_.exec(("PRAGMA journal_size_limit = " + std::to_string(int64_t(2) * options.wal_autocheckpoint * 4096)).c_str());
  } else if (flags & SQLITE_OPEN_READWRITE) {
    db_.exec("PRAGMA wal_autocheckpoint = 0");
  }
  int64_t mmap = options.mmap_size >= 0                                       ? options.mmap_size
                 : (flags & SQLITE_OPEN_READONLY) && !options.in_memory() ? kReaderMmapBytes
                                                                          : 0;
  if (mmap > 0) db_.exec(("PRAGMA mmap_size = " + std::to_string(mmap)).c_str());
}

int Connection::on_wal_commit(void* self, sqlite3* db, const char* schema, int frames) {
  const int64_t threshold = static_cast<Connection*>(self)->options_->wal_autocheckpoint;
  if (frames < threshold) return SQLITE_OK;
  int mode = frames >= 2 * threshold ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE;
  // The commit has happened whatever this returns; a checkpoint that cannot
  // finish now (busy) is tried again at the next commit.
  (void)sqlite3_wal_checkpoint_v2(db, schema, mode, nullptr, nullptr);
  return SQLITE_OK;
}

Lease Connection::stmt(const char* sql) {
  auto it = idle_.find(sql);
  if (it != idle_.end() && !it->second.empty()) {
    std::unique_ptr<Stmt> s = std::move(it->second.back());
    it->second.pop_back();
    return Lease(this, sql, std::move(s));
  }
  return Lease(this, sql, std::make_unique<Stmt>(handle(), sql));
}

void Connection::give_back(const char* key, std::unique_ptr<Stmt> stmt) {
  auto& list = idle_[key];
  if (list.size() < 4) list.push_back(std::move(stmt));
}

ReadTxn::ReadTxn(Connection& c, bool enabled) : c_(c) {
  if (!enabled || c.in_transaction()) return;
  c.stmt("BEGIN")->run();
  began_ = true;
}

ReadTxn::~ReadTxn() {
  if (!began_) return;
  // A read transaction has nothing to lose; COMMIT only ends it.
  if (sqlite3_exec(c_.handle(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    sqlite3_exec(c_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

WriteTxn::WriteTxn(Connection& c) : c_(c) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    c.stmt("BEGIN IMMEDIATE")->run();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      throw Unavailable(locked_message(waited, c.options().timeout_s));
    }
    throw;
  }
  open_ = true;
}

WriteTxn::~WriteTxn() {
  if (open_) rollback();
}

void WriteTxn::commit() {
  auto t0 = std::chrono::steady_clock::now();
  try {
    c_.stmt("COMMIT")->run();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    rollback();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      throw Unavailable(locked_message(waited, c_.options().timeout_s));
    }
    throw;
  }
  open_ = false;
}

void WriteTxn::rollback() {
  open_ = false;
  if (c_.in_transaction()) sqlite3_exec(c_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace graphstore::sqlite
