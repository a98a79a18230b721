#include "schema.hpp"

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "endpoint_cache.hpp"
#include "errors.hpp"
#include "text.hpp"

namespace graphstore::sqlite {
namespace {

const char* const kCreateMeta =
    "CREATE TABLE graphstore_meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID";

// Version 3, the current layout: records in rowid tables (rid: the entity's
// or relation's integer key; an entity's rid is also the FTS5 rowid of its
// text), ids unique per tenant through the *_key indexes, relations pointing
// at their endpoints' rids. The entity and relation tables are created under
// these names and renamed by the upgrade, so the statements serve both.
const char* const kEntitiesV3 =
    "CREATE TABLE %s(rid INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, entity_type TEXT NOT NULL,"
    " properties TEXT NOT NULL, embedding BLOB, dim INTEGER NOT NULL, tokens INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, source TEXT)";
const char* const kRelationsV3 =
    "CREATE TABLE %s(rid INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, relation_type TEXT NOT NULL,"
    " source_rid INTEGER NOT NULL, target_rid INTEGER NOT NULL, properties TEXT NOT NULL, weight REAL NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, source TEXT)";

// Shared by every version since 1.
const char* const kCounterAndTextTables[] = {
    "CREATE TABLE type_counts("
    " tenant TEXT NOT NULL, kind INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,"
    " tokens INTEGER NOT NULL, PRIMARY KEY (tenant, kind, type)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE entity_text USING fts5(body, content='', columnsize=0, detail=none, tokenize='ascii')",
    // Text of recent single-record writes, moved into entity_text in batches.
    "CREATE TABLE text_pending(rid INTEGER PRIMARY KEY, body TEXT NOT NULL)",
};

// Indexes a load never drops: the ids' uniqueness per tenant, and two whose
// entries a load appends (one key per tenant and dimension or source).
const char* const kKeptIndexesV3[] = {
    "CREATE UNIQUE INDEX entities_key ON entities(tenant, id)",
    "CREATE UNIQUE INDEX relations_key ON relations(tenant, id)",
    "CREATE INDEX entities_dim ON entities(tenant, dim) WHERE dim > 0",
};

// Version 2: the records of one source, for delete_by_source. Partial: a
// record without a source costs no index entry.
const char* const kSourceIndexes[] = {
    "CREATE INDEX IF NOT EXISTS source_entities ON entities(tenant, source) WHERE source IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS source_relations ON relations(tenant, source) WHERE source IS NOT NULL",
};

// The indexes a large load defers (schema.hpp): adjacency out and in, and
// the records by type, in id order for keyset scans. An adjacency entry is
// (endpoint rid, type, other endpoint rid, relation id) and carries the rest
// of the relation (its rid too, as every index entry does), so the relations
// of a 1-hop read are one seek and a short run of neighbouring entries, never
// a row each: at 10M/30M a raw 1-hop read took 64 us with the relation rows
// fetched and 28 us with them in the entry (median over 20,000 cold ids).
const char* const kDeferredIndexes[] = {
    "CREATE INDEX IF NOT EXISTS relations_out ON relations(source_rid, relation_type, target_rid, id, properties, "
    "weight, created_at, updated_at, source)",
    "CREATE INDEX IF NOT EXISTS relations_in ON relations(target_rid, relation_type, source_rid, id, properties, "
    "weight, created_at, updated_at, source)",
    "CREATE INDEX IF NOT EXISTS relations_type ON relations(tenant, relation_type, id)",
    "CREATE INDEX IF NOT EXISTS entities_type ON entities(tenant, entity_type, id)",
};
const char* const kDeferredIndexNames[] = {"relations_out", "relations_in", "relations_type", "entities_type"};

std::string table_sql(const char* shape, const char* name) {
  char buf[512];
  std::snprintf(buf, sizeof buf, shape, name);
  return buf;
}

struct FileState {
  int64_t application_id = 0;
  int64_t user_version = 0;
  int64_t objects = 0;  // rows of sqlite_schema
};

// The first column of the first row of sql, 0 when there is none.
int64_t first_int(Connection& c, const char* sql) {
  auto s = c.stmt(sql);
  return s->step() ? s->i64(0) : 0;
}

FileState inspect(Connection& c) {
  FileState f;
  try {
    f.application_id = first_int(c, "PRAGMA application_id");
    f.user_version = first_int(c, "PRAGMA user_version");
    f.objects = first_int(c, "SELECT count(*) FROM sqlite_schema");
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB)
      throw sdk::Error(GS_INVALID_ARGUMENT, "option 'path': '" + c.options().path +
                                                "' is not a SQLite database (sqlite: " + e.what() +
                                                "); refusing to open it");
    throw;
  }
  return f;
}

std::string hex(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(uint32_t(v)));
  return buf;
}

