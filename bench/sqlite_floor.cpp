// sqlite_floor: what SQLite itself costs for the sqlite plugin's writes on
// this machine, next to what the plugin takes through the full path
// (Registry -> Store -> C ABI -> plugin). Not a test; prints one line per
// figure. The floors run SQLite's C API directly, with prepared statements
// and the plugin's defaults (WAL, synchronous=NORMAL, 64 MB cache,
// wal_autocheckpoint=10000), on files whose schema the plugin itself created,
// so they count SQLite's work for that schema and nothing of the plugin's.
//
// The schema is version 3 (plugins/sqlite/schema.cpp): entities and relations
// in rowid tables keyed by rid, their ids unique per tenant through
// entities_key and relations_key, relations pointing at their endpoints'
// entity rids. Four indexes are deferrable: relations_out, relations_in,
// relations_type and entities_type. A bulk add of 1,000 records or more into
// a store holding fewer records than it adds drops them, and the first call
// that needs them builds them (with PRAGMA threads=2 and a 4 MiB cache).
//
//   sqlite_floor DIR       (DIR: an empty scratch directory on the disk to measure)
//
// add_entity x1,000 (each its own transaction):
//   commit floor: BEGIN IMMEDIATE, one INSERT into a one-column table, COMMIT
//   schema floor: the statements the plugin runs for one add, nothing else
//   the plugin:   Store::add_entity
// run in alternating rounds of 100, so all three see the same machine.
// Batch insert 10,000 (one transaction; median of 5, a fresh file each):
//   table only (every secondary index dropped), + the indexes a load keeps
//   (ids, dimension, source), + text index (the plugin's full work), and the
//   plugin's add_entities_bulk. Such a load into an empty store leaves the
//   deferrable indexes out, in the floors as in the plugin; the store builds
//   them when it closes, outside the timing.
// Relations, 300,000 onto 100,000 entities in batches of 100,000: without
// the deferrable indexes, with them created after the load (time included),
// with the endpoints' rids known in advance (no lookups), with the endpoints
// found in an in-memory id -> rid hash map filled while the entities were
// inserted (what the plugin's endpoint cache does), the plugin's full work
// (each endpoint looked up in entities_key), and the plugin's
// add_relations_bulk with the first read, which builds any index the load
// left out (none here: each batch adds no more records than the store holds).
// A whole load into an empty store (median of 3, alternated): the plugin's
// statements with the endpoints from a hash map and the deferrable indexes
// built after, beside add_*_bulk and the first read on a fresh store.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <type_traits>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/scoring.hpp"
#include "graphstore/store.hpp"
#include "workload.hpp"

using namespace graphstore;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "sqlite_floor: %s\n", what.c_str());
  std::exit(1);
}

// An entity's text as the plugin's FTS5 index holds it, built here from the
// plugin's documented rule (plugins/sqlite/README.md, table entity_text) rather
// than from its private header: the string values sdk::string_values reads,
// joined by single spaces, and their token count under sdk::tokenize's rule
// (runs of ASCII letters, digits and bytes >= 0x80).
struct EntityText {
  std::string body;
  int64_t tokens = 0;
};

EntityText entity_text(std::string_view properties_json) {
  EntityText t;
  for (const std::string& v : sdk::string_values(properties_json)) {
    if (!t.body.empty()) t.body.push_back(' ');
    t.body.append(v);
  }
  bool in_token = false;
  for (unsigned char c : t.body) {
    bool token_byte = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (token_byte && !in_token) ++t.tokens;
    in_token = token_byte;
  }
  return t;
}

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::unique_ptr<Store> open_store(Registry& registry, const fs::path& file) {
  std::unique_ptr<Store> store;
  Status s = registry.open("sqlite", "{\"path\":\"" + file.string() + "\"}", &store);
  if (!s.ok()) die("open " + file.string() + ": " + s.to_string());
  return store;
}

