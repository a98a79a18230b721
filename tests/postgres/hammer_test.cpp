// 32 threads hammering one store (20 pooled connections) with
// mixed reads and writes; every call succeeds and every write is there at the
// end. Labelled `concurrency` for the ThreadSanitizer run.
#include <thread>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

TEST(PostgresHammer, ThirtyTwoThreadsOnOneStore) {
  Server s = shared_server();
  std::string schema = unique_name("hammer_");
  std::unique_ptr<Store> store;
  Status st = open_store(options_for(s, schema, ",\"min_pool_size\":5,\"max_pool_size\":20"), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  constexpr int kThreads = 32, kPerThread = 40;
  std::atomic<int> failures{0};
  std::mutex mu;
  std::string first_failure;
  auto check = [&](const Status& x, const char* what) {
    if (x.ok()) return;
    if (failures++ == 0) {
      std::lock_guard<std::mutex> lock(mu);
      first_failure = std::string(what) + ": " + x.to_string();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::string tenant = t % 2 ? "" : "tenant-" + std::to_string(t % 4);
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        Entity e = entity(id, "N", "{\"t\":" + std::to_string(t) + ",\"name\":\"node " + id + "\"}");
        if (i % 5 == 0) e.embedding = {float(t), float(i), 1.0f};
        check(store->add_entity(tenant, e), "add_entity");
        if (i > 0) {
          Relation r;
          r.id = id + "-r";
          r.relation_type = "NEXT";
          r.source_id = "t" + std::to_string(t) + "-" + std::to_string(i - 1);
          r.target_id = id;
          check(store->add_relation(tenant, r), "add_relation");
        }
        Entity got;
        check(store->get_entity(tenant, id, &got), "get_entity");
        e.properties = "{\"t\":" + std::to_string(t) + ",\"v\":2}";
        check(store->update_entity(tenant, e), "update_entity");
        std::vector<Neighbor> n;
        check(store->get_neighbors(tenant, id, Direction::kBoth, "", &n), "get_neighbors");
        if (i % 10 == 9) {
          TraverseResult tr;
          TraverseOptions o;
          o.max_depth = 3;
          check(store->traverse(tenant, "t" + std::to_string(t) + "-0", o, &tr), "traverse");
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  size_t entities = 0, relations = 0;
  for (const std::string tenant : {"", "tenant-0", "tenant-2"}) {
    ASSERT_TRUE(store->for_each_entity(tenant, [&](const Entity&) { return ++entities, true; }).ok());
    ASSERT_TRUE(store->for_each_relation(tenant, [&](const Relation&) { return ++relations, true; }).ok());
  }
  EXPECT_EQ(entities, size_t(kThreads * kPerThread));
  EXPECT_EQ(relations, size_t(kThreads * (kPerThread - 1)));
}

}  // namespace
}  // namespace graphstore::pgtest
