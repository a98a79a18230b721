// Eight threads at once: writers in several tenants (single writes, batches
// that commit or roll back, bulk adds) and readers checking that every answer
// they get is internally consistent, never a half-applied write.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "test_util.hpp"

namespace gs_test {
namespace {

constexpr int kPerWriter = 400;

std::string node(int writer, int i) { return cat("w", writer) + cat("-", i); }

// Writer w builds a chain w-0 -> w-1 -> ... in its tenant, updates every
// third node and deletes every fifth relation.
void chain_writer(Client& c, int w, const std::string& tenant) {
  for (int i = 0; i < kPerWriter; ++i) {
    Entity e = entity(node(w, i), "node", R"({"id":")" + node(w, i) + R"("})");
    e.embedding = {float(i), 1.0f};
    ASSERT_TRUE(c.add(e, tenant).ok());
    if (i > 0) {
      ASSERT_TRUE(c.add(relation("r" + node(w, i), node(w, i - 1), node(w, i)), tenant).ok());
    }
    if (i % 3 == 0) {
      e.type = "updated";
      ASSERT_TRUE(c.update(e, tenant).ok());
    }
    if (i % 5 == 0 && i > 0) {
      ASSERT_TRUE(c.delete_relation("r" + node(w, i), tenant).ok());
    }
  }
}

// Batches of two entities: even ones commit, odd ones fail on their last op
// and must leave no trace.
void batch_writer(Client& c, std::atomic<int>* committed) {
  for (int k = 0; k < 300; ++k) {
    std::vector<Op> ops = {Op::add(entity(cat("pair-", k) + "-a", "pair")),
                           Op::add(entity(cat("pair-", k) + "-b", "pair")),
                           Op::add(relation(cat("pr-", k), cat("pair-", k) + "-a", cat("pair-", k) + "-b"))};
    if (k % 2) ops.push_back(Op::add(relation("broken", "pair-x", "nobody")));
    size_t failed = 0;
    Result r = c.batch(ops, &failed);
    ASSERT_EQ(r.ok(), k % 2 == 0) << r.message;
    if (r.ok()) committed->fetch_add(1);
  }
}

void bulk_writer(Client& c) {
  for (int k = 0; k < 20; ++k) {
    std::vector<Entity> items;
    for (int i = 0; i < 50; ++i) items.push_back(entity(cat("bulk-", k) + cat("-", i), "bulk"));
    items.push_back(entity("bulk-0-0", "bulk"));  // a skip from the second call on
    std::vector<Skip> skips;
    uint64_t added = 0;
    ASSERT_TRUE(c.add_entities_bulk(items, &skips, &added, "bulk").ok());
    ASSERT_EQ(added, k == 0 ? 51u - 1u : 50u);
  }
}

void reader(Client& c, const std::atomic<bool>& done, std::atomic<long>* checks) {
  std::vector<std::string> ids;
  std::vector<Hit> hits;
  std::vector<Path> paths;
  // At least a few rounds even if the writers finish first.
  for (int round = 0; !done.load() || round < 20; ++round) {
    // A scan is sorted, unique, and shows committed pairs whole.
    ASSERT_TRUE(c.scan_entities("pair", "", 0, GS_NO_LIMIT, &ids).ok());
    ASSERT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    ASSERT_EQ(ids.size() % 2, 0u);
    for (size_t i = 0; i < ids.size(); i += 2) {
      ASSERT_EQ(ids[i].substr(0, ids[i].size() - 1), ids[i + 1].substr(0, ids[i + 1].size() - 1));
      ASSERT_EQ(std::stoi(ids[i].substr(5)) % 2, 0) << "a rolled-back batch is visible: " << ids[i];
    }
    // A record is either absent or whole.
    for (int w = 0; w < 2; ++w) {
      Entity e;
      Result r = c.get_entity(node(w, 123), &e, w == 0 ? "" : "t1");
      if (r.ok()) {
        ASSERT_EQ(e.properties, R"({"id":")" + node(w, 123) + R"("})");
        ASSERT_EQ(e.embedding, (std::vector<float>{123, 1}));
      } else {
        ASSERT_EQ(r.status, GS_NOT_FOUND);
      }
    }
    // Traversal answers are ordered by (depth, id) whatever the writers do.
    bool truncated;
    Result t = c.traverse(node(0, 0), GS_DIRECTION_OUT, "", 6, 50, &hits, &truncated);
    if (t.ok()) {
      for (size_t i = 1; i < hits.size(); ++i)
        ASSERT_TRUE(hits[i - 1].depth < hits[i].depth ||
                    (hits[i - 1].depth == hits[i].depth && hits[i - 1].id < hits[i].id));
    }
    Result p = c.paths(node(1, 1), node(1, 4), "", 5, 3, &paths, &truncated, "t1");
    if (p.ok()) {
      for (const auto& path : paths) ASSERT_EQ(path.entities.front(), node(1, 1));
    }
    Scored scored;
    ASSERT_TRUE(c.vector_search({1, 0}, 5, "", -1, &scored).ok());
    ASSERT_TRUE(
        std::is_sorted(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.second > b.second; }));
    checks->fetch_add(1);
  }
}

TEST(InMemoryConcurrency, EightThreadsReadAndWrite) {
  Client c;
  std::atomic<bool> done{false};
  std::atomic<int> committed{0};
  std::atomic<long> checks{0};
  std::thread writers[] = {std::thread([&] { chain_writer(c, 0, ""); }), std::thread([&] { chain_writer(c, 1, "t1"); }),
                           std::thread([&] { batch_writer(c, &committed); }), std::thread([&] { bulk_writer(c); })};
  std::thread readers[4];
  for (auto& t : readers) t = std::thread([&] { reader(c, done, &checks); });
  for (auto& t : writers) t.join();
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_GT(checks.load(), 0);

  // The final state is exactly what the writers did.
  std::vector<std::string> ids;
  ASSERT_TRUE(c.scan_entities("pair", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids.size(), size_t(2 * committed.load()));
  EXPECT_EQ(committed.load(), 150);
  StatsMap stats;
  ASSERT_TRUE(c.stats(&stats, "t1").ok());
  uint64_t updated = (kPerWriter + 2) / 3;
  uint64_t deleted = (kPerWriter - 1) / 5;
  EXPECT_EQ(stats, (StatsMap{{{GS_KIND_ENTITY, "node"}, kPerWriter - updated},
                             {{GS_KIND_ENTITY, "updated"}, updated},
                             {{GS_KIND_RELATION, "links"}, kPerWriter - 1 - deleted}}));
  ASSERT_TRUE(c.stats(&stats, "bulk").ok());
  EXPECT_EQ(stats, (StatsMap{{{GS_KIND_ENTITY, "bulk"}, 1000}}));
  std::vector<std::string> tenants;
  ASSERT_TRUE(c.tenants(&tenants).ok());
  std::sort(tenants.begin(), tenants.end());
  EXPECT_EQ(tenants, (std::vector<std::string>{"bulk", "t1"}));
}

}  // namespace
}  // namespace gs_test
