// The schema: markers, reopening, the upgrade of an older file in place, and
// the refusal (without a byte changed) of newer, foreign and non-SQLite files.
#include <cmath>

#include "graphstore/scoring.hpp"
#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

constexpr int64_t kApplicationId = 0x47534442;

// Version 0 as the first release wrote it: entities without the token count,
// no per-type counters, no text index.
const char* const kVersion0 = R"sql(
PRAGMA application_id = 1196639298;
PRAGMA user_version = 0;
CREATE TABLE graphstore_meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO graphstore_meta VALUES('application', 'graphstore'), ('schema_version', '0');
CREATE TABLE entities(
 tenant TEXT NOT NULL, id TEXT NOT NULL, rid INTEGER NOT NULL, entity_type TEXT NOT NULL,
 properties TEXT NOT NULL, embedding BLOB, dim INTEGER NOT NULL,
 created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, source TEXT,
 PRIMARY KEY (tenant, id)) WITHOUT ROWID;
CREATE UNIQUE INDEX entities_rid ON entities(rid);
CREATE INDEX entities_type ON entities(tenant, entity_type);
CREATE INDEX entities_dim ON entities(tenant, dim) WHERE dim > 0;
CREATE TABLE relations(
 tenant TEXT NOT NULL, id TEXT NOT NULL, relation_type TEXT NOT NULL, source_id TEXT NOT NULL,
 target_id TEXT NOT NULL, properties TEXT NOT NULL, weight REAL NOT NULL,
 created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, source TEXT,
 PRIMARY KEY (tenant, id)) WITHOUT ROWID;
CREATE INDEX relations_out ON relations(tenant, source_id, relation_type, target_id);
CREATE INDEX relations_in ON relations(tenant, target_id, relation_type, source_id);
CREATE INDEX relations_type ON relations(tenant, relation_type);
INSERT INTO entities VALUES
 ('', 'g1', 1, 'Doc', '{"title":"graph databases","n":1}', NULL, 0, 10, 11, 'old'),
 ('', 'g2', 2, 'Doc', '{"title":"cooking"}', NULL, 0, 10, 11, NULL),
 ('', 'g3', 3, 'Note', '{"n":3}', NULL, 0, 10, 11, NULL),
 ('t1', 'g1', 4, 'Doc', '{"title":"graph graph"}', NULL, 0, 10, 11, NULL);
INSERT INTO relations VALUES
 ('', 'r1', 'LINKS', 'g1', 'g2', '{}', 0.5, 10, 10, NULL);
)sql";

TEST(SqliteSchema, NewFileCarriesTheMarkersAndCurrentVersion) {
  TempDir dir;
  std::string p = dir.file("g.db");
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p), &store).ok());
  }
  RawDb raw(p);
  EXPECT_EQ(raw.integer("PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
  EXPECT_EQ(raw.text("SELECT value FROM graphstore_meta WHERE key = 'schema_version'"), "4");
  EXPECT_EQ(raw.text("SELECT value FROM graphstore_meta WHERE key = 'application'"), "graphstore");
  // What a saved vector index is checked against (vector_indexes.hpp).
  EXPECT_EQ(raw.text("SELECT value FROM graphstore_meta WHERE key = 'vector_generation'"), "0");
  EXPECT_EQ(raw.text("SELECT value FROM graphstore_meta WHERE key = 'instance'").size(), 16u);
}

TEST(SqliteSchema, EveryWriteTransactionMovesTheVectorGeneration) {
  TempDir dir;
  std::string p = dir.file("g.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  auto generation = [&] {
    return RawDb(p).text("SELECT value FROM graphstore_meta WHERE key = 'vector_generation'");
  };
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  EXPECT_EQ(generation(), "1");
  ASSERT_TRUE(store->add_entity("", entity("b")).ok());
  ASSERT_TRUE(store->add_relation("", relation("r", "a", "b")).ok());
  EXPECT_EQ(generation(), "3");
  EXPECT_FALSE(store->add_entity("", entity("a")).ok()) << "a duplicate";
  ASSERT_TRUE(store->delete_entity("", "nothing").is_not_found());
  EXPECT_EQ(generation(), "3") << "failed or empty writes change nothing";
}

TEST(SqliteSchema, DataSurvivesCloseAndReopen) {
  TempDir dir;
  std::string p = dir.file("g.db");
  Entity e = entity("alice", "Person", R"({"name":"Alice","tags":["x"]})");
  e.embedding = {0.5f, -1.0f};
  e.source = "";
  e.created_at = 5;
  e.updated_at = 6;
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p), &store).ok());
    ASSERT_TRUE(store->add_entity("acme", e).ok());
    ASSERT_TRUE(store->add_entity("acme", entity("bob")).ok());
    ASSERT_TRUE(store->add_relation("acme", relation("r", "alice", "bob")).ok());
  }
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  Entity got;
  ASSERT_TRUE(store->get_entity("acme", "alice", &got).ok());
  e.tenant_id = "acme";
  EXPECT_EQ(got, e);
  Relation r;
  EXPECT_TRUE(store->get_relation("acme", "r", &r).ok());
  // Every field sits in its own column: the embedding as float32, the
  // absent source as NULL, the empty one as ''.
  RawDb raw(p);
  EXPECT_EQ(raw.integer("SELECT length(embedding) FROM entities WHERE id = 'alice'"), 8);
  EXPECT_EQ(raw.integer("SELECT dim FROM entities WHERE id = 'alice'"), 2);
  EXPECT_EQ(raw.text("SELECT typeof(source) FROM entities WHERE id = 'alice'"), "text");
  EXPECT_EQ(raw.text("SELECT typeof(source) FROM entities WHERE id = 'bob'"), "null");
  EXPECT_EQ(raw.text("SELECT properties FROM entities WHERE id = 'alice'"), e.properties);
}

