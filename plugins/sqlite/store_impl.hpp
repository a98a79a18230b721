// SqliteStore's read and write templates, shared by its .cpp files.
#ifndef GRAPHSTORE_SQLITE_STORE_IMPL_HPP
#define GRAPHSTORE_SQLITE_STORE_IMPL_HPP

#include "errors.hpp"
#include "schema.hpp"
#include "store.hpp"

namespace graphstore::sqlite {

// A reader connection taken from the pool for one call.
class SqliteStore::Reader {
 public:
  explicit Reader(SqliteStore& s) : store_(s), c_(s.take_reader()) {}
  ~Reader() { store_.return_reader(std::move(c_)); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  Connection& operator*() { return *c_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Connection> c_;
};

// Changes when another connection commits (SQLite's PRAGMA data_version).
inline int64_t data_version(Connection& c) {
  auto s = c.stmt("PRAGMA data_version");
  return s->step() ? s->i64(0) : 0;
}

template <class Fn>
sdk::Status SqliteStore::with_deferred_indexes(const Fn& attempt) {
  return guarded(options_.timeout_s, [&]() -> sdk::Status {
    try {
      return attempt();
    } catch (const SQLite::Exception& e) {
      if (!missing_deferred_index(e)) throw;
    }
    if (sdk::Status s = build_deferred_indexes(); !s.ok()) return s;
    return attempt();
  });
}

template <class Fn>
sdk::Status SqliteStore::read(std::string_view tenant, const Fn& fn) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  return with_deferred_indexes([&]() -> sdk::Status {
    if (memory()) {
      std::lock_guard<std::recursive_mutex> lock(memory_mu_);
      return fn(*main_);
    }
    Reader reader(*this);
    return fn(*reader);
  });
}

template <class Fn>
sdk::Status SqliteStore::write(std::string_view tenant, const Fn& fn, bool direct_text) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (options_.read_only)
    return sdk::make_error(GS_PERMISSION_DENIED, "sqlite: '" + options_.path + "' is open read_only");
  return with_deferred_indexes([&]() -> sdk::Status {
    std::unique_lock<std::recursive_mutex> memory_lock(memory_mu_, std::defer_lock);
    std::unique_lock<std::mutex> write_lock(write_mu_, std::defer_lock);
    if (memory()) {
      memory_lock.lock();
    } else {
      write_lock.lock();
    }
    WriteTxn txn(*main_);
    // Another connection's commit may have removed an entity the cache holds.
    if (int64_t version = data_version(*main_); version != data_version_) {
      endpoints_.clear();
      data_version_ = version;
    }
    WriteState state(*main_);
    state.direct_text = direct_text;
    state.endpoints = &endpoints_;
    struct ClearUnlessCommitted {
      WriteState& state;
      bool committed = false;
      ~ClearUnlessCommitted() {
        if (!committed && state.endpoints_filled) state.endpoints->clear();
      }
    } cache_guard{state};
    struct ForgetUnlessCommitted {
      VectorIndexes& vectors;
      bool committed = false;
      ~ForgetUnlessCommitted() {
        if (!committed) vectors.rolled_back();
      }
    } vector_guard{*vectors_};
    int64_t changes = sqlite3_total_changes64(main_->handle());
    sdk::Status s = fn(state);
    if (!s.ok()) {
      txn.rollback();
      return s;
    }
    state.finish();
    // Every transaction that changed a row moves the generation, so a saved
    // vector index (vector_indexes.hpp) never outlives the rows it reflects.
    // One that changed nothing noted nothing for the graphs either.
    bool changed = sqlite3_total_changes64(main_->handle()) != changes;
    int64_t generation = changed ? bump_vector_generation(*main_) : 0;
    txn.commit();
    cache_guard.committed = true;
    vector_guard.committed = true;
    if (changed) vectors_->committed(*main_, generation - 1, generation);
    return s;
  });
}

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_STORE_IMPL_HPP