// A raw connection to a file the plugin created, with the plugin's defaults.
class Raw {
 public:
  explicit Raw(const fs::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      die("open " + file.string());
    exec("PRAGMA synchronous=NORMAL; PRAGMA cache_size=-64000; PRAGMA wal_autocheckpoint=10000");
  }
  ~Raw() {
    for (auto& [sql, s] : stmts_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  sqlite3* handle() { return db_; }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      die(std::string(sql) + ": " + sqlite3_errmsg(db_));
  }
  // The prepared statement for sql, reset and unbound.
  sqlite3_stmt* stmt(const char* sql) {
    sqlite3_stmt*& s = stmts_[sql];
    if (s == nullptr && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      die(std::string(sql) + ": " + sqlite3_errmsg(db_));
    return s;
  }
  void run(sqlite3_stmt* s) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) die(std::string(sqlite3_sql(s)) + ": " + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }
  // The first column of s's first row; 0 when it has none.
  int64_t value(sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) die(std::string(sqlite3_sql(s)) + ": " + sqlite3_errmsg(db_));
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> stmts_;
};

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_STATIC);
}

// Entity ids to their rids.
using Rids = std::unordered_map<std::string, int64_t>;

// The plugin's statements around the deferrable indexes (schema.cpp). The
// CREATE statements are read from a file the plugin created, so a floor
// builds exactly the plugin's indexes.
const char* const kDropDeferrable =
    "DROP INDEX IF EXISTS relations_out; DROP INDEX IF EXISTS relations_in; DROP INDEX IF EXISTS relations_type; "
    "DROP INDEX IF EXISTS entities_type";

std::vector<std::string> deferrable_creates(Raw& db) {
  std::vector<std::string> creates;
  sqlite3_stmt* q = db.stmt(
      "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name IN ('relations_out', 'relations_in', "
      "'relations_type', 'entities_type') ORDER BY rowid");
  while (sqlite3_step(q) == SQLITE_ROW) creates.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_reset(q);
  if (creates.size() != 4)
    die("the plugin's file has " + std::to_string(creates.size()) + " of the 4 deferrable indexes");
  return creates;
}

// The plugin's check at the start of a bulk add's transaction (writes.cpp,
// defer_indexes): true when it drops the deferrable indexes, that is when
// they are there and at least 1,000 adds go into a store holding fewer
// records than that.
bool would_defer(Raw& db, size_t adds) {
  if (adds < 1000) return false;
  if (db.value(db.stmt("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'relations_out'")) == 0)
    return false;
  return db.value(db.stmt("SELECT coalesce(sum(count), 0) FROM type_counts")) < int64_t(adds);
}

// The plugin's build of the deferrable indexes, in its own write
// transaction: each CREATE INDEX is one external sort, run with two worker
// threads and a 4 MiB page cache (the plugin's schema.hpp says why), then the connection's settings back.
void build_deferrable(Raw& db, const std::vector<std::string>& creates) {
  db.run(db.stmt("BEGIN IMMEDIATE"));
  db.run(db.stmt("PRAGMA data_version"));
  db.exec("PRAGMA threads = 2; PRAGMA cache_size = -4096");
  for (const std::string& sql : creates) db.exec(sql.c_str());
  db.exec("PRAGMA cache_size = -64000; PRAGMA threads = 0");
  db.run(db.stmt("COMMIT"));
}

// The plugin's insert of one entity row (no embedding, no source): SQLite
// picks the rid, which the plugin reads back.
int64_t insert_row(Raw& db, const Entity& e, int64_t tokens) {
  sqlite3_stmt* s = db.stmt(
      "INSERT INTO entities(tenant, id, entity_type, properties, embedding, dim, tokens, created_at, "
      "updated_at, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING");
  bind_text(s, 1, "");
  bind_text(s, 2, e.id);
  bind_text(s, 3, e.entity_type);
  bind_text(s, 4, e.properties);
  sqlite3_bind_null(s, 5);
  sqlite3_bind_int64(s, 6, 0);
  sqlite3_bind_int64(s, 7, tokens);
  sqlite3_bind_int64(s, 8, e.created_at);
  sqlite3_bind_int64(s, 9, e.updated_at);
  sqlite3_bind_null(s, 10);
  db.run(s);
  if (sqlite3_changes(db.handle()) == 0) die("entity " + e.id + " already exists");
  return sqlite3_last_insert_rowid(db.handle());
}

