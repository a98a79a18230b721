// sqlite_floor: what SQLite itself costs for the sqlite plugin's writes on
// this machine, next to what the plugin takes through the full path
// (Registry -> Store -> C ABI -> plugin). Not a test; prints one line per
// figure. The floors run SQLite's C API directly, with prepared statements
// and the plugin's defaults (WAL, synchronous=NORMAL, 64 MB cache,
// wal_autocheckpoint=10000), on files whose schema the plugin itself created,
// so they count SQLite's work for that schema and nothing of the plugin's.
//
//   sqlite_floor DIR       (DIR: an empty scratch directory on the disk to measure)
//
// add_entity x1,000 (each its own transaction):
//   commit floor: BEGIN IMMEDIATE, one INSERT into a one-column table, COMMIT
//   schema floor: the statements the plugin runs for one add, nothing else
//   the plugin:   Store::add_entity
// run in alternating rounds of 100, so all three see the same machine.
// Batch insert 10,000 (one transaction; median of 5, a fresh file each):
//   table only (the secondary indexes dropped), + indexes, + text index (the
//   plugin's full work), and the plugin's add_entities_bulk.
// Relations, 300,000 onto 100,000 entities in batches of 100,000: without
// the relation indexes, with them created after the load (time included),
// without the endpoint lookups, the plugin's full work, and the plugin's
// add_relations_bulk (which leaves the relation indexes out of a load into
// an empty table) with the first read, which builds them.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <string>
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

 private:
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> stmts_;
};

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_STATIC);
}

// The plugin's insert of one entity row (no embedding, no source).
void insert_row(Raw& db, const Entity& e, int64_t rid, int64_t tokens) {
  sqlite3_stmt* s = db.stmt(
      "INSERT INTO entities(tenant, id, rid, entity_type, properties, embedding, dim, tokens, created_at, updated_at, "
      "source) VALUES('', ?1, ?2, ?3, ?4, NULL, 0, ?5, ?6, ?7, NULL) ON CONFLICT DO NOTHING");
  bind_text(s, 1, e.id);
  sqlite3_bind_int64(s, 2, rid);
  bind_text(s, 3, e.entity_type);
  bind_text(s, 4, e.properties);
  sqlite3_bind_int64(s, 5, tokens);
  sqlite3_bind_int64(s, 6, e.created_at);
  sqlite3_bind_int64(s, 7, e.updated_at);
  db.run(s);
}

// The plugin's counter update; kind 1 entities, 2 relations.
void add_counts(Raw& db, int kind, std::string_view type, int64_t n, int64_t tokens) {
  sqlite3_stmt* s = db.stmt(
      "INSERT INTO type_counts(tenant, kind, type, count, tokens) VALUES('', ?1, ?2, ?3, ?4) "
      "ON CONFLICT(tenant, kind, type) DO UPDATE SET count = count + excluded.count, tokens = tokens + "
      "excluded.tokens");
  sqlite3_bind_int(s, 1, kind);
  bind_text(s, 2, type);
  sqlite3_bind_int64(s, 3, n);
  sqlite3_bind_int64(s, 4, tokens);
  db.run(s);
}

// What the plugin's add_entity runs for an entity without an embedding: the
// next rid, the row, its text into the write buffer, the buffer's size, the
// type counter.
void schema_add(Raw& db, const Entity& e) {
  EntityText text = entity_text(e.properties);
  db.run(db.stmt("BEGIN IMMEDIATE"));
  sqlite3_stmt* max = db.stmt("SELECT coalesce(max(rid), 0) FROM entities");
  if (sqlite3_step(max) != SQLITE_ROW) die("max(rid)");
  int64_t rid = sqlite3_column_int64(max, 0) + 1;
  sqlite3_reset(max);
  insert_row(db, e, rid, text.tokens);
  sqlite3_stmt* pending = db.stmt("INSERT INTO text_pending(rid, body) VALUES(?1, ?2)");
  sqlite3_bind_int64(pending, 1, rid);
  bind_text(pending, 2, text.body);
  db.run(pending);
  add_counts(db, 1, e.entity_type, 1, text.tokens);
  db.run(db.stmt("SELECT count(*) FROM text_pending"));
  db.run(db.stmt("COMMIT"));
}

void commit_floor_add(Raw& db, int i) {
  db.run(db.stmt("BEGIN IMMEDIATE"));
  sqlite3_stmt* s = db.stmt("INSERT INTO floor(i) VALUES(?1)");
  sqlite3_bind_int(s, 1, i);
  db.run(s);
  db.run(db.stmt("COMMIT"));
}

enum class Bulk { kTableOnly, kIndexes, kEverything };