// Throws unless f is a graphstore file this plugin can use or upgrade, or an
// empty one. Returns true when something must be written.
bool judge(const Options& o, const FileState& f) {
  if (f.application_id == kApplicationId) {
    if (f.user_version > kSchemaVersion)
      throw sdk::Error(GS_INVALID_ARGUMENT, "option 'path': '" + o.path + "' has graphstore schema version " +
                                                std::to_string(f.user_version) + ", newer than version " +
                                                std::to_string(kSchemaVersion) +
                                                " that this sqlite plugin knows; open it with a newer graphstore");
    return f.user_version < kSchemaVersion;
  }
  if (f.application_id == 0 && f.objects == 0) return true;
  throw sdk::Error(GS_INVALID_ARGUMENT, "option 'path': '" + o.path +
                                            "' is a SQLite database but not a graphstore one (application_id " +
                                            hex(f.application_id) + ", " + std::to_string(f.objects) +
                                            " schema objects); refusing to modify it");
}

void set_version(Connection& c, int version) {
  c.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
  c.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
  c.exec(
      "INSERT INTO graphstore_meta(key, value) VALUES('application', 'graphstore') "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  auto s = c.stmt(
      "INSERT INTO graphstore_meta(key, value) VALUES('schema_version', ?1) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  std::string v = std::to_string(version);
  s->bind(1, std::string_view(v));
  s->run();
}

void add_vector_generation(Connection& c) {
  uint64_t instance = 0;
  std::random_device rd;
  instance = (uint64_t(rd()) << 32) ^ rd();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(instance));
  c.exec("INSERT OR IGNORE INTO graphstore_meta(key, value) VALUES('vector_generation', '0')");
  auto s = c.stmt("INSERT OR IGNORE INTO graphstore_meta(key, value) VALUES('instance', ?1)");
  s->bind(1, std::string_view(text));
  s->run();
}

void create_current(Connection& c) {
  c.exec(kCreateMeta);
  c.exec(table_sql(kEntitiesV3, "entities").c_str());
  c.exec(table_sql(kRelationsV3, "relations").c_str());
  for (const char* sql : kCounterAndTextTables) c.exec(sql);
  for (const char* sql : kKeptIndexesV3) c.exec(sql);
  for (const char* sql : kSourceIndexes) c.exec(sql);
  create_deferred_indexes(c);
  add_vector_generation(c);
  set_version(c, kSchemaVersion);
}

// Version 3 -> 4: the two meta rows a saved vector index is checked against.
void upgrade_3_to_4(Connection& c) {
  add_vector_generation(c);
  set_version(c, 4);
}

// Version 0 -> 1: token counts, per-type counters and the text index, all
// computed from the rows already there.
void upgrade_0_to_1(Connection& c) {
  c.exec("ALTER TABLE entities ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0");
  for (const char* sql : kCounterAndTextTables) c.exec(sql);
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> counts;
  struct Row {
    std::string tenant, id;
    int64_t rid;
    EntityText text;
  };
  std::vector<Row> with_text;  // collected first: the table is not written while it is read
  {
    auto rows = c.stmt("SELECT tenant, id, rid, entity_type, properties FROM entities");
    while (rows->step()) {
      EntityText t = entity_text(rows->text(4));
      auto& n = counts[{std::string(rows->text(0)), std::string(rows->text(3))}];
      ++n.first;
      n.second += t.tokens;
      if (t.tokens > 0)
        with_text.push_back(Row{std::string(rows->text(0)), std::string(rows->text(1)), rows->i64(2), std::move(t)});
    }
  }
  {
    auto set = c.stmt("UPDATE entities SET tokens = ?3 WHERE tenant = ?1 AND id = ?2");
    auto fts = c.stmt("INSERT INTO entity_text(rowid, body) VALUES(?1, ?2)");
    for (const Row& r : with_text) {
      set->bind(1, std::string_view(r.tenant));
      set->bind(2, std::string_view(r.id));
      set->bind(3, r.text.tokens);
      set->run();
      set->reset();
      fts->bind(1, r.rid);
      fts->bind(2, std::string_view(r.text.body));
      fts->run();
      fts->reset();
    }
  }
  auto put = c.stmt("INSERT INTO type_counts(tenant, kind, type, count, tokens) VALUES(?1, 1, ?2, ?3, ?4)");
  for (const auto& [key, n] : counts) {
    put->bind(1, std::string_view(key.first));
    put->bind(2, std::string_view(key.second));
    put->bind(3, n.first);
    put->bind(4, n.second);
    put->run();
    put->reset();
  }
  c.exec(
      "INSERT INTO type_counts(tenant, kind, type, count, tokens) "
      "SELECT tenant, 2, relation_type, count(*), 0 FROM relations GROUP BY tenant, relation_type");
  set_version(c, 1);
}

// Version 1 -> 2: the source indexes, built from the rows already there.
void upgrade_1_to_2(Connection& c) {
  for (const char* sql : kSourceIndexes) c.exec(sql);
  set_version(c, 2);
}


// Copies version 2's relations into relations_v3, each endpoint id replaced
// by its entity's rid; returns how many relations had an endpoint missing
// (not copied). Tenant by tenant, each tenant's id -> rid map is read in one
// pass over its entities into an EndpointCache, so the copy costs no index
// seek per endpoint: the same copy as two joins took 64 s at 1M/3M (a seek
// into version 2's entities table per endpoint, mostly a cache miss).
int64_t copy_relations_2_to_3(Connection& c) {
  EndpointCache rids;
  std::string tenant;
  bool first = true;
  for (;;) {
    {
      // The next tenant, by a seek on the primary key.
      auto next = first ? c.stmt("SELECT tenant FROM entities ORDER BY tenant LIMIT 1")
                        : c.stmt("SELECT tenant FROM entities WHERE tenant > ?1 ORDER BY tenant LIMIT 1");
      if (!first) next->bind(1, std::string_view(tenant));
      if (!next->step()) break;
      tenant = std::string(next->text(0));
      first = false;
    }
    rids.clear();
    {
      auto all = c.stmt("SELECT id, rid FROM entities WHERE tenant = ?1");
      all->bind(1, std::string_view(tenant));
      while (all->step()) rids.put(tenant, all->text(0), all->i64(1));
    }
    auto rid = [&](std::string_view id) -> int64_t {
      if (int64_t r = rids.find(tenant, id); r != 0) return r;
      auto one = c.stmt("SELECT rid FROM entities WHERE tenant = ?1 AND id = ?2");  // past the cache's bound
      one->bind(1, std::string_view(tenant));
      one->bind(2, id);
      return one->step() ? one->i64(0) : 0;
    };
    auto rows = c.stmt(
        "SELECT id, relation_type, source_id, target_id, properties, weight, created_at, updated_at, source "
        "FROM relations WHERE tenant = ?1");
    rows->bind(1, std::string_view(tenant));
    auto put = c.stmt(
        "INSERT INTO relations_v3(tenant, id, relation_type, source_rid, target_rid, properties, weight, created_at, "
        "updated_at, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    while (rows->step()) {
      int64_t source = rid(rows->text(2)), target = rid(rows->text(3));
      if (source == 0 || target == 0) continue;
      put->bind(1, std::string_view(tenant));
      put->bind(2, rows->text(0));
      put->bind(3, rows->text(1));
      put->bind(4, source);
      put->bind(5, target);
      put->bind(6, rows->text(4));
      put->bind(7, rows->dbl(5));
      put->bind(8, rows->i64(6));
      put->bind(9, rows->i64(7));
      put->bind(10, rows->str(8));
      put->run();
      put->reset();
    }
  }
  // Counted, not summed above: a tenant with relations but no entity is never visited.
  return first_int(c, "SELECT count(*) FROM relations") - first_int(c, "SELECT count(*) FROM relations_v3");
}

// Version 2 -> 3: the records move to rowid tables keyed by rid (an entity
// keeps its rid, so the text index stays as it is) and relations point at
// their endpoints' rids. Rows are copied in one pass each, in SQL; the
// indexes are built after the copy (one sort each).
void upgrade_2_to_3(Connection& c) {
  c.exec(
      "DROP INDEX IF EXISTS entities_rid; DROP INDEX IF EXISTS entities_type; DROP INDEX IF EXISTS entities_dim;"
      "DROP INDEX IF EXISTS relations_out; DROP INDEX IF EXISTS relations_in; DROP INDEX IF EXISTS relations_type;"
      "DROP INDEX IF EXISTS source_entities; DROP INDEX IF EXISTS source_relations");
  c.exec(table_sql(kEntitiesV3, "entities_v3").c_str());
  c.exec(
      "INSERT INTO entities_v3(rid, tenant, id, entity_type, properties, embedding, dim, tokens, created_at, "
      "updated_at, source) SELECT rid, tenant, id, entity_type, properties, embedding, dim, tokens, created_at, "
      "updated_at, source FROM entities ORDER BY rid");
  c.exec(table_sql(kRelationsV3, "relations_v3").c_str());
  int64_t dangling = copy_relations_2_to_3(c);
  if (dangling > 0)
    throw sdk::Error(GS_CORRUPTION, "option 'path': '" + c.options().path + "' holds " + std::to_string(dangling) +
                                        " relations whose endpoint entity is missing, which schema version 3 cannot "
                                        "store; nothing was changed (export the file with an older graphstore to keep "
                                        "them)");
  c.exec("DROP TABLE entities; DROP TABLE relations");
  c.exec("ALTER TABLE entities_v3 RENAME TO entities; ALTER TABLE relations_v3 RENAME TO relations");
  for (const char* sql : kKeptIndexesV3) c.exec(sql);
  for (const char* sql : kSourceIndexes) c.exec(sql);
  create_deferred_indexes(c);
  set_version(c, 3);
}

void set_journal_mode(Connection& c) {
  const Options& o = c.options();
  std::string want = o.journal_mode.empty() ? (o.in_memory() ? "MEMORY" : "WAL") : o.journal_mode;
  std::string have;
  {
    auto s = c.stmt("PRAGMA journal_mode");
    if (s->step()) have = std::string(s->text(0));
  }
  for (char& ch : have)
    if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
  if (have == want) return;
  c.exec(("PRAGMA journal_mode = " + want).c_str());
}

}  // namespace