TEST(SqliteSchema, IdsAreUniquePerTenantInTheDatabaseItself) {
  TempDir dir;
  std::string p = dir.file("g.db");
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p), &store).ok());
    ASSERT_TRUE(store->add_entity("t", entity("x")).ok());
  }
  RawDb raw(p);
  std::string error;
  int rc = raw.exec(
      "INSERT INTO entities(tenant, id, rid, entity_type, properties, dim, tokens, created_at, updated_at) "
      "VALUES('t', 'x', 99, 'T', '{}', 0, 0, 1, 1)",
      &error);
  EXPECT_EQ(rc & 0xff, SQLITE_CONSTRAINT) << error;
  EXPECT_EQ(raw.exec("INSERT INTO entities(tenant, id, rid, entity_type, properties, dim, tokens, created_at, "
                     "updated_at) VALUES('other', 'x', 100, 'T', '{}', 0, 0, 1, 1)"),
            SQLITE_OK);
}

// Version 1 had no source indexes: opening such a file (here the version-2
// fixture with them dropped, see sqlite_upgrade_test.cpp) builds them on the
// way to the current version, and a removal by source then finds its rows
// and lasts past a reopen.
TEST(SqliteSchema, VersionOneGetsTheSourceIndexes) {
  TempDir dir;
  std::string p = dir.file("v1.db");
  fs::copy_file(fs::path(GRAPHSTORE_SQLITE_FIXTURES) / "version2.db", p);
  int64_t doomed_relations;
  {
    RawDb raw(p, SQLITE_OPEN_READWRITE);
    std::string error;
    ASSERT_EQ(raw.exec("DROP INDEX source_entities; DROP INDEX source_relations; PRAGMA user_version = 1; "
                       "UPDATE graphstore_meta SET value = '1' WHERE key = 'schema_version'",
                       &error),
              SQLITE_OK)
        << error;
    // Version 2's layout: endpoints by id.
    doomed_relations = raw.integer(
        "SELECT count(*) FROM relations WHERE tenant = 'acme' AND (source = 'doc-B' OR source_id IN (SELECT id FROM "
        "entities WHERE tenant = 'acme' AND source = 'doc-B') OR target_id IN (SELECT id FROM entities WHERE "
        "tenant = 'acme' AND source = 'doc-B'))");
    ASSERT_GT(doomed_relations, 0);
  }
  {
    std::unique_ptr<Store> store;
    Status s = open_store(options_for(p), &store);
    ASSERT_TRUE(s.ok()) << s.to_string();
    Removed removed;
    ASSERT_TRUE(store->delete_by_source("acme", "doc-B", &removed).ok());
    EXPECT_EQ(removed, (Removed{3, uint64_t(doomed_relations)}));
  }
  RawDb raw(p);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                        "('source_entities', 'source_relations')"),
            2);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM entities WHERE tenant = 'acme' AND source = 'doc-B'"), 0);
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  Entity gone;
  EXPECT_TRUE(store->get_entity("acme", "n05", &gone).is_not_found());
  Stats stats;
  ASSERT_TRUE(store->get_stats("acme", &stats).ok());
  EXPECT_EQ(stats.entity_count, 10u);
  EXPECT_EQ(stats.relation_count, 20u - uint64_t(doomed_relations));
}

