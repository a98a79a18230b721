// apply_batch atomicity, bulk adds with skip reporting, the memory limit and
// arena compaction.
#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.hpp"

namespace gs_test {
namespace {

class InMemoryBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Entity a = embedded("a", {1, 0}, "person");
    a.source = "seed";
    ASSERT_TRUE(c.add(a).ok());
    ASSERT_TRUE(c.add(entity("b", "person", R"({"k":"v"})")).ok());
    ASSERT_TRUE(c.add(entity("c", "place")).ok());
    ASSERT_TRUE(c.add(relation("ab", "a", "b", "knows")).ok());
    ASSERT_TRUE(c.add(relation("bc", "b", "c", "lives")).ok());
    ASSERT_TRUE(c.add(relation("ca", "c", "a", "hosts")).ok());
    ASSERT_TRUE(c.add(relation("bb", "b", "b", "self")).ok());
  }
  Client c;
};

TEST_F(InMemoryBatchTest, AppliesInOrderAndLaterOpsSeeEarlierOnes) {
  size_t failed = 99;
  std::vector<Op> ops = {Op::add(entity("d")), Op::add(relation("ad", "a", "d")), Op::update(entity("d", "robot")),
                         Op::delete_entity("b"), Op::add(entity("b", "reborn"))};
  ASSERT_TRUE(c.batch(ops, &failed).ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("d", &got).ok());
  EXPECT_EQ(got.type, "robot");
  ASSERT_TRUE(c.get_entity("b", &got).ok());
  EXPECT_EQ(got.type, "reborn");
  Relation r;
  EXPECT_EQ(c.get_relation("ab", &r).status, GS_NOT_FOUND);
  EXPECT_TRUE(c.get_relation("ad", &r).ok());
  EXPECT_TRUE(c.batch({}, &failed).ok());
}