void prepare_schema(Connection& c, bool writable) {
  const Options& o = c.options();
  FileState f = inspect(c);
  if (judge(o, f)) {
    if (!writable)
      throw sdk::Error(GS_PERMISSION_DENIED,
                       "option 'read_only': '" + o.path + "' " +
                           (f.application_id == 0 ? std::string("holds no graphstore schema yet")
                                                  : "has schema version " + std::to_string(f.user_version) +
                                                        " and needs an upgrade to " + std::to_string(kSchemaVersion)) +
                           ", which a read-only store cannot write");
    WriteTxn txn(c);
    // Another process may have created or upgraded it meanwhile.
    FileState now = inspect(c);
    if (judge(o, now)) {
      if (now.application_id == 0) {
        create_current(c);
      } else {
        for (int64_t v = now.user_version; v < kSchemaVersion; ++v) {
          if (v == 0) upgrade_0_to_1(c);
          if (v == 1) upgrade_1_to_2(c);
          if (v == 2) upgrade_2_to_3(c);
          if (v == 3) upgrade_3_to_4(c);
        }
      }
    }
    txn.commit();
  }
  if (writable) set_journal_mode(c);
}

bool deferred_indexes_present(Connection& c) {
  auto s = c.stmt("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'relations_out'");
  return s->step() && s->i64(0) > 0;
}