// The plugin's counter update; kind 1 entities, 2 relations.
void add_counts(Raw& db, int kind, std::string_view type, int64_t n, int64_t tokens) {
  sqlite3_stmt* s = db.stmt(
      "INSERT INTO type_counts(tenant, kind, type, count, tokens) VALUES(?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(tenant, kind, type) DO UPDATE SET count = count + excluded.count, tokens = tokens + "
      "excluded.tokens");
  bind_text(s, 1, "");
  sqlite3_bind_int(s, 2, kind);
  bind_text(s, 3, type);
  sqlite3_bind_int64(s, 4, n);
  sqlite3_bind_int64(s, 5, tokens);
  db.run(s);
}

// The plugin moves text_pending into the text index once it holds this many
// rows (store.hpp, WriteState::kPendingText).
constexpr int64_t kPendingText = 256;

// What the plugin's add_entity runs for an entity without an embedding: its
// cache check (data_version), the row, its text into the write buffer under
// the row's rid, the type counter, the buffer's size, and the buffer into
// the text index when full.
void schema_add(Raw& db, const Entity& e) {
  EntityText text = entity_text(e.properties);
  db.run(db.stmt("BEGIN IMMEDIATE"));
  db.run(db.stmt("PRAGMA data_version"));
  int64_t rid = insert_row(db, e, text.tokens);
  if (text.tokens > 0) {
    sqlite3_stmt* pending = db.stmt("INSERT INTO text_pending(rid, body) VALUES(?1, ?2)");
    sqlite3_bind_int64(pending, 1, rid);
    bind_text(pending, 2, text.body);
    db.run(pending);
  }
  add_counts(db, 1, e.entity_type, 1, text.tokens);
  if (text.tokens > 0 && db.value(db.stmt("SELECT count(*) FROM text_pending")) >= kPendingText) {
    db.run(db.stmt("INSERT INTO entity_text(rowid, body) SELECT rid, body FROM text_pending"));
    db.run(db.stmt("DELETE FROM text_pending"));
  }
  db.run(db.stmt("COMMIT"));
}

void commit_floor_add(Raw& db, int i) {
  db.run(db.stmt("BEGIN IMMEDIATE"));
  sqlite3_stmt* s = db.stmt("INSERT INTO floor(i) VALUES(?1)");
  sqlite3_bind_int(s, 1, i);
  db.run(s);
  db.run(db.stmt("COMMIT"));
}

// Adds every item through the store's add_*_bulk, batch items a call;
// dies unless each call adds its whole batch.
template <class Item>
void add_in_batches(Store& store, const std::vector<Item>& items, size_t batch) {
  for (size_t first = 0; first < items.size(); first += batch) {
    BulkResult result;
    std::span<const Item> part(items.data() + first, std::min(batch, items.size() - first));
    Status s;
    if constexpr (std::is_same_v<Item, Entity>) {
      s = store.add_entities_bulk("", part, &result);
    } else {
      s = store.add_relations_bulk("", part, &result);
    }
    if (!s.ok() || result.added != part.size()) die("add_*_bulk: " + s.to_string());
  }
}

enum class Bulk { kTableOnly, kIndexes, kEverything };

// The plugin's add_entities_bulk in SQL, one transaction: its deferral
// check (and drop), rows and their text straight into the text index, one
// counter update per type. rids, when given, gets each entity's rid as it is
// inserted, as the plugin's endpoint cache does.
void schema_bulk(Raw& db, const std::vector<Entity>& entities, Bulk what, Rids* rids = nullptr) {
  db.run(db.stmt("BEGIN IMMEDIATE"));
  db.run(db.stmt("PRAGMA data_version"));
  if (would_defer(db, entities.size())) db.exec(kDropDeferrable);
  std::map<std::string, std::pair<int64_t, int64_t>> counts;
  for (const Entity& e : entities) {
    EntityText text = entity_text(e.properties);
    int64_t rid = insert_row(db, e, text.tokens);
    if (rids != nullptr) rids->emplace(e.id, rid);
    if (what == Bulk::kEverything && text.tokens > 0) {
      sqlite3_stmt* s = db.stmt("INSERT INTO entity_text(rowid, body) VALUES(?1, ?2)");
      sqlite3_bind_int64(s, 1, rid);
      bind_text(s, 2, text.body);
      db.run(s);
    }
    auto& c = counts[e.entity_type];
    c.first += 1;
    c.second += text.tokens;
  }
  for (const auto& [type, c] : counts) add_counts(db, 1, type, c.first, c.second);
  db.run(db.stmt("COMMIT"));
}

