// SqliteStore: opening, the connection pool, counters and the Tier 1 reads.
#include "graphstore/checks.hpp"
#include "store.hpp"

#include <filesystem>
#include <system_error>

#include "errors.hpp"
#include "graphstore/scoring.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "store_impl.hpp"

namespace graphstore::sqlite {

// ---- WriteState --------------------------------------------------------------

int64_t WriteState::entity_rid(std::string_view tenant, std::string_view id) {
  if (int64_t rid = endpoints ? endpoints->find(tenant, id) : 0; rid != 0) return rid;
  auto s = c.stmt("SELECT rid FROM entities INDEXED BY entities_key WHERE tenant = ?1 AND id = ?2");
  s->bind(1, tenant);
  s->bind(2, id);
  return s->step() ? s->i64(0) : 0;
}

void WriteState::remember_entity(std::string_view tenant, std::string_view id, int64_t rid) {
  if (endpoints == nullptr) return;
  endpoints->put(tenant, id, rid);
  endpoints_filled = true;
}

void WriteState::forget_entities() {
  if (endpoints != nullptr) endpoints->clear();
}

void WriteState::count(std::string_view tenant, int kind, std::string_view type, int64_t n, int64_t tokens) {
  // Bulk adds mostly repeat the previous key.
  if (last_key == nullptr || std::get<1>(*last_key) != kind || std::get<0>(*last_key) != tenant ||
      std::get<2>(*last_key) != type) {
    auto it = counts.try_emplace(CountKey{std::string(tenant), kind, std::string(type)}).first;
    last_key = &it->first;
    last_count = &it->second;
  }
  last_count->first += n;
  last_count->second += tokens;
}

void WriteState::flush_counts() {
  for (const auto& [key, d] : counts) {
    if (d.first == 0 && d.second == 0) continue;
    const auto& [tenant, kind, type] = key;
    auto up = c.stmt(
        "INSERT INTO type_counts(tenant, kind, type, count, tokens) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(tenant, kind, type) DO UPDATE SET count = count + excluded.count, tokens = tokens + "
        "excluded.tokens");
    up->bind(1, std::string_view(tenant));
    up->bind(2, int64_t(kind));
    up->bind(3, std::string_view(type));
    up->bind(4, d.first);
    up->bind(5, d.second);
    up->run();
    if (d.first < 0) {
      auto del = c.stmt("DELETE FROM type_counts WHERE tenant = ?1 AND kind = ?2 AND type = ?3 AND count <= 0");
      del->bind(1, std::string_view(tenant));
      del->bind(2, int64_t(kind));
      del->bind(3, std::string_view(type));
      del->run();
    }
  }
  counts.clear();
  last_key = nullptr;
  last_count = nullptr;
}

void WriteState::add_text(int64_t rid, const std::string& body) {
  auto s = direct_text ? c.stmt("INSERT INTO entity_text(rowid, body) VALUES(?1, ?2)")
                       : c.stmt("INSERT INTO text_pending(rid, body) VALUES(?1, ?2)");
  s->bind(1, rid);
  s->bind(2, std::string_view(body));
  s->run();
  pending_written = pending_written || !direct_text;
}

void WriteState::remove_text(int64_t rid, const std::string& body) {
  {
    auto s = c.stmt("DELETE FROM text_pending WHERE rid = ?1");
    s->bind(1, rid);
    s->run();
  }
  if (sqlite3_changes(c.handle()) > 0) return;
  auto s = c.stmt("INSERT INTO entity_text(entity_text, rowid, body) VALUES('delete', ?1, ?2)");
  s->bind(1, rid);
  s->bind(2, std::string_view(body));
  s->run();
}

void WriteState::finish() {
  flush_counts();
  if (!pending_written) return;
  int64_t pending = 0;
  {
    auto s = c.stmt("SELECT count(*) FROM text_pending");
    if (s->step()) pending = s->i64(0);
  }
  if (pending < kPendingText) return;
  c.stmt("INSERT INTO entity_text(rowid, body) SELECT rid, body FROM text_pending")->run();
  c.stmt("DELETE FROM text_pending")->run();
}

sdk::Status SqliteStore::build_deferred_indexes() {
  if (options_.read_only)
    return sdk::make_error(GS_UNAVAILABLE, "sqlite: '" + options_.path +
                                               "' has no adjacency and type indexes yet (a bulk load left them to be built) "
                                               "and this store is read_only; a read-write store builds them on its "
                                               "first call that needs them");
  sdk::Status s = write("", [this](WriteState& w) {
    create_deferred_indexes(w.c);
    endpoints_.clear();
    return sdk::Status::Ok();
  });
  if (s.ok()) indexes_seen_ = true;
  return s;
}

// ---- Opening -----------------------------------------------------------------

SqliteStore::SqliteStore(Options options)
    : options_(std::move(options)),
      vectors_(std::make_unique<VectorIndexes>(options_.vectors, options_.in_memory() ? "" : options_.path + ".vectors",
                                               !options_.read_only)) {}

SqliteStore::~SqliteStore() {
  // A file left by a finished load is whole; a failure here (the lock held
  // past the timeout, say) leaves the build to the next call that needs them.
  if (dropped_indexes_) {
    try {
      (void)build_deferred_indexes();
    } catch (...) {
    }
  }
  if (main_) vectors_->save(*main_);
  idle_readers_.clear();
  main_.reset();
}

sdk::Status SqliteStore::open(const gs_host*, std::string_view options_json, std::unique_ptr<SqliteStore>* out) {
  Options options;
  if (sdk::Status s = parse_options(options_json, &options); !s.ok()) return s;
  auto store = std::make_unique<SqliteStore>(std::move(options));
  const Options& o = store->options_;
  if (!o.in_memory() && !o.read_only) {
    std::filesystem::path parent = std::filesystem::path(o.path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec)
        return sdk::make_error(GS_PERMISSION_DENIED,
                               "option 'path': cannot create directory '" + parent.string() + "': " + ec.message());
    }
  }
  if (o.read_only && !std::filesystem::exists(o.path))
    return sdk::make_error(GS_NOT_FOUND, "option 'path': '" + o.path + "' does not exist (and read_only is set)");
  sdk::Status s = guarded(o.timeout_s, [&]() -> sdk::Status {
    int flags = o.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    try {
      store->main_ = std::make_unique<Connection>(o, flags);
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB)
        return sdk::make_error(
            GS_INVALID_ARGUMENT,
            "option 'path': '" + o.path + "' is not a SQLite database (sqlite: " + e.what() + "); refusing to open it");
      return sdk::make_error(GS_UNAVAILABLE, "option 'path': cannot open '" + o.path + "': " + e.what());
    }
    prepare_schema(*store->main_, !o.read_only);
    store->indexes_seen_ = deferred_indexes_present(*store->main_);
    store->vectors_->attach(*store->main_);
    return sdk::Status::Ok();
  });
  if (!s.ok()) return s;
  *out = std::move(store);
  return sdk::Status::Ok();
}

