// The upgrade of a file the plugin wrote at schema version 2 (ids as keys,
// adjacency on text) to the current layout, in place.
//
// fixtures/version2.db was written by the sqlite plugin of schema version 2
// (commit 313da3c) through `graphstore import` of three tenants' entities and
// relations (embeddings, sources, 300 entities whose text reached the FTS5
// index) and two single `put-entity` calls (text still in text_pending);
// fixtures/version2.jsonl is that plugin's `graphstore export` of it.
#include <fstream>
#include <sstream>

#include "graphstore/io.hpp"
#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

const fs::path kFixtures = GRAPHSTORE_SQLITE_FIXTURES;
const std::vector<std::string> kTenants = {"", "acme", "bulk"};

std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything a tenant answers, as text, for comparing two stores.
std::string answers(Store& store, const std::string& tenant) {
  std::ostringstream out;
  Stats stats;
  EXPECT_TRUE(store.get_stats(tenant, &stats).ok());
  out << stats.entity_count << " " << stats.relation_count << "\n";
  for (const auto& [t, n] : stats.entities_by_type) out << t << "=" << n << " ";
  for (const auto& [t, n] : stats.relations_by_type) out << t << "=" << n << " ";
  out << "\n";
  for (const std::string& id : entity_ids(store, tenant))
    for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      std::vector<Neighbor> n;
      EXPECT_TRUE(store.get_neighbors(tenant, id, d, "", &n).ok());
      out << id << "/" << int(d) << ":";
      for (const Neighbor& x : n) out << " " << x.relation.id << ">" << x.entity.id << "(" << x.relation.source_id
                                      << "," << x.relation.target_id << ")";
      out << "\n";
    }
  for (const char* words : {"graph", "cooking", "pending", "bulk item"}) {
    TextQuery q;
    q.text = words;
    std::vector<ScoredEntity> hits;
    EXPECT_TRUE(store.text_search(tenant, q, &hits).ok());
    out << words << ":";
    for (const auto& h : hits) out << " " << h.entity.id << "=" << h.score;
    out << "\n";
  }
  VectorQuery v;
  v.vector = {1.0f, 0.5f, 0.0f};
  v.k = 4;
  std::vector<ScoredEntity> near;
  EXPECT_TRUE(store.vector_search(tenant, v, &near).ok());
  for (const auto& h : near) out << " " << h.entity.id << "=" << h.score;
  return out.str();
}

TEST(SqliteUpgrade, VersionTwoFileIsUpgradedInPlaceAndAnswersAsItsExport) {
  TempDir dir;
  std::string p = dir.file("version2.db");
  fs::copy_file(kFixtures / "version2.db", p);
  ASSERT_EQ(RawDb(p, SQLITE_OPEN_READONLY).integer("PRAGMA user_version"), 2);
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  ASSERT_TRUE(s.ok()) << s.to_string();
  {
    RawDb raw(p, SQLITE_OPEN_READONLY);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
    EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM text_pending"), 1);
  }
  // Every record, byte for byte as the version-2 plugin exported it.
  ExportReport exported;
  ASSERT_TRUE(export_store(*store, dir.file("out.jsonl"), ExportOptions{}, &exported).ok());
  EXPECT_TRUE(file_text(dir.file("out.jsonl")) == file_text(kFixtures / "version2.jsonl"));

  // Every read answers as a store loaded from that export.
  Registry registry({GRAPHSTORE_SQLITE_PLUGIN_DIR});
  std::unique_ptr<Store> reference;
  ASSERT_TRUE(registry.open("inmemory", "{}", &reference).ok());
  ImportReport imported;
  ASSERT_TRUE(import_file(*reference, kFixtures / "version2.jsonl", ImportOptions{}, &imported).ok());
  ASSERT_EQ(imported.entities_added, 326u);
  for (const std::string& tenant : kTenants) EXPECT_EQ(answers(*store, tenant), answers(*reference, tenant)) << tenant;

  // And it goes on as a current store, across a reopen.
  for (Store* st : {store.get(), reference.get()}) {
    ASSERT_TRUE(st->add_relation("acme", relation("new", "n03", "n01")).ok());
    ASSERT_TRUE(st->delete_entity("acme", "n01").ok());
    ASSERT_TRUE(st->add_entity("acme", entity("fresh", "Note", R"({"t":"graph pending"})")).ok());
  }
  store.reset();
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  for (const std::string& tenant : kTenants) EXPECT_EQ(answers(*store, tenant), answers(*reference, tenant)) << tenant;
}

// The upgrade runs in one transaction: a file it cannot upgrade is left as
// it was. Here a relation whose source entity is gone (which version 2 never
// wrote, but a hand-edited file may hold) stops it.
TEST(SqliteUpgrade, AFileItCannotUpgradeIsLeftUnchanged) {
  TempDir dir;
  std::string p = dir.file("version2.db");
  fs::copy_file(kFixtures / "version2.db", p);
  ASSERT_EQ(RawDb(p).exec("DELETE FROM entities WHERE tenant = 'acme' AND id = 'n00'"), SQLITE_OK);
  std::string before = file_text(p);
  std::unique_ptr<Store> store;
  Status s = open_store(options_for(p), &store);
  EXPECT_EQ(s.code(), Code::kCorruption) << s.to_string();
  EXPECT_NE(s.message().find("relations whose endpoint entity is missing"), std::string::npos) << s.to_string();
  EXPECT_NE(s.message().find(p), std::string::npos) << s.to_string();
  RawDb raw(p, SQLITE_OPEN_READONLY);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 2);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM relations"), 40);
}

}  // namespace
}  // namespace graphstore::sqlite_test
