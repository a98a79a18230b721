// A bulk add of many records into a store holding fewer loads without the
// deferred indexes (adjacency, relations and entities by type); the first
// call that needs them builds them (schema.hpp, writes.cpp). These tests check when the indexes go, that every call needing
// them gets the answers of a store that never dropped them, whichever store
// on the file makes the call, that the store that dropped them builds them
// when it closes, and that a read-only store says why it cannot answer.
#include <string>
#include <vector>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

constexpr int kEntities = 300;

std::vector<Entity> entities() {
  std::vector<Entity> out;
  for (int i = 0; i < kEntities; ++i)
    out.push_back(entity("e-" + std::to_string(1000 + i), i % 2 ? "Person" : "Paper",
                         "{\"name\":\"entity " + std::to_string(i) + "\"}"));
  return out;
}

// Relations [first, first + n): a deterministic scatter with repeated pairs,
// self-loops and two types.
std::vector<Relation> relations(int first, int n) {
  std::vector<Relation> out;
  for (int i = first; i < first + n; ++i)
    out.push_back(relation("r-" + std::to_string(100000 + i), "e-" + std::to_string(1000 + i * 7 % kEntities),
                           "e-" + std::to_string(1000 + i * 13 % kEntities), i % 3 ? "CITES" : "KNOWS"));
  return out;
}

bool has_relation_indexes(const std::string& path) {
  RawDb raw(path, SQLITE_OPEN_READONLY);
  int64_t n = raw.integer(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('relations_out', 'relations_in', "
      "'relations_type', 'entities_type')");
  EXPECT_TRUE(n == 0 || n == 4) << n << " of the 4 deferred indexes";
  return n == 4;
}

// The relations touching an entity, counted in SQL.
int64_t relations_touching(const std::string& path, const std::string& id, bool out, bool in) {
  std::string where = out && in ? "s.id = ?1 OR t.id = ?1" : out ? "s.id = ?1" : "t.id = ?1";
  std::string sql =
      "SELECT count(*) FROM relations r JOIN entities s ON s.rid = r.source_rid JOIN entities t ON t.rid = "
      "r.target_rid WHERE " + where;
  size_t at;
  while ((at = sql.find("?1")) != std::string::npos) sql.replace(at, 2, "'" + id + "'");
  return RawDb(path, SQLITE_OPEN_READONLY).integer(sql.c_str());
}

// A store whose entities are loaded and whose relations come in `batches`
// bulk calls of `per_batch`.
std::unique_ptr<Store> loaded(const std::string& path, int batches, int per_batch) {
  std::unique_ptr<Store> store;
  EXPECT_TRUE(open_store(options_for(path), &store).ok());
  BulkResult r;
  EXPECT_TRUE(store->add_entities_bulk("", entities(), &r).ok());
  for (int b = 0; b < batches; ++b) {
    EXPECT_TRUE(store->add_relations_bulk("", relations(b * per_batch, per_batch), &r).ok());
    EXPECT_EQ(r.added, size_t(per_batch));
  }
  return store;
}

// Everything the calls that need the relation indexes answer, as text.
std::string answers(Store& store) {
  std::string out;
  std::vector<Neighbor> neighbours;
  for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    EXPECT_TRUE(store.get_neighbors("", "e-1003", d, "", &neighbours).ok());
    for (const Neighbor& n : neighbours) out += n.relation.id + ">" + n.entity.id + " ";
    EXPECT_TRUE(store.get_neighbors("", "e-1003", d, "KNOWS", &neighbours).ok());
    out += "| " + std::to_string(neighbours.size()) + "\n";
  }
  TraverseOptions to;
  to.max_depth = 2;
  TraverseResult tr;
  EXPECT_TRUE(store.traverse("", "e-1001", to, &tr).ok());
  for (const auto& h : tr.hits) out += h.entity.id + "@" + std::to_string(h.depth) + "<" + h.via.id + " ";
  out += "\n";
  PathOptions po;
  po.max_depth = 3;
  po.max_paths = 5;
  PathResult pr;
  EXPECT_TRUE(store.find_paths("", "e-1001", "e-1100", po, &pr).ok());
  for (const auto& p : pr.paths) {
    for (const auto& r : p.relations) out += r.id + ",";
    out += " ";
  }
  out += "\n";
  Subgraph sg;
  EXPECT_TRUE(store.subgraph("", {"e-1000", "e-1007", "e-1013", "e-1091"}, &sg).ok());
  for (const auto& r : sg.relations) out += r.id + " ";
  out += "\n";
  ScanOptions so;
  so.type = "KNOWS";
  so.limit = 50;
  EXPECT_TRUE(store
                  .scan_relations("", so,
                                  [&](const Relation& r) {
                                    out += r.id + " ";
                                    return true;
                                  })
                  .ok());
  return out;
}