std::unique_ptr<Connection> SqliteStore::take_reader() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      ++lent_readers_;
      return c;
    }
  }
  auto c = std::make_unique<Connection>(options_, SQLITE_OPEN_READONLY);
  std::lock_guard<std::mutex> lock(pool_mu_);
  ++lent_readers_;
  return c;
}

void SqliteStore::return_reader(std::unique_ptr<Connection> c) {
  if (!c) return;
  std::lock_guard<std::mutex> lock(pool_mu_);
  --lent_readers_;
  if (idle_readers_.size() < 16) idle_readers_.push_back(std::move(c));
}

sdk::Status SqliteStore::collect_gauges(sdk::GaugeSink sink) {
  size_t idle, lent;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    idle = idle_readers_.size();
    lent = lent_readers_;
  }
  sdk::report_gauge(sink, "reader_connections_idle", "Read-only connections kept open for reads.", double(idle));
  sdk::report_gauge(sink, "reader_connections_in_use", "Read-only connections lent to reads.", double(lent));
  if (vectors_->enabled()) {
    sdk::report_gauge(sink, "vector_index_bytes", "Bytes the HNSW vector indexes hold in memory.",
                      double(vectors_->memory_bytes()));
    sdk::report_gauge(sink, "vector_index_vectors", "Vectors the HNSW vector indexes hold.", double(vectors_->vectors()));
  }
  return sdk::Status::Ok();
}

