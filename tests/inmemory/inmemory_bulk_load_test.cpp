// Large relation bulk adds, which link edges on a second thread (EdgeLinker):
// the result equals one add at a time, skips included; a call aborted part-way
// leaves nothing behind, linked or not; readers running alongside see each
// call whole or not at all. Labelled concurrency, so it also runs under TSan.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "test_util.hpp"

namespace gs_test {
namespace {

// Above the size from which a relation bulk add uses the linker thread.
constexpr int kLarge = 6000;

// kLarge relations over n_entities entities, with every kind of skip mixed in:
// duplicates of stored and of earlier items, missing endpoints, self-loops,
// an empty id.
std::vector<Relation> mixed_relations(int n_entities, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Relation> items;
  for (int i = 0; i < kLarge; ++i) {
    std::string source = cat("e", rng() % n_entities), target = cat("e", rng() % n_entities);
    switch (i % 97) {
      case 5: target = "ghost"; break;
      case 11: source = "ghost"; break;
      case 17: target = source; break;
      default: break;
    }
    std::string id = i % 89 == 3 ? "stored" : i % 83 == 7 ? cat("r", i - 7) : i == 4321 ? "" : cat("r", i);
    items.push_back(relation(id, source, target, i % 3 ? "knows" : "cites"));
  }
  return items;
}

void add_entities(Client& c, int n, const std::string& tenant = "") {
  std::vector<Entity> entities;
  for (int i = 0; i < n; ++i) entities.push_back(entity(cat("e", i)));
  std::vector<Skip> skips;
  uint64_t added = 0;
  ASSERT_TRUE(c.add_entities_bulk(entities, &skips, &added, tenant).ok());
  ASSERT_EQ(added, uint64_t(n));
}

TEST(InMemoryBulkLoad, LargeRelationBulkEqualsOneAtATime) {
  Client bulk, single;
  for (Client* c : {&bulk, &single}) {
    add_entities(*c, 300);
    ASSERT_TRUE(c->add(relation("stored", "e1", "e2")).ok());
  }
  std::vector<Relation> items = mixed_relations(300, 7);
  std::vector<Skip> skips;
  uint64_t added = 0;
  ASSERT_TRUE(bulk.add_relations_bulk(items, &skips, &added).ok());

  std::vector<Skip> expected;
  for (size_t i = 0; i < items.size(); ++i) {
    Result r = single.add(items[i]);
    if (!r.ok()) expected.push_back(Skip{i, r.status, r.message});
  }
  EXPECT_EQ(added, items.size() - expected.size());
  ASSERT_EQ(skips.size(), expected.size());
  for (size_t k = 0; k < skips.size(); ++k) {
    EXPECT_EQ(skips[k].index, expected[k].index);
    EXPECT_EQ(skips[k].status, expected[k].status);
    EXPECT_EQ(skips[k].message, expected[k].message);
  }
  for (gs_status kind : {GS_ALREADY_EXISTS, GS_NOT_FOUND, GS_INVALID_ARGUMENT})
    EXPECT_TRUE(std::any_of(expected.begin(), expected.end(), [kind](const Skip& s) { return s.status == kind; }))
        << "no skip with status " << kind;
  EXPECT_TRUE(dump(bulk) == dump(single));
}

TEST(InMemoryBulkLoad, LargeRelationBulkOverTheLimitLeavesNothing) {
  Client c(R"({"max_memory_mb": 2})");
  add_entities(c, 50);
  Dump before = dump(c);
  std::string props = R"({"pad":")" + std::string(600, 'x') + R"("})";
  std::vector<Relation> items;
  for (int i = 0; i < kLarge; ++i) {
    items.push_back(relation(cat("r", i), cat("e", i % 50), cat("e", (i * 7) % 50)));
    items.back().properties = props;
  }
  std::vector<Skip> skips;
  uint64_t added = 99;
  EXPECT_EQ(c.add_relations_bulk(items, &skips, &added).status, GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(added, 0u);
  EXPECT_TRUE(dump(c) == before);
  // What was rolled back is reusable: a call that fits goes through whole.
  items.resize(500);
  ASSERT_TRUE(c.add_relations_bulk(items, &skips, &added).ok());
  EXPECT_EQ(added, 500u);
}

TEST(InMemoryBulkLoad, ReadersSeeEachLargeBulkWholeOrNotAtAll) {
  Client c;
  add_entities(c, 200, "t");
  constexpr int kCalls = 6;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int k = 0; k < kCalls; ++k) {
      std::vector<Relation> items;
      for (int i = 0; i < kLarge; ++i) items.push_back(relation(cat("c", k) + cat("-", i), "e0", cat("e", i % 200)));
      std::vector<Skip> skips;
      uint64_t added = 0;
      EXPECT_TRUE(c.add_relations_bulk(items, &skips, &added, "t").ok());
      EXPECT_EQ(added, uint64_t(kLarge));
    }
    done = true;
  });
  while (!done) {
    std::vector<Neighbor> out;
    ASSERT_TRUE(c.neighbors("e0", GS_DIRECTION_OUT, "", &out, "t").ok());
    EXPECT_EQ(out.size() % kLarge, 0u) << "a reader saw part of a bulk add";
  }
  writer.join();
  std::vector<Neighbor> out;
  ASSERT_TRUE(c.neighbors("e0", GS_DIRECTION_OUT, "", &out, "t").ok());
  EXPECT_EQ(out.size(), size_t(kCalls) * kLarge);
}

}  // namespace
}  // namespace gs_test