TEST(SqliteBulkIndexes, ALargeLoadIntoAFewerRowsTableGoesWithoutThemUntilACallNeedsThem) {
  TempDir dir;
  std::string deferred = dir.file("deferred.db"), kept = dir.file("kept.db");
  auto store = loaded(deferred, 3, 1500);  // 1,500 > 0 stored: dropped; then stays so
  EXPECT_FALSE(has_relation_indexes(deferred));
  auto reference = loaded(kept, 6, 750);  // under 1,000 per call: never dropped
  EXPECT_TRUE(has_relation_indexes(kept));

  std::string expected = answers(*reference);
  EXPECT_EQ(answers(*store), expected);
  EXPECT_TRUE(has_relation_indexes(deferred));
  EXPECT_EQ(answers(*store), expected);
  RawDb raw(deferred, SQLITE_OPEN_READONLY);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

// The store's state: "relation_indexes" as it last saw them (at open, at its
// own drop, at a build), which the Python drop-in reads before running a
// neighbours call on its event loop.
std::string relation_indexes_state(Store& store) {
  std::vector<std::pair<std::string, std::string>> lines;
  EXPECT_TRUE(store.state(&lines).ok());
  for (const auto& [key, value] : lines)
    if (key == "relation_indexes") return value;
  return "(not reported)";
}

TEST(SqliteBulkIndexes, TheStateSaysWhetherTheStoreLastSawThem) {
  TempDir dir;
  std::string p = dir.file("g.db");
  auto store = loaded(p, 1, 1500);
  ASSERT_FALSE(has_relation_indexes(p));
  EXPECT_EQ(relation_indexes_state(*store), "absent");
  std::unique_ptr<Store> other;
  ASSERT_TRUE(open_store(options_for(p), &other).ok());
  EXPECT_EQ(relation_indexes_state(*other), "absent");  // seen at open
  std::vector<Neighbor> neighbours;
  ASSERT_TRUE(store->get_neighbors("", "e-1003", Direction::kBoth, "", &neighbours).ok());  // builds them
  EXPECT_TRUE(has_relation_indexes(p));
  EXPECT_EQ(relation_indexes_state(*store), "present");
  other.reset();
  ASSERT_TRUE(open_store(options_for(p), &other).ok());
  EXPECT_EQ(relation_indexes_state(*other), "present");
  auto small = loaded(dir.file("small.db"), 2, 500);  // under 1,000 a call: never dropped
  EXPECT_EQ(relation_indexes_state(*small), "present");
}

TEST(SqliteBulkIndexes, TheStoreThatDroppedThemBuildsThemWhenItCloses) {
  TempDir dir;
  std::string p = dir.file("g.db");
  auto store = loaded(p, 2, 1500);
  ASSERT_FALSE(has_relation_indexes(p));
  store.reset();
  EXPECT_TRUE(has_relation_indexes(p));
  EXPECT_EQ(RawDb(p, SQLITE_OPEN_READONLY).text("PRAGMA integrity_check"), "ok");
}

TEST(SqliteBulkIndexes, AWriteThatNeedsThemBuildsThemAndRunsWhole) {
  TempDir dir;
  std::string p = dir.file("g.db");
  auto store = loaded(p, 2, 1200);
  ASSERT_FALSE(has_relation_indexes(p));
  int64_t before = RawDb(p, SQLITE_OPEN_READONLY).integer("SELECT count(*) FROM relations");
  int64_t touching = relations_touching(p, "e-1004", true, true);
  ASSERT_GT(touching, 0);
  WriteBatch batch;
  batch.delete_entity("e-1004");
  ASSERT_TRUE(store->apply("", batch).ok());
  EXPECT_TRUE(has_relation_indexes(p));
  EXPECT_EQ(RawDb(p, SQLITE_OPEN_READONLY).integer("SELECT count(*) FROM relations"), before - touching);
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(int64_t(stats.relation_count), before - touching);
}

TEST(SqliteBulkIndexes, AStoreHoldingAsManyRecordsKeepsThem) {
  TempDir dir;
  std::string p = dir.file("g.db");
  auto store = loaded(p, 1, 999);  // under the minimum
  EXPECT_TRUE(has_relation_indexes(p));
  BulkResult r;
  ASSERT_TRUE(store->add_relations_bulk("", relations(999, 1299), &r).ok());
  EXPECT_TRUE(has_relation_indexes(p));  // 300 entities and 999 relations stored: as many
  ASSERT_TRUE(store->add_relations_bulk("", relations(2298, 2599), &r).ok());
  EXPECT_FALSE(has_relation_indexes(p));  // 2,599 > 2,598 stored
  std::vector<Neighbor> n;
  ASSERT_TRUE(store->get_neighbors("", "e-1000", Direction::kOut, "", &n).ok());
  ASSERT_TRUE(has_relation_indexes(p));
  ASSERT_TRUE(store->add_relations_bulk("", relations(4897, 5000), &r).ok());
  EXPECT_TRUE(has_relation_indexes(p));  // 5,197 stored: a rebuild would cost more than it saves
}

TEST(SqliteBulkIndexes, ALargeEntityLoadDefersThemToo) {
  TempDir dir;
  std::string p = dir.file("g.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  std::vector<Entity> many;
  for (int i = 0; i < 2000; ++i)
    many.push_back(entity("m-" + std::to_string(i), i % 3 ? "Person" : "Paper", R"({"name":"x"})"));
  BulkResult r;
  ASSERT_TRUE(store->add_entities_bulk("", many, &r).ok());
  EXPECT_FALSE(has_relation_indexes(p));
  ScanOptions so;
  so.type = "Paper";
  so.after_id = "m-1";
  so.limit = 3;
  std::vector<std::string> ids;
  ASSERT_TRUE(store
                  ->scan_entities("", so,
                                  [&](const Entity& e) {
                                    ids.push_back(e.id);
                                    return true;
                                  })
                  .ok());
  EXPECT_TRUE(has_relation_indexes(p));
  EXPECT_EQ(ids, (std::vector<std::string>{"m-1002", "m-1005", "m-1008"}));
}

TEST(SqliteBulkIndexes, AnotherStoreOnTheFileBuildsThemOnItsFirstRead) {
  TempDir dir;
  std::string p = dir.file("g.db");
  auto writer = loaded(p, 1, 3000);
  ASSERT_FALSE(has_relation_indexes(p));
  std::unique_ptr<Store> reader;
  ASSERT_TRUE(open_store(options_for(p), &reader).ok());
  std::vector<Neighbor> n;
  ASSERT_TRUE(reader->get_neighbors("", "e-1000", Direction::kOut, "", &n).ok());
  EXPECT_EQ(n.size(), size_t(relations_touching(p, "e-1000", true, false)));
  EXPECT_TRUE(has_relation_indexes(p));
  // The writer's own connections see them too.
  std::vector<Neighbor> again;
  ASSERT_TRUE(writer->get_neighbors("", "e-1000", Direction::kOut, "", &again).ok());
  EXPECT_EQ(again.size(), n.size());
}

TEST(SqliteBulkIndexes, AReadOnlyStoreSaysWhyItCannotAnswerUntilAWriterBuildsThem) {
  TempDir dir;
  std::string p = dir.file("g.db");
  loaded(p, 1, 3000).reset();
  // What a loader killed after a deferred batch committed leaves behind.
  ASSERT_EQ(RawDb(p).exec("DROP INDEX relations_out; DROP INDEX relations_in; DROP INDEX relations_type; "
                          "DROP INDEX entities_type"),
            SQLITE_OK);
  std::unique_ptr<Store> reader;
  ASSERT_TRUE(open_store(options_for(p, R"("read_only": true)"), &reader).ok());
  Entity e;
  EXPECT_TRUE(reader->get_entity("", "e-1000", &e).ok());  // needs no deferred index
  std::vector<Neighbor> n;
  Status st = reader->get_neighbors("", "e-1000", Direction::kOut, "", &n);
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.to_string();
  EXPECT_NE(st.message().find("no adjacency and type indexes yet"), std::string::npos) << st.to_string();
  EXPECT_NE(st.message().find("read_only"), std::string::npos) << st.to_string();

  std::unique_ptr<Store> rw;
  ASSERT_TRUE(open_store(options_for(p), &rw).ok());
  ASSERT_TRUE(rw->get_neighbors("", "e-1000", Direction::kOut, "", &n).ok());
  std::vector<Neighbor> seen;
  ASSERT_TRUE(reader->get_neighbors("", "e-1000", Direction::kOut, "", &seen).ok());
  EXPECT_EQ(seen.size(), n.size());
}

TEST(SqliteBulkIndexes, InMemoryDatabasesDeferAndBuildThemToo) {
  std::unique_ptr<Store> deferred, kept;
  ASSERT_TRUE(open_store(R"({"path": ":memory:"})", &deferred).ok());
  ASSERT_TRUE(open_store(R"({"path": ":memory:"})", &kept).ok());
  BulkResult r;
  for (Store* s : {deferred.get(), kept.get()}) ASSERT_TRUE(s->add_entities_bulk("", entities(), &r).ok());
  ASSERT_TRUE(deferred->add_relations_bulk("", relations(0, 3000), &r).ok());
  for (int b = 0; b < 6; ++b) ASSERT_TRUE(kept->add_relations_bulk("", relations(b * 500, 500), &r).ok());
  EXPECT_EQ(answers(*deferred), answers(*kept));
}

}  // namespace
}  // namespace graphstore::sqlite_test
