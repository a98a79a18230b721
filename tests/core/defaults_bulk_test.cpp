// The default bulk adds: one-by-one semantics, skips reported, and a hard
// failure that leaves nothing behind.
#include <string>

#include "defaults_fixture.hpp"

namespace gs_test {
namespace {

using ::testing::IsEmpty;

OwnedEntity entity(const std::string& id, std::vector<float> embedding = {}) {
  OwnedEntity e;
  e.id = id;
  e.entity_type = "thing";
  e.properties_json = "{}";
  e.embedding = std::move(embedding);
  e.created_at = e.updated_at = 7;
  return e;
}

// Views of the items, and pointers to them as the bulk slots take them.
struct EntityItems {
  std::vector<gs_entity> views;
  std::vector<const gs_entity*> ptrs;
  explicit EntityItems(const std::vector<OwnedEntity>& items) {
    for (const auto& e : items) views.push_back(e.view());
    for (const auto& v : views) ptrs.push_back(&v);
  }
};

struct RelationItems {
  std::vector<gs_relation> views;
  std::vector<const gs_relation*> ptrs;
  explicit RelationItems(const std::vector<OwnedRelation>& items) {
    for (const auto& r : items) views.push_back(r.view());
    for (const auto& v : views) ptrs.push_back(&v);
  }
};

std::vector<std::string> skip_lines(const BulkOutcome& r) {
  std::vector<std::string> out;
  for (const auto& s : r.skips) out.push_back(std::to_string(s.index) + ":" + std::to_string(s.status));
  return out;
}

TEST_F(DefaultsTest, BulkEntitiesSkipDuplicatesAndInvalidItems) {
  add_entity("x", "thing", "{}", {1, 0});
  std::vector<OwnedEntity> items{entity("a"), entity("x"), entity("a"), entity("b", {0, 1}), entity("c", {1, 2, 3}),
                                 entity("d")};
  EntityItems in(items);
  in.ptrs.push_back(nullptr);
  BulkOutcome r = add_entities_bulk(in.ptrs);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_EQ(r.added, 3u);
  EXPECT_THAT(skip_lines(r), ::testing::ElementsAre("1:2", "2:2", "4:3", "6:3"));
  EXPECT_EQ(r.skips[0].message, "entity 'x' already exists in the global tenant");
  EXPECT_EQ(r.skips[1].message, "entity 'a' already exists in the global tenant");
  EXPECT_NE(r.skips[2].message.find("dimension"), std::string::npos) << r.skips[2].message;
  for (const char* id : {"a", "b", "d", "x"}) EXPECT_TRUE(entity_exists(id)) << id;
  EXPECT_FALSE(entity_exists("c"));
  // One batch that refused c, one that went through.
  EXPECT_EQ(store_.apply_batch_calls, 2);
}

TEST_F(DefaultsTest, BulkFirstEmbeddingSetsTheDimension) {
  std::vector<OwnedEntity> items{entity("p", {1, 2, 3}), entity("q", {1, 2}), entity("r", {4, 5, 6})};
  EntityItems in(items);
  BulkOutcome r = add_entities_bulk(in.ptrs);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_EQ(r.added, 2u);
  EXPECT_THAT(skip_lines(r), ::testing::ElementsAre("1:3"));
  EXPECT_FALSE(entity_exists("q"));
}

TEST_F(DefaultsTest, BulkALaterDuplicateStandsInForARefusedItem) {
  add_entity("x", "thing", "{}", {1, 0});
  // Added one by one, the first p fails (wrong dimension) and the second,
  // with no embedding, goes in; the third is then a duplicate.
  std::vector<OwnedEntity> items{entity("p", {1, 2, 3}), entity("p"), entity("p", {0, 1})};
  EntityItems in(items);
  BulkOutcome r = add_entities_bulk(in.ptrs);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_EQ(r.added, 1u);
  EXPECT_THAT(skip_lines(r), ::testing::ElementsAre("0:3", "2:2"));
  ASSERT_TRUE(entity_exists("p"));
  ScoredResult hits = vector_search({0, 1}, 10);
  EXPECT_EQ(hits.ids(), std::vector<std::string>{"x"});  // the stored p has no embedding
}

TEST_F(DefaultsTest, BulkHardFailureLeavesNothing) {
  add_entity("x");
  std::vector<OwnedEntity> items{entity("a"), entity("x"), entity("b")};
  EntityItems in(items);
  store_.batch_failure = GS_UNAVAILABLE;
  BulkOutcome r = add_entities_bulk(in.ptrs);
  EXPECT_EQ(r.status, GS_UNAVAILABLE);
  EXPECT_EQ(r.message, "injected batch failure");
  EXPECT_EQ(r.added, 0u);
  EXPECT_FALSE(entity_exists("a"));
  EXPECT_FALSE(entity_exists("b"));
  EXPECT_EQ(store_.apply_batch_calls, 1);  // no retry after a hard failure

  store_.batch_failure = GS_RESOURCE_EXHAUSTED;
  EXPECT_EQ(add_entities_bulk(in.ptrs).status, GS_RESOURCE_EXHAUSTED);
  EXPECT_FALSE(entity_exists("a"));

  store_.batch_failure = GS_OK;
  BulkOutcome ok = add_entities_bulk(in.ptrs);
  EXPECT_EQ(ok.status, GS_OK);
  EXPECT_EQ(ok.added, 2u);
}

TEST_F(DefaultsTest, BulkOfNothing) {
  BulkOutcome r = add_entities_bulk({});
  EXPECT_EQ(r.status, GS_OK);
  EXPECT_EQ(r.added, 0u);
  EXPECT_THAT(r.skips, IsEmpty());
  EXPECT_EQ(store_.apply_batch_calls, 0);
}

TEST_F(DefaultsTest, BulkRelationsSkipDuplicatesAndMissingEndpoints) {
  tenant_ = "t1";
  add_entity("a");
  add_entity("b");
  add_relation("r0", "a", "b");
  std::vector<OwnedRelation> items{relation("r1", "a", "b"), relation("r0", "b", "a"),  relation("r2", "a", "zz"),
                                   relation("r1", "b", "a"), relation("r3", "yy", "b"), relation("r4", "b", "b"),
                                   relation("r5", "a", "b")};
  RelationItems in(items);
  BulkOutcome r = add_relations_bulk(in.ptrs);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_EQ(r.added, 3u);  // r1, the self-loop r4, and r5 parallel to r1
  EXPECT_THAT(skip_lines(r), ::testing::ElementsAre("1:2", "2:1", "3:2", "4:1"));
  EXPECT_EQ(r.skips[0].message, "relation 'r0' already exists in tenant 't1'");
  EXPECT_EQ(r.skips[1].message, "relation 'r2': target entity 'zz' not found in tenant 't1'");
  EXPECT_EQ(r.skips[3].message, "relation 'r3': source entity 'yy' not found in tenant 't1'");
  for (const char* id : {"r0", "r1", "r4", "r5"}) EXPECT_TRUE(relation_exists(id)) << id;
  EXPECT_FALSE(relation_exists("r2"));
  EXPECT_FALSE(relation_exists("r3"));
  EXPECT_EQ(store_.apply_batch_calls, 1);
}

TEST_F(DefaultsTest, BulkRelationsHardFailureLeavesNothing) {
  add_entity("a");
  add_entity("b");
  std::vector<OwnedRelation> items{relation("r1", "a", "b"), relation("r2", "b", "a")};
  RelationItems in(items);
  store_.batch_failure = GS_INTERNAL;
  BulkOutcome r = add_relations_bulk(in.ptrs);
  EXPECT_EQ(r.status, GS_INTERNAL);
  EXPECT_EQ(r.added, 0u);
  EXPECT_FALSE(relation_exists("r1"));
  EXPECT_FALSE(relation_exists("r2"));
}

}  // namespace
}  // namespace gs_test
