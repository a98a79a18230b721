// The endpoint cache (plugins/sqlite/endpoint_cache.hpp) may only answer for
// an entity that still has that rid: these tests remove or roll back
// entities it holds, in ways the store itself cannot see or undoes, and
// check that a relation to them is refused as for any missing endpoint.
#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

std::vector<Entity> some_entities(int n) {
  std::vector<Entity> out;
  for (int i = 0; i < n; ++i) out.push_back(entity("c-" + std::to_string(i)));
  return out;
}

TEST(SqliteEndpointCache, AnEntityAnotherStoreRemovedIsNotFound) {
  TempDir dir;
  std::string p = dir.file("g.db");
  std::unique_ptr<Store> loader, other;
  ASSERT_TRUE(open_store(options_for(p), &loader).ok());
  ASSERT_TRUE(open_store(options_for(p), &other).ok());
  BulkResult r;
  ASSERT_TRUE(loader->add_entities_bulk("", some_entities(50), &r).ok());  // the loader caches their rids
  ASSERT_TRUE(other->delete_entity("", "c-7").ok());
  Status s = loader->add_relation("", relation("r", "c-1", "c-7"));
  EXPECT_TRUE(s.is_not_found()) << s.to_string();
  // Its rid taken by a new entity of another store must not be mistaken for it either.
  ASSERT_TRUE(other->add_entity("", entity("newcomer")).ok());
  s = loader->add_relation("", relation("r", "c-1", "c-7"));
  EXPECT_TRUE(s.is_not_found()) << s.to_string();
  ASSERT_TRUE(loader->add_relation("", relation("r", "c-1", "newcomer")).ok());
  std::vector<Neighbor> n;
  ASSERT_TRUE(loader->get_neighbors("", "c-1", Direction::kOut, "", &n).ok());
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].entity.id, "newcomer");
}

TEST(SqliteEndpointCache, AnEntityOfARolledBackBatchIsNotFound) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(dir.file("g.db")), &store).ok());
  ASSERT_TRUE(store->add_entity("", entity("kept")).ok());
  WriteBatch batch;
  batch.add_entity(entity("ghost"));
  batch.update_entity(entity("missing"));  // fails: the batch rolls back
  ASSERT_FALSE(store->apply("", batch).ok());
  Status s = store->add_relation("", relation("r", "kept", "ghost"));
  EXPECT_TRUE(s.is_not_found()) << s.to_string();
}

TEST(SqliteEndpointCache, AnEntityThisStoreClearedIsNotFound) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(dir.file("g.db")), &store).ok());
  BulkResult r;
  ASSERT_TRUE(store->add_entities_bulk("", some_entities(10), &r).ok());
  Removed removed;
  ASSERT_TRUE(store->clear("", ClearScope::kTenant, &removed).ok());
  Status s = store->add_relation("", relation("r", "c-1", "c-2"));
  EXPECT_TRUE(s.is_not_found()) << s.to_string();
}

}  // namespace
}  // namespace graphstore::sqlite_test