// The plugin's lookup of an endpoint its cache does not hold; 0 when absent.
int64_t lookup_rid(Raw& db, std::string_view id) {
  sqlite3_stmt* s = db.stmt("SELECT rid FROM entities INDEXED BY entities_key WHERE tenant = ?1 AND id = ?2");
  bind_text(s, 1, "");
  bind_text(s, 2, id);
  return db.value(s);
}

enum class Load { kNoIndexes, kIndexesAfter, kKnownRids, kHashMap, kEverything };

// The plugin's add_relations_bulk in SQL, one transaction per batch: its
// deferral check, both endpoints resolved to their rids, the row, one
// counter update per type. The endpoints come from entities_key (kNoIndexes,
// kIndexesAfter, kEverything), from known (kKnownRids: each relation's
// source and target rids, found before the timing) or from cache (kHashMap:
// entities_key on a miss, as in the plugin). The plugin's check keeps the
// deferrable indexes for this load (each batch adds no more records than
// the store holds), so kNoIndexes and kIndexesAfter drop them in the first
// batch's transaction, as a load into a smaller store does (kIndexesAfter
// then builds them, see main).
void schema_relations(Raw& db, const std::vector<Relation>& relations, size_t batch, Load what,
                      const std::vector<std::pair<int64_t, int64_t>>& known, const Rids& cache) {
  const bool deferred = what == Load::kNoIndexes || what == Load::kIndexesAfter;
  auto resolve = [&](const std::string& id) {
    if (what == Load::kHashMap) {
      if (auto it = cache.find(id); it != cache.end()) return it->second;
    }
    return lookup_rid(db, id);
  };
  for (size_t first = 0; first < relations.size(); first += batch) {
    const size_t end = std::min(relations.size(), first + batch);
    db.run(db.stmt("BEGIN IMMEDIATE"));
    db.run(db.stmt("PRAGMA data_version"));
    if (would_defer(db, end - first) || (deferred && first == 0)) db.exec(kDropDeferrable);
    std::map<std::string, int64_t> counts;
    for (size_t i = first; i < end; ++i) {
      const Relation& r = relations[i];
      int64_t source = 0, target = 0;
      if (what == Load::kKnownRids) {
        std::tie(source, target) = known[i];
      } else {
        source = resolve(r.source_id);
        target = r.target_id == r.source_id ? source : resolve(r.target_id);
      }
      if (source == 0 || target == 0) die("relation " + r.id + ": an endpoint is missing");
      sqlite3_stmt* s = db.stmt(
          "INSERT INTO relations(tenant, id, relation_type, source_rid, target_rid, properties, weight, created_at, "
          "updated_at, source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING");
      bind_text(s, 1, "");
      bind_text(s, 2, r.id);
      bind_text(s, 3, r.relation_type);
      sqlite3_bind_int64(s, 4, source);
      sqlite3_bind_int64(s, 5, target);
      bind_text(s, 6, r.properties);
      sqlite3_bind_double(s, 7, r.weight);
      sqlite3_bind_int64(s, 8, r.created_at);
      sqlite3_bind_int64(s, 9, r.updated_at);
      sqlite3_bind_null(s, 10);
      db.run(s);
      if (sqlite3_changes(db.handle()) == 0) die("relation " + r.id + " already exists");
      ++counts[r.relation_type];
    }
    for (const auto& [type, n] : counts) add_counts(db, 2, type, n, 0);
    db.run(db.stmt("COMMIT"));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: sqlite_floor DIR\n");
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  Registry registry({GRAPHSTORE_PLUGIN_DIR});
  int files = 0;
  // A new file with the plugin's schema (created by opening a store on it).
  auto fresh = [&] {
    fs::path f = dir / ("floor" + std::to_string(files++) + ".db");
    open_store(registry, f).reset();
    return f;
  };
  auto remove = [](const fs::path& f) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(f.string() + suffix);
  };
  std::vector<std::string> deferrable;  // their CREATE statements, as the plugin wrote them
  {
    fs::path f = fresh();
    {
      Raw db(f);
      deferrable = deferrable_creates(db);
    }
    remove(f);
  }

  {
    auto entities = workload::make_entities(1000, 0);
    fs::path floor_file = fresh(), schema_file = fresh(), store_file = fresh();
    {
      Raw floor_db(floor_file), schema_db(schema_file);
      floor_db.exec("CREATE TABLE floor(i INTEGER NOT NULL)");
      auto store = open_store(registry, store_file);
      double floor = 0, schema = 0, plugin = 0;
      for (int round = 0; round < 10; ++round) {
        auto t0 = clock_type::now();
        for (int i = round * 100; i < round * 100 + 100; ++i) commit_floor_add(floor_db, i);
        floor += ms_since(t0);
        t0 = clock_type::now();
        for (int i = round * 100; i < round * 100 + 100; ++i) schema_add(schema_db, entities[i]);
        schema += ms_since(t0);
        t0 = clock_type::now();
        for (int i = round * 100; i < round * 100 + 100; ++i)
          if (Status s = store->add_entity("", entities[i]); !s.ok()) die("add_entity: " + s.to_string());
        plugin += ms_since(t0);
      }
      std::printf(
          "add_entity x1,000: commit floor (one-column row) %.1f ms; schema floor %.1f ms; plugin %.1f ms "
          "(plugin / schema floor %.2f)\n",
          floor, schema, plugin, plugin / schema);
    }
    for (const auto& f : {floor_file, schema_file, store_file}) remove(f);
  }

  {
    auto entities = workload::make_entities(10000, 0);
    std::map<Bulk, std::vector<double>> floors;
    std::vector<double> plugin;
    for (int rep = 0; rep < 5; ++rep) {
      for (Bulk what : {Bulk::kTableOnly, Bulk::kIndexes, Bulk::kEverything}) {
        fs::path f = fresh();
        {
          Raw db(f);
          // The indexes a load keeps; the deferrable ones go in the load's
          // own transaction, as the plugin drops them.
          if (what == Bulk::kTableOnly)
            db.exec("DROP INDEX entities_key; DROP INDEX entities_dim; DROP INDEX source_entities");
          auto t0 = clock_type::now();
          schema_bulk(db, entities, what);
          floors[what].push_back(ms_since(t0));
        }
        remove(f);
      }
      fs::path f = fresh();
      {
        auto store = open_store(registry, f);
        BulkResult result;
        auto t0 = clock_type::now();
        if (Status s = store->add_entities_bulk("", entities, &result); !s.ok() || result.added != entities.size())
          die("add_entities_bulk: " + s.to_string());
        plugin.push_back(ms_since(t0));
      }
      remove(f);
    }
    std::printf(
        "batch insert 10,000, medians of 5: table only %.1f ms; + kept indexes (ids, dimension, source) %.1f ms; "
        "+ text index (schema floor) %.1f ms; plugin %.1f ms (plugin / schema floor %.2f)\n",
        median(floors[Bulk::kTableOnly]), median(floors[Bulk::kIndexes]), median(floors[Bulk::kEverything]),
        median(plugin), median(plugin) / median(floors[Bulk::kEverything]));
  }

  {
    // A relation load on a graph larger than a benchmark's: 100,000 entities
    // (loaded by the plugin, not timed), then 300,000 relations in batches of
    // 100,000.
    const size_t n = 100000, m = 300000, batch = 100000;
    auto entities = workload::make_entities(n, 0);
    auto relations = workload::make_relations(n, m);
    auto with_entities = [&] {
      fs::path f = fresh();
      BulkResult result;
      if (Status s = open_store(registry, f)->add_entities_bulk("", entities, &result); !s.ok())
        die("add_entities_bulk: " + s.to_string());
      return f;
    };
    // The same file from the floor's own statements (not timed either): the
    // plugin's bulk add, each entity's rid kept in cache as it is inserted,
    // then the deferrable indexes built, as the store that dropped them does
    // before it closes.
    auto with_entities_cached = [&](Rids* cache) {
      fs::path f = fresh();
      Raw db(f);
      schema_bulk(db, entities, Bulk::kEverything, cache);
      build_deferrable(db, deferrable);
      return f;
    };
    auto rate = [&](double ms) { return double(m) / ms * 1000; };
    std::printf("relations, 300,000 onto 100,000 entities, rows/s:");
    for (Load what : {Load::kNoIndexes, Load::kIndexesAfter, Load::kKnownRids, Load::kHashMap, Load::kEverything}) {
      Rids cache;
      fs::path f = what == Load::kHashMap ? with_entities_cached(&cache) : with_entities();
      {
        Raw db(f);
        std::vector<std::pair<int64_t, int64_t>> known;  // kKnownRids: each relation's endpoints, read beforehand
        if (what == Load::kKnownRids) {
          Rids stored;
          sqlite3_stmt* q = db.stmt("SELECT id, rid FROM entities");
          while (sqlite3_step(q) == SQLITE_ROW)
            stored.emplace(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), sqlite3_column_int64(q, 1));
          sqlite3_reset(q);
          for (const Relation& r : relations) known.emplace_back(stored.at(r.source_id), stored.at(r.target_id));
        }
        auto t0 = clock_type::now();
        schema_relations(db, relations, batch, what, known, cache);
        if (what == Load::kIndexesAfter) build_deferrable(db, deferrable);
        std::printf(" %s %.0f;",
                    what == Load::kNoIndexes      ? "without the deferrable indexes"
                    : what == Load::kIndexesAfter ? "deferrable indexes created after the load"
                    : what == Load::kKnownRids    ? "endpoint rids known in advance"
                    : what == Load::kHashMap      ? "endpoints from an in-memory id -> rid map"
                                                  : "schema floor",
                    rate(ms_since(t0)));
      }
      remove(f);
    }
    fs::path f = with_entities();
    {
      auto store = open_store(registry, f);
      auto t0 = clock_type::now();
      add_in_batches(*store, relations, batch);
      // This load keeps the deferrable indexes (no batch adds more records
      // than the store holds), so the first read builds nothing here; it is
      // timed so that a load which left them out pays for their build. This
      // store did not add the entities: its endpoint cache is empty and it
      // looks every endpoint up, as the schema floor does.
      std::vector<Neighbor> out;
      if (Status s = store->get_neighbors("", relations[0].source_id, Direction::kOut, "", &out); !s.ok())
        die("get_neighbors: " + s.to_string());
      std::printf(" plugin (with the first read, time included) %.0f\n", rate(ms_since(t0)));
    }
    remove(f);
  }

  {
    // A whole load into an empty store, the case the deferral and the
    // endpoint cache are for: 100,000 entities, then 300,000 relations, in
    // batches of 100,000, then the first read. The entity load drops the
    // deferrable indexes (an empty store), the relations find them absent
    // and take their endpoints from the rids kept as the entities went in,
    // and the build ends the load. The floor runs those statements; the
    // plugin figure is add_*_bulk and a neighbours call on a fresh store.
    const size_t n = 100000, m = 300000, batch = 100000;
    auto entities = workload::make_entities(n, 0);
    auto relations = workload::make_relations(n, m);
    auto rate = [&](double ms) { return double(n + m) / ms * 1000; };
    std::vector<double> floor_ms, plugin_ms;
    for (int round = 0; round < 3; ++round) {
      {
        fs::path f = fresh();
        Raw db(f);
        Rids cache;
        auto t0 = clock_type::now();
        for (size_t first = 0; first < n; first += batch)
          schema_bulk(db,
                      std::vector<Entity>(entities.begin() + std::ptrdiff_t(first),
                                          entities.begin() + std::ptrdiff_t(std::min(n, first + batch))),
                      Bulk::kEverything, &cache);
        schema_relations(db, relations, batch, Load::kHashMap, {}, cache);
        build_deferrable(db, deferrable);
        floor_ms.push_back(ms_since(t0));
        remove(f);
      }
      {
        fs::path f = fresh();
        auto store = open_store(registry, f);
        auto t0 = clock_type::now();
        add_in_batches(*store, entities, batch);
        add_in_batches(*store, relations, batch);
        std::vector<Neighbor> out;
        if (Status s = store->get_neighbors("", relations[0].source_id, Direction::kOut, "", &out); !s.ok())
          die("get_neighbors: " + s.to_string());
        plugin_ms.push_back(ms_since(t0));
        store.reset();
        remove(f);
      }
    }
    std::printf(
        "whole load into an empty store, 100,000 entities + 300,000 relations with the index build, rows/s (median "
        "of 3, alternated): schema floor (endpoints from a hash map) %.0f; plugin %.0f (plugin / floor time %.2f)\n",
        rate(median(floor_ms)), rate(median(plugin_ms)), median(plugin_ms) / median(floor_ms));
  }
  return 0;
}