TEST(SqliteSchema, OlderVersionIsUpgradedInPlace) {
  TempDir dir;
  std::string p = dir.file("old.db");
  {
    RawDb raw(p, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    std::string error;
    ASSERT_EQ(raw.exec(kVersion0, &error), SQLITE_OK) << error;
  }
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  ASSERT_TRUE(s.ok()) << s.to_string();
  {
    RawDb raw(p);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
    EXPECT_EQ(raw.text("SELECT value FROM graphstore_meta WHERE key = 'schema_version'"), "4");
    EXPECT_EQ(raw.integer("SELECT tokens FROM entities WHERE tenant = '' AND id = 'g1'"), 2);
  }
  // The records are all there, whole.
  Entity g1;
  ASSERT_TRUE(store->get_entity("", "g1", &g1).ok());
  EXPECT_EQ(g1.properties, R"({"title":"graph databases","n":1})");
  EXPECT_EQ(g1.source, "old");
  EXPECT_EQ(entity_ids(*store), (std::vector<std::string>{"g1", "g2", "g3"}));
  // Counters and the text index were built from the rows.
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entities_by_type, (std::map<std::string, uint64_t>{{"Doc", 2}, {"Note", 1}}));
  EXPECT_EQ(stats.relations_by_type, (std::map<std::string, uint64_t>{{"LINKS", 1}}));
  std::vector<std::string> tenants;
  ASSERT_TRUE(store->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, std::vector<std::string>{"t1"});
  TextQuery q;
  q.text = "graph";
  std::vector<ScoredEntity> hits;
  ASSERT_TRUE(store->text_search("", q, &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "g1");
  std::vector<sdk::TextDoc> docs{
      {"g1", R"({"title":"graph databases","n":1})"}, {"g2", R"({"title":"cooking"})"}, {"g3", R"({"n":3})"}};
  std::vector<std::pair<size_t, double>> want;
  ASSERT_TRUE(sdk::rank_text("graph", 1, docs, 10, 0.0, &want));
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(hits[0].score, want[0].second);
  // And it keeps working as a current database.
  EXPECT_TRUE(store->add_entity("", entity("g4", "Doc", R"({"title":"graph again"})")).ok());
  ASSERT_TRUE(store->text_search("", q, &hits).ok());
  EXPECT_EQ(hits.size(), 2u);
}

TEST(SqliteSchema, NewerVersionIsRefusedWithoutChangingTheFile) {
  TempDir dir;
  std::string p = dir.file("g.db");
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p, R"("journal_mode": "delete")"), &store).ok());
    ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  }
  {
    RawDb raw(p);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 7"), SQLITE_OK);
  }
  std::string before = slurp(p);
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("schema version 7"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("version 4"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(p), std::string::npos) << s.message();
  EXPECT_TRUE(slurp(p) == before) << "the file changed";
  EXPECT_FALSE(fs::exists(p + "-wal"));
}

TEST(SqliteSchema, ForeignSqliteDatabaseIsRefusedUntouched) {
  TempDir dir;
  std::string p = dir.file("other.db");
  {
    RawDb raw(p, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(raw.exec("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices "
                       "VALUES(1, 9.5)"),
              SQLITE_OK);
  }
  std::string before = slurp(p);
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("not a graphstore one"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("refusing to modify it"), std::string::npos) << s.message();
  EXPECT_TRUE(slurp(p) == before) << "the file changed";
  EXPECT_FALSE(fs::exists(p + "-wal"));
  EXPECT_FALSE(fs::exists(p + "-journal"));
  // An empty SQLite file of another application (its id set) is refused too.
  std::string q = dir.file("marked.db");
  {
    RawDb raw(q, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(raw.exec("PRAGMA application_id = 42"), SQLITE_OK);
  }
  s = open_store(options_for(q), &store);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("0x0000002a"), std::string::npos) << s.message();
}

TEST(SqliteSchema, FileThatIsNotSqliteIsRefusedUntouched) {
  TempDir dir;
  std::string p = dir.file("notes.txt");
  std::string content(8192, 'x');
  content.replace(0, 30, "These are my notes, not a DB.\n");
  {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("is not a SQLite database"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(p), std::string::npos) << s.message();
  EXPECT_TRUE(slurp(p) == content);
  EXPECT_FALSE(fs::exists(p + "-wal"));
}

}  // namespace
}  // namespace graphstore::sqlite_test
