// Threads: readers and writers on one store at once (pooled reader
// connections, one writer), two stores on one file, and sinks that call back
// into the store. Labelled "concurrency" for the ThreadSanitizer run.
#include <atomic>
#include <thread>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

class SqliteConcurrency : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    path_ = std::string(GetParam()) == "file" ? dir_.file("g.db") : ":memory:";
    ASSERT_TRUE(open_store(options_for(path_), &store_).ok());
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_P(SqliteConcurrency, ReadersAndWritersOnOneStore) {
  constexpr int kWriters = 3, kReaders = 3, kEach = 60;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      std::string prefix = "w" + std::to_string(w) + "-";
      for (int i = 0; i < kEach; ++i) {
        Entity e = entity(prefix + std::to_string(i), "Doc", R"({"t":"thread words )" + std::to_string(i) + R"("})");
        if (!store_->add_entity("", e).ok()) ++errors;
        if (i > 0 && !store_
                          ->add_relation("", relation(prefix + "r" + std::to_string(i), prefix + std::to_string(i - 1),
                                                      prefix + std::to_string(i)))
                          .ok())
          ++errors;
        e.properties = R"({"t":"updated"})";
        if (i % 3 == 0 && !store_->update_entity("", e).ok()) ++errors;
      }
      --writers_left;
    });
  for (int r = 0; r < kReaders; ++r)
    threads.emplace_back([&, r] {
      for (int round = 0; round < 5 || writers_left.load() > 0; ++round) {
        std::string id = "w" + std::to_string(r) + "-" + std::to_string(round % kEach);
        Entity e;
        Status s = store_->get_entity("", id, &e);
        if (!s.ok() && !s.is_not_found()) ++errors;
        TraverseResult t;
        s = store_->traverse("", "w" + std::to_string(r) + "-0", {}, &t);
        if (!s.ok() && !s.is_not_found()) ++errors;
        std::vector<ScoredEntity> hits;
        TextQuery q;
        q.text = "thread";
        if (!store_->text_search("", q, &hits).ok()) ++errors;
        Stats stats;
        if (!store_->get_stats("", &stats).ok()) ++errors;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(entity_ids(*store_).size(), size_t(kWriters * kEach));
  Stats stats;
  ASSERT_TRUE(store_->get_stats("", &stats).ok());
  EXPECT_EQ(stats.relation_count, uint64_t(kWriters * (kEach - 1)));
  std::vector<ScoredEntity> hits;
  TextQuery q;
  q.text = "updated";
  q.k = 1000;
  ASSERT_TRUE(store_->text_search("", q, &hits).ok());
  EXPECT_EQ(hits.size(), size_t(kWriters * kEach / 3));
}

// A sink that calls back into the store running it is refused by the host
// (abi.h's re-entrancy rule), reads and writes alike, and the scan goes on: the
// plugin never sees a nested call while it holds a reader or the writer.
TEST_P(SqliteConcurrency, SinksThatCallBackIntoTheStoreAreRefused) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->add_entity("", entity("e" + std::to_string(i))).ok());
  int seen = 0;
  Status s = store_->for_each_entity("", [&](const Entity& e) {
    Entity again;
    EXPECT_TRUE(store_->get_entity("", e.id, &again).is_invalid_argument());
    Status nested = store_->add_entity("copies", entity(e.id));
    EXPECT_TRUE(nested.is_invalid_argument()) << nested.to_string();
    EXPECT_NE(nested.message().find("called from inside a callback of the same store"), std::string::npos);
    ++seen;
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(seen, 5);
  EXPECT_TRUE(entity_ids(*store_, "copies").empty());
}

// Bulk loads that drop the relation indexes (writes.cpp) while other threads
// read neighbours: every read answers from a snapshot that either has the
// indexes or builds them first, and sees only relations of whole bulk calls.
TEST_P(SqliteConcurrency, NeighbourReadsDuringBulkLoadsThatDropTheRelationIndexes) {
  constexpr int kEntities = 50, kCalls = 4, kPerCall = 1500;
  std::vector<Entity> es;
  for (int i = 0; i < kEntities; ++i) es.push_back(entity("n" + std::to_string(i)));
  BulkResult r;
  ASSERT_TRUE(store_->add_entities_bulk("", es, &r).ok());
  std::atomic<bool> loading{true};
  std::atomic<int> errors{0};
  std::thread loader([&] {
    for (int c = 0; c < kCalls; ++c) {
      std::vector<Relation> rs;
      for (int i = c * kPerCall; i < (c + 1) * kPerCall; ++i)
        rs.push_back(relation("r" + std::to_string(100000 + i), "n" + std::to_string(i % kEntities),
                              "n" + std::to_string(i * 7 % kEntities)));
      BulkResult added;
      if (!store_->add_relations_bulk("", rs, &added).ok() || added.added != size_t(kPerCall)) ++errors;
    }
    loading = false;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t)
    readers.emplace_back([&, t] {
      std::vector<Neighbor> out;
      do {
        std::string id = "n" + std::to_string(t);
        if (!store_->get_neighbors("", id, Direction::kOut, "", &out).ok()) ++errors;
        // Node t is the source of every kEntities-th relation: whole calls only.
        if (out.size() % (kPerCall / kEntities) != 0) ++errors;
        for (const Neighbor& n : out)
          if (n.relation.source_id != id) ++errors;
      } while (loading);
    });
  loader.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<Neighbor> out;
  ASSERT_TRUE(store_->get_neighbors("", "n0", Direction::kOut, "", &out).ok());
  EXPECT_EQ(out.size(), size_t(kCalls * kPerCall / kEntities));
}

INSTANTIATE_TEST_SUITE_P(Modes, SqliteConcurrency, ::testing::Values("file", "memory"));

TEST(SqliteConcurrencyTwoStores, WritersOnTwoStoresOfOneFileLoseNothing) {
  TempDir dir;
  std::string p = dir.file("g.db");
  std::unique_ptr<Store> a, b;
  ASSERT_TRUE(open_store(options_for(p), &a).ok());
  ASSERT_TRUE(open_store(options_for(p), &b).ok());
  std::atomic<int> errors{0};
  auto writer = [&](Store* s, const std::string& prefix) {
    for (int i = 0; i < 100; ++i)
      if (!s->add_entity("", entity(prefix + std::to_string(i))).ok()) ++errors;
  };
  std::thread ta(writer, a.get(), "a"), tb(writer, b.get(), "b");
  ta.join();
  tb.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(entity_ids(*a).size(), 200u);
  EXPECT_EQ(entity_ids(*b).size(), 200u);
}

}  // namespace
}  // namespace graphstore::sqlite_test