void drop_deferred_indexes(Connection& c) {
  for (const char* name : kDeferredIndexNames) c.exec(("DROP INDEX IF EXISTS " + std::string(name)).c_str());
}

void create_deferred_indexes(Connection& c) {
  // Each CREATE INDEX is one external sort, whose in-memory runs SQLite
  // sizes from cache_size; worker threads sort runs in parallel.
  c.exec(("PRAGMA threads = " + std::to_string(kIndexBuildThreads)).c_str());
  c.exec(("PRAGMA cache_size = " + std::to_string(-kIndexBuildCacheKiB)).c_str());
  struct Restore {
    Connection& c;
    ~Restore() {
      try {
        c.exec(("PRAGMA cache_size = " + std::to_string(c.options().cache_size)).c_str());
        c.exec("PRAGMA threads = 0");
      } catch (...) {
      }
    }
  } restore{c};
  for (const char* sql : kDeferredIndexes) c.exec(sql);
}

bool missing_deferred_index(const SQLite::Exception& e) {
  std::string_view what = e.what();
  constexpr std::string_view kPrefix = "no such index: ";
  if (!what.starts_with(kPrefix)) return false;
  what.remove_prefix(kPrefix.size());
  for (const char* name : kDeferredIndexNames)
    if (what == name) return true;
  return false;
}

}  // namespace graphstore::sqlite