TEST_F(InMemoryBatchTest, FailureUndoesEveryOpExactly) {
  Dump before = dump(c);
  std::vector<Op> ops = {
      Op::update(embedded("a", {0, 1}, "robot")),
      Op::delete_entity("b"),  // takes ab, bc, bb along
      Op::add(entity("d", "new")),
      Op::add(relation("dc", "d", "c")),
      Op::update(relation("ca", "c", "d", "moved")),
      Op::delete_relation("dc"),
      Op::add(embedded("e", {5, 5}, "new")),
      Op::add(relation("bad", "d", "nobody")),  // fails
      Op::add(entity("never")),
  };
  size_t failed = 0;
  Result res = c.batch(ops, &failed);
  EXPECT_EQ(res.status, GS_NOT_FOUND);
  EXPECT_EQ(failed, 7u);
  EXPECT_EQ(res.message.rfind("batch op 7: ", 0), 0u) << res.message;
  EXPECT_EQ(dump(c), before);
  Scored hits;
  ASSERT_TRUE(c.vector_search({1, 0}, 5, "", -1, &hits).ok());
  EXPECT_EQ(hits, (Scored{{"a", 1.0}}));
  std::vector<std::string> ids;
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(InMemoryBatchTest, ReportsTheFailingOpsStatus) {
  Dump before = dump(c);
  size_t failed = 0;
  EXPECT_EQ(c.batch({Op::add(entity("z")), Op::add(entity("a"))}, &failed).status, GS_ALREADY_EXISTS);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(c.batch({Op::delete_relation("nope")}, &failed).status, GS_NOT_FOUND);
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(c.batch({Op::add(entity("z")), Op::add(embedded("y", {1, 2, 3}))}, &failed).status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(failed, 1u);
  Op unknown = Op::add(entity("q"));
  unknown.kind = 42;
  EXPECT_EQ(c.batch({Op::add(entity("z")), unknown}, &failed).status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(dump(c), before);
}

TEST_F(InMemoryBatchTest, RunsInTheCallsTenantOnly) {
  size_t failed = 0;
  ASSERT_TRUE(
      c.batch({Op::add(entity("a")), Op::add(entity("x")), Op::add(relation("ax", "a", "x"))}, &failed, "t1").ok());
  Relation r;
  EXPECT_EQ(c.get_relation("ax", &r).status, GS_NOT_FOUND);
  EXPECT_TRUE(c.get_relation("ax", &r, "t1").ok());
}

// ---- bulk ---------------------------------------------------------------------

TEST(InMemoryBulk, EntitiesSkipDuplicatesAndInvalidItemsByIndex) {
  Client c;
  ASSERT_TRUE(c.add(embedded("old", {1, 0})).ok());
  std::vector<Entity> items = {
      entity("n1"),          entity("old"), entity("n2"), entity("n1"), embedded("v", {1, 2, 3}),
      embedded("w", {0, 1}), entity("")};
  std::vector<Skip> skips;
  uint64_t added = 0;
  ASSERT_TRUE(c.add_entities_bulk(items, &skips, &added).ok());
  EXPECT_EQ(added, 3u);  // n1, n2, w
  ASSERT_EQ(skips.size(), 4u);
  EXPECT_EQ(skips[0].index, 1u);
  EXPECT_EQ(skips[0].status, GS_ALREADY_EXISTS);
  EXPECT_EQ(skips[1].index, 3u);  // duplicate of an earlier item of the same call
  EXPECT_EQ(skips[1].status, GS_ALREADY_EXISTS);
  EXPECT_NE(skips[1].message.find("'n1'"), std::string::npos);
  EXPECT_EQ(skips[2].index, 4u);
  EXPECT_EQ(skips[2].status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(skips[3].index, 6u);
  EXPECT_EQ(skips[3].status, GS_INVALID_ARGUMENT);
  Entity got;
  EXPECT_TRUE(c.get_entity("w", &got).ok());
  ASSERT_TRUE(c.add_entities_bulk({}, &skips, &added).ok());
  EXPECT_EQ(added, 0u);
}

TEST(InMemoryBulk, RelationsSkipMissingEndpointsAndDuplicates) {
  Client c;
  for (const char* id : {"a", "b"}) ASSERT_TRUE(c.add(entity(id), "t").ok());
  ASSERT_TRUE(c.add(relation("r0", "a", "b"), "t").ok());
  std::vector<Relation> items = {relation("r1", "a", "b"),     relation("r0", "b", "a"), relation("r2", "a", "ghost"),
                                 relation("r3", "ghost", "b"), relation("r1", "b", "b"), relation("r4", "b", "b")};
  std::vector<Skip> skips;
  uint64_t added = 0;
  ASSERT_TRUE(c.add_relations_bulk(items, &skips, &added, "t").ok());
  EXPECT_EQ(added, 2u);
  ASSERT_EQ(skips.size(), 4u);
  EXPECT_EQ(skips[0].index, 1u);
  EXPECT_EQ(skips[0].status, GS_ALREADY_EXISTS);
  EXPECT_EQ(skips[1].index, 2u);
  EXPECT_EQ(skips[1].status, GS_NOT_FOUND);
  EXPECT_NE(skips[1].message.find("'ghost'"), std::string::npos);
  EXPECT_EQ(skips[2].index, 3u);
  EXPECT_EQ(skips[2].status, GS_NOT_FOUND);
  EXPECT_EQ(skips[3].index, 4u);
  EXPECT_EQ(skips[3].status, GS_ALREADY_EXISTS);
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("b", GS_DIRECTION_BOTH, "", &ns, "t").ok());
  EXPECT_EQ(ns.size(), 3u);  // r0, r1, the self-loop r4 once
}

TEST(InMemoryBulk, SkipSinkMayCallBackIntoTheStore) {
  Client c;
  ASSERT_TRUE(c.add(entity("a")).ok());
  struct Ctx {
    Client* c;
    int calls = 0;
    gs_status nested = -1;
  } ctx{&c};
  auto fn = +[](void* p, size_t, gs_status, gs_str) -> int32_t {
    auto* x = static_cast<Ctx*>(p);
    ++x->calls;
    x->nested = x->c->add(entity("from-sink")).status;  // would deadlock if called under the write lock
    return 0;
  };
  Entity dup = entity("a");
  gs_entity v = view(dup);
  const gs_entity* items[] = {&v};
  uint64_t added = 7;
  char buf[128];
  gs_errbuf err{buf, sizeof buf};
  ASSERT_EQ(c.api()->add_entities_bulk(c.raw(), gs_str{"", 0}, items, 1, fn, &ctx, &added, &err), GS_OK);
  EXPECT_EQ(added, 0u);
  EXPECT_EQ(ctx.calls, 1);
  EXPECT_EQ(ctx.nested, GS_OK);
}

// ---- memory limit ---------------------------------------------------------------

TEST(InMemoryMemoryLimit, RefusesWritesKeepsReads) {
  Client c(R"({"max_memory_mb": 1})");
  ASSERT_TRUE(c.open_result().ok());
  std::string props = R"({"pad":")" + std::string(1000, 'x') + R"("})";
  Result last;
  int added = 0;
  for (; added < 100000; ++added) {
    last = c.add(entity(cat("e", added), "thing", props));
    if (!last.ok()) break;
  }
  ASSERT_EQ(last.status, GS_RESOURCE_EXHAUSTED);
  EXPECT_GT(added, 300);   // about 1 MB of data went in
  EXPECT_LT(added, 1100);  // and not much more
  const std::string lead = "memory limit of 1 MB reached (using ";
  size_t at = last.message.find(lead);
  ASSERT_NE(at, std::string::npos) << last.message;
  size_t end = last.message.find(" MB)", at);
  ASSERT_NE(end, std::string::npos) << last.message;
  std::string using_mb = last.message.substr(at + lead.size(), end - at - lead.size());
  EXPECT_EQ(using_mb.size(), 3u) << using_mb;  // one decimal, e.g. "1.0"
  EXPECT_GE(std::stod(using_mb), 1.0);
  EXPECT_LT(std::stod(using_mb), 1.5);
  // Reads keep working.
  Entity got;
  EXPECT_TRUE(c.get_entity("e0", &got).ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids.size(), size_t(added));
  // Every write that adds data is refused.
  EXPECT_EQ(c.update(entity("e0")).status, GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(c.add(relation("r", "e0", "e1")).status, GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(c.add(entity("t"), "other-tenant").status, GS_RESOURCE_EXHAUSTED);
  size_t failed = 9;
  EXPECT_EQ(c.batch({Op::delete_entity("e1"), Op::add(entity("x"))}, &failed).status, GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(failed, 1u);
  EXPECT_TRUE(c.get_entity("e1", &got).ok());  // the batch was undone
  std::vector<Skip> skips;
  uint64_t n = 0;
  EXPECT_EQ(c.add_entities_bulk({entity("y")}, &skips, &n).status, GS_RESOURCE_EXHAUSTED);
  // Deleting frees memory and stays possible.
  for (int i = 0; i < added; ++i) ASSERT_TRUE(c.delete_entity(cat("e", i)).ok());
  EXPECT_TRUE(c.add(entity("again", "thing", props)).ok());
}

TEST(InMemoryMemoryLimit, BulkCrossingTheLimitAddsNothing) {
  Client c(R"({"max_memory_mb": 2})");
  ASSERT_TRUE(c.add(entity("keep")).ok());
  std::string props = R"({"pad":")" + std::string(1000, 'x') + R"("})";
  std::vector<Entity> items;
  for (int i = 0; i < 5000; ++i) items.push_back(entity(cat("b", i), "thing", props));
  items.push_back(entity("keep"));  // a skip that must not survive the abort either way
  std::vector<Skip> skips;
  uint64_t added = 99;
  Result r = c.add_entities_bulk(items, &skips, &added);
  EXPECT_EQ(r.status, GS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(added, 0u);
  std::vector<Entity> all;
  ASSERT_TRUE(c.entities(&all).ok());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "keep");
  StatsMap stats;
  ASSERT_TRUE(c.stats(&stats).ok());
  EXPECT_EQ(stats, (StatsMap{{{GS_KIND_ENTITY, "thing"}, 1}}));
  // The rolled-back bytes are reclaimed: a smaller bulk fits again.
  items.resize(500);
  ASSERT_TRUE(c.add_entities_bulk(items, &skips, &added).ok());
  EXPECT_EQ(added, 500u);
}

TEST(InMemoryMemoryLimit, RelationBulkRollsBackToo) {
  Client c(R"({"max_memory_mb": 1})");
  ASSERT_TRUE(c.add(entity("a")).ok());
  ASSERT_TRUE(c.add(entity("b")).ok());
  std::string props = R"({"pad":")" + std::string(2000, 'x') + R"("})";
  std::vector<Relation> items;
  for (int i = 0; i < 2000; ++i) {
    items.push_back(relation(cat("r", i), i % 2 ? "a" : "b", "a"));
    items.back().properties = props;
  }
  std::vector<Skip> skips;
  uint64_t added = 0;
  EXPECT_EQ(c.add_relations_bulk(items, &skips, &added).status, GS_RESOURCE_EXHAUSTED);
  std::vector<Relation> rels;
  ASSERT_TRUE(c.relations(&rels).ok());
  EXPECT_TRUE(rels.empty());
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_BOTH, "", &ns).ok());
  EXPECT_TRUE(ns.empty());
}

// ---- compaction -----------------------------------------------------------------

TEST(InMemoryCompaction, RewritesBlobsWithoutChangingData) {
  Client c;
  for (int i = 0; i < 200; ++i) {
    Entity e = embedded(cat("e", i), {float(i), 1, 2});
    if (i % 3 == 0) e.source = cat("s", i);
    ASSERT_TRUE(c.add(e).ok());
    if (i > 0) {
      ASSERT_TRUE(c.add(relation(cat("r", i), cat("e", i - 1), e.id)).ok());
    }
  }
  // Many large updates leave megabytes of garbage behind and trigger
  // compactions along the way.
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 200; i += 2) {
      Entity e = embedded(cat("e", i), {float(i), float(round), 2}, cat("t", round));
      e.properties = R"({"round":")" + std::string(20000, char('a' + round)) + R"("})";
      ASSERT_TRUE(c.update(e).ok());
    }
  }
  for (int i = 0; i < 200; ++i) {
    Entity got;
    ASSERT_TRUE(c.get_entity(cat("e", i), &got).ok());
    if (i % 2 == 0) {
      EXPECT_EQ(got.properties.size(), 20000u + 12);
      EXPECT_EQ(got.embedding, (std::vector<float>{float(i), 4, 2}));
      EXPECT_EQ(got.type, "t4");
      EXPECT_FALSE(got.source.has_value());
    } else {
      EXPECT_EQ(got.properties, "{}");
      EXPECT_EQ(got.embedding, (std::vector<float>{float(i), 1, 2}));
      EXPECT_EQ(got.source.has_value(), i % 3 == 0);
    }
  }
  Relation r;
  ASSERT_TRUE(c.get_relation("r150", &r).ok());
  EXPECT_EQ(r.source_id, "e149");
}

}  // namespace
}  // namespace gs_test