// The plugin's add_entities_bulk in SQL: rows and their text straight into
// the text index, one counter update per type, one transaction.
void schema_bulk(Raw& db, const std::vector<Entity>& entities, Bulk what) {
  db.run(db.stmt("BEGIN IMMEDIATE"));
  std::map<std::string, std::pair<int64_t, int64_t>> counts;
  int64_t rid = 0;
  for (const Entity& e : entities) {
    EntityText text = entity_text(e.properties);
    insert_row(db, e, ++rid, text.tokens);
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

enum class Load { kNoChecks, kNoIndexes, kIndexesAfter, kEverything };

// The plugin's add_relations_bulk in SQL, one transaction per batch: both
// endpoints looked up, the row, one counter update per type. kNoChecks skips
// the lookups; kNoIndexes and kIndexesAfter run on a file without the
// relation indexes (kIndexesAfter then creates them, see main).
void schema_relations(Raw& db, const std::vector<Relation>& relations, size_t batch, Load what) {
  for (size_t first = 0; first < relations.size(); first += batch) {
    db.run(db.stmt("BEGIN IMMEDIATE"));
    std::map<std::string, int64_t> counts;
    for (size_t i = first; i < std::min(relations.size(), first + batch); ++i) {
      const Relation& r = relations[i];
      if (what != Load::kNoChecks)
        for (const std::string* end : {&r.source_id, &r.target_id}) {
          sqlite3_stmt* s = db.stmt("SELECT 1 FROM entities WHERE tenant = '' AND id = ?1");
          bind_text(s, 1, *end);
          if (sqlite3_step(s) != SQLITE_ROW) die("endpoint " + *end + " missing");
          sqlite3_reset(s);
        }
      sqlite3_stmt* s = db.stmt(
          "INSERT INTO relations(tenant, id, relation_type, source_id, target_id, properties, weight, created_at, "
          "updated_at, source) VALUES('', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL) ON CONFLICT DO NOTHING");
      bind_text(s, 1, r.id);
      bind_text(s, 2, r.relation_type);
      bind_text(s, 3, r.source_id);
      bind_text(s, 4, r.target_id);
      bind_text(s, 5, r.properties);
      sqlite3_bind_double(s, 6, r.weight);
      sqlite3_bind_int64(s, 7, r.created_at);
      sqlite3_bind_int64(s, 8, r.updated_at);
      db.run(s);
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
          if (what == Bulk::kTableOnly)
            db.exec("DROP INDEX entities_rid; DROP INDEX entities_type; DROP INDEX entities_dim");
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
        "batch insert 10,000, medians of 5: table only %.1f ms; + indexes %.1f ms; + text index (schema "
        "floor) %.1f ms; plugin %.1f ms (plugin / schema floor %.2f)\n",
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
    auto rate = [&](double ms) { return double(m) / ms * 1000; };
    std::printf("relations, 300,000 onto 100,000 entities, rows/s:");
    for (Load what : {Load::kNoIndexes, Load::kIndexesAfter, Load::kNoChecks, Load::kEverything}) {
      fs::path f = with_entities();
      {
        Raw db(f);
        std::vector<std::string> indexes;  // their CREATE statements, as the plugin wrote them
        if (what == Load::kNoIndexes || what == Load::kIndexesAfter) {
          sqlite3_stmt* q = db.stmt(
              "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'relations' "
              "AND sql IS NOT NULL");
          while (sqlite3_step(q) == SQLITE_ROW)
            indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
          sqlite3_reset(q);
          db.exec("DROP INDEX relations_out; DROP INDEX relations_in; DROP INDEX relations_type");
        }
        auto t0 = clock_type::now();
        schema_relations(db, relations, batch, what);
        if (what == Load::kIndexesAfter)
          for (const std::string& sql : indexes) db.exec(sql.c_str());
        std::printf(" %s %.0f;",
                    what == Load::kNoIndexes      ? "without the relation indexes"
                    : what == Load::kIndexesAfter ? "relation indexes created after the load"
                    : what == Load::kNoChecks     ? "without the endpoint lookups"
                                                  : "schema floor",
                    rate(ms_since(t0)));
      }
      remove(f);
    }
    fs::path f = with_entities();
    {
      auto store = open_store(registry, f);
      auto t0 = clock_type::now();
      for (size_t first = 0; first < m; first += batch) {
        BulkResult result;
        std::span<const Relation> part(relations.data() + first, std::min(batch, m - first));
        if (Status s = store->add_relations_bulk("", part, &result); !s.ok() || result.added != part.size())
          die("add_relations_bulk: " + s.to_string());
      }
      // The load left the relation indexes out; this first read builds them.
      std::vector<Neighbor> out;
      if (Status s = store->get_neighbors("", relations[0].source_id, Direction::kOut, "", &out); !s.ok())
        die("get_neighbors: " + s.to_string());
      std::printf(" plugin (its indexes built by the first read, time included) %.0f\n", rate(ms_since(t0)));
    }
    remove(f);
  }
  return 0;
}