sdk::Status SqliteStore::collect_state(sdk::StateSink sink) {
  if (vectors_->enabled()) {
    sdk::report_state(sink, "vector_index",
                      hnsw::describe_vector_index(options_.vectors.params, vectors_->vectors(), vectors_->memory_bytes()));
    sdk::report_state(sink, "vector_index_origin", vectors_->origin());
  } else {
    sdk::report_state(sink, "vector_index", "exact");
  }
  sdk::report_state(sink, "relation_indexes", indexes_seen_ ? "present" : "absent");
  return sdk::Status::Ok();
}

// ---- Tier 1 reads ---------------------------------------------------------------

sdk::Status SqliteStore::get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink) {
  return read(tenant, [&](Connection& c) {
    auto s = c.stmt("SELECT " GS_SQLITE_ENTITY_COLS " FROM entities e INDEXED BY entities_key WHERE e.tenant = ?1 AND e.id = ?2");
    s->bind(1, tenant);
    s->bind(2, id);
    if (!s->step()) return sdk::not_found("entity", id, tenant);
    EntityReader reader;
    gs_entity e = reader.read(*s, 0, tenant);
    sink(&e);
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink) {
  return read(tenant, [&](Connection& c) {
    auto s = c.stmt("SELECT " GS_SQLITE_RELATION_COLS " FROM relations r INDEXED BY relations_key" GS_SQLITE_RELATION_ENDS
                    " WHERE r.tenant = ?1 AND r.id = ?2");
    s->bind(1, tenant);
    s->bind(2, id);
    if (!s->step()) return sdk::not_found("relation", id, tenant);
    gs_relation r = read_relation_row(*s, 0, tenant);
    sink(&r);
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::for_each_entity(std::string_view tenant, sdk::EntitySink sink) {
  return read(tenant, [&](Connection& c) {
    auto s = c.stmt("SELECT " GS_SQLITE_ENTITY_COLS " FROM entities e INDEXED BY entities_key WHERE e.tenant = ?1 ORDER BY e.id");
    s->bind(1, tenant);
    EntityReader reader;
    while (s->step()) {
      gs_entity e = reader.read(*s, 0, tenant);
      if (!sink(&e)) break;
    }
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::for_each_relation(std::string_view tenant, sdk::RelationSink sink) {
  return read(tenant, [&](Connection& c) {
    auto s = c.stmt("SELECT " GS_SQLITE_RELATION_COLS " FROM relations r INDEXED BY relations_key" GS_SQLITE_RELATION_ENDS
                    " WHERE r.tenant = ?1 ORDER BY r.id");
    s->bind(1, tenant);
    while (s->step()) {
      gs_relation r = read_relation_row(*s, 0, tenant);
      if (!sink(&r)) break;
    }
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::list_tenants(sdk::TenantSink sink) {
  return read("", [&](Connection& c) {
    auto s = c.stmt("SELECT DISTINCT tenant FROM type_counts WHERE kind = 1 AND tenant <> '' AND count > 0");
    std::vector<std::string> names;
    while (s->step()) names.emplace_back(s->text(0));
    s->reset();
    for (const auto& t : names)
      if (!sink(gs_str{t.data(), t.size()})) break;
    return sdk::Status::Ok();
  });
}

sdk::Status SqliteStore::get_stats(std::string_view tenant, sdk::StatsSink sink) {
  return read(tenant, [&](Connection& c) {
    auto s = c.stmt("SELECT kind, type, count FROM type_counts WHERE tenant = ?1 AND count > 0 ORDER BY kind, type");
    s->bind(1, tenant);
    while (s->step()) {
      std::string_view type = s->text(1);
      if (!sink(int32_t(s->i64(0)), as_str(type), uint64_t(s->i64(2)))) break;
    }
    return sdk::Status::Ok();
  });
}

}  // namespace graphstore::sqlite
