// The plugin's WAL-gathering VFS (plugins/sqlite/wal_vfs.hpp) holds the frames
// of a commit and writes them when its last frame arrives. Each test reads
// what the store committed through a plain connection on SQLite's default VFS,
// which shares the wal-index but not the plugin's buffer: a commit published
// before its frames reached the file would show up there as a missing or
// wrong row, or a page that fails the integrity check.
#include <string>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

std::string padded_properties(int i) {
  return "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(size_t(i * 37 % 3000), 'x') + "\"}";
}

std::string stored_properties(RawDb& raw, const std::string& id) {
  return raw.text("SELECT properties FROM entities WHERE tenant = '' AND id = '" + id + "'");
}

TEST(SqliteWal, EveryCommitIsInTheFileWhenItsCallReturns) {
  TempDir dir;
  std::string p = dir.file("wal.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  RawDb raw(p, SQLITE_OPEN_READONLY);
  for (int i = 0; i < 300; ++i) {
    std::string id = "e-" + std::to_string(i);
    ASSERT_TRUE(store->add_entity("", entity(id, "Doc", padded_properties(i))).ok());
    ASSERT_EQ(stored_properties(raw, id), padded_properties(i)) << "commit " << i;
  }
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

// A cache of 20 pages makes these transactions spill frames into the log
// before their commit; the failed one leaves those frames behind, unpublished.
TEST(SqliteWal, TransactionsLargerThanTheCacheCommitOrVanishWhole) {
  TempDir dir;
  std::string p = dir.file("spill.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p, R"("cache_size": 20)"), &store).ok());
  RawDb raw(p, SQLITE_OPEN_READONLY);

  std::vector<Entity> bulk;
  for (int i = 0; i < 3000; ++i) bulk.push_back(entity("bulk-" + std::to_string(i), "Doc", padded_properties(i)));
  BulkResult added;
  ASSERT_TRUE(store->add_entities_bulk("", bulk, &added).ok());
  ASSERT_EQ(added.added, 3000u);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM entities"), 3000);
  EXPECT_EQ(stored_properties(raw, "bulk-2999"), padded_properties(2999));

  WriteBatch failing;
  for (int i = 0; i < 3000; ++i) failing.add_entity(entity("batch-" + std::to_string(i), "Doc", padded_properties(i)));
  failing.add_entity(entity("bulk-0"));  // exists: the whole batch fails
  size_t failed_at = 0;
  Status st = store->apply("", failing, &failed_at);
  EXPECT_EQ(st.code(), Code::kAlreadyExists) << st.to_string();
  EXPECT_EQ(failed_at, 3000u);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM entities"), 3000);

  // The log goes on from where the published frames end.
  ASSERT_TRUE(store->add_entity("", entity("after", "Doc", padded_properties(7))).ok());
  EXPECT_EQ(stored_properties(raw, "after"), padded_properties(7));
  EXPECT_EQ(raw.integer("SELECT count(*) FROM entities"), 3001);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  store.reset();
  RawDb reopened(p);
  EXPECT_EQ(reopened.integer("SELECT count(*) FROM entities"), 3001);
  EXPECT_EQ(reopened.text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace graphstore::sqlite_test
