// Traverse, find_paths and subgraph on a small graph whose answers are worked
// out by hand from the contract (abi.h). Every case runs with the plugin's
// native slots and with the core's defaults.
#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Traversal);

using Strings = std::vector<std::string>;

// a, b, c, d and the isolated e. Relation ids are chosen so that bytewise
// order ("r10" < "r3") differs from numeric order.
void build(Store& s) {
  for (const char* id : {"a", "b", "c", "d", "e"}) ASSERT_TRUE(IsOk(s.add_entity("", make_entity(id))));
  struct R {
    const char *id, *from, *to, *type;
  };
  for (R r : {R{"r1", "a", "b", "KNOWS"}, R{"r2", "a", "c", "LIKES"}, R{"r7", "a", "b", "LIKES"},
              R{"r9", "b", "d", "KNOWS"}, R{"r4", "c", "d", "KNOWS"}, R{"r5", "d", "a", "KNOWS"},
              R{"r6", "b", "b", "KNOWS"}, R{"r10", "d", "c", "KNOWS"}, R{"r3", "d", "c", "LIKES"}})
    ASSERT_TRUE(IsOk(s.add_relation("", make_relation(r.id, r.from, r.to, r.type))));
}

// "entity@depth/relation" per hit.
Strings hits(Store& s, std::string_view start, Direction d, uint32_t depth, uint64_t max_results = 1000,
             std::string type = "", bool* truncated = nullptr) {
  TraverseOptions o;
  o.direction = d;
  o.max_depth = depth;
  o.max_results = max_results;
  o.relation_type = std::move(type);
  TraverseResult r;
  Status st = s.traverse("", start, o, &r);
  EXPECT_TRUE(IsOk(st));
  if (truncated) *truncated = r.truncated;
  Strings out;
  for (const auto& h : r.hits) out.push_back(h.entity.id + "@" + std::to_string(h.depth) + "/" + h.via.id);
  return out;
}

// "r1,r9" per path, after checking that each path is a chain from source to target.
Strings paths(Store& s, std::string_view from, std::string_view to, uint32_t depth, uint64_t max_paths = 100,
              std::string type = "", bool* truncated = nullptr) {
  PathOptions o;
  o.max_depth = depth;
  o.max_paths = max_paths;
  o.relation_type = std::move(type);
  PathResult r;
  Status st = s.find_paths("", from, to, o, &r);
  EXPECT_TRUE(IsOk(st));
  if (truncated) *truncated = r.truncated;
  Strings out;
  for (const auto& p : r.paths) {
    EXPECT_EQ(p.entities.size(), p.relations.size() + 1);
    if (p.entities.empty()) continue;
    EXPECT_EQ(p.entities.front().id, from);
    EXPECT_EQ(p.entities.back().id, to);
    std::string ids;
    for (size_t i = 0; i < p.relations.size(); ++i) {
      EXPECT_EQ(p.relations[i].source_id, p.entities[i].id);
      EXPECT_EQ(p.relations[i].target_id, p.entities[i + 1].id);
      ids += (i ? "," : "") + p.relations[i].id;
    }
    out.push_back(ids);
  }
  return out;
}

TEST_P(Traversal, OutwardBreadthFirstWithFirstDiscoveryWinning) {
  build(store());
  for_each_mode([&] {
    bool truncated = true;
    // d is reached from b (processed before c) by r9, although r4 < r9.
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 3, 1000, "", &truncated), (Strings{"b@1/r1", "c@1/r2", "d@2/r9"}));
    EXPECT_FALSE(truncated);
  });
}

TEST_P(Traversal, InwardAndBothDirections) {
  build(store());
  for_each_mode([&] {
    EXPECT_EQ(hits(store(), "a", Direction::kIn, 3), (Strings{"d@1/r5", "b@2/r9", "c@2/r4"}));
    // d's relations in bytewise id order: r10 (c), r3, r4, r5 (a), r9 (b).
    EXPECT_EQ(hits(store(), "d", Direction::kBoth, 1), (Strings{"a@1/r5", "b@1/r9", "c@1/r10"}));
    EXPECT_EQ(hits(store(), "b", Direction::kBoth, 2), (Strings{"a@1/r1", "d@1/r9", "c@2/r2"}));
  });
}

TEST_P(Traversal, RelationTypeFilter) {
  build(store());
  for_each_mode([&] {
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 3, 1000, "LIKES"), (Strings{"b@1/r7", "c@1/r2"}));
    EXPECT_EQ(hits(store(), "d", Direction::kIn, 2, 1000, "KNOWS"), (Strings{"b@1/r9", "c@1/r4", "a@2/r1"}));
    EXPECT_TRUE(hits(store(), "a", Direction::kBoth, 3, 1000, "NONE").empty());
  });
}

TEST_P(Traversal, DepthAndResultLimits) {
  build(store());
  for_each_mode([&] {
    bool truncated = false;
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 3, 2, "", &truncated), (Strings{"b@1/r1", "c@1/r2"}));
    EXPECT_TRUE(truncated);
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 3, 3, "", &truncated), (Strings{"b@1/r1", "c@1/r2", "d@2/r9"}));
    EXPECT_FALSE(truncated) << "exactly max_results hits exist";
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 1, 2, "", &truncated), (Strings{"b@1/r1", "c@1/r2"}));
    EXPECT_FALSE(truncated) << "d lies beyond max_depth";
    EXPECT_EQ(hits(store(), "a", Direction::kOut, 3, 1, "", &truncated), (Strings{"b@1/r1"}));
    EXPECT_TRUE(truncated);
    EXPECT_TRUE(hits(store(), "a", Direction::kOut, 0, 1000, "", &truncated).empty());
    EXPECT_FALSE(truncated);
    EXPECT_TRUE(hits(store(), "e", Direction::kBoth, 5, 1000, "", &truncated).empty());
    EXPECT_FALSE(truncated);
  });
}

TEST_P(Traversal, HitsCarryWholeRecords) {
  build(store());
  Entity d;
  Relation r9;
  GS_ASSERT_OK(store().get_entity("", "d", &d));
  GS_ASSERT_OK(store().get_relation("", "r9", &r9));
  for_each_mode([&] {
    TraverseResult r;
    GS_ASSERT_OK(store().traverse("", "a", {}, &r));
    ASSERT_EQ(r.hits.size(), 3u);
    EXPECT_EQ(r.hits[2].entity, d);
    EXPECT_EQ(r.hits[2].via, r9);
    EXPECT_EQ(r.hits[2].depth, 2u);
  });
}

TEST_P(Traversal, MissingStartIsNotFound) {
  build(store());
  for_each_mode([&] {
    TraverseResult r;
    GS_EXPECT_CODE(store().traverse("", "zz", {}, &r), kNotFound);
    EXPECT_TRUE(r.hits.empty());
  });
}

TEST_P(Traversal, PathsOrderedByLengthThenRelationIds) {
  build(store());
  for_each_mode([&] {
    bool truncated = true;
    EXPECT_EQ(paths(store(), "a", "d", 5, 100, "", &truncated), (Strings{"r1,r9", "r2,r4", "r7,r9"}));
    EXPECT_FALSE(truncated);
    EXPECT_EQ(paths(store(), "d", "c", 5), (Strings{"r10", "r3", "r5,r2"}));
    EXPECT_EQ(paths(store(), "d", "b", 5), (Strings{"r5,r1", "r5,r7"}));
    EXPECT_EQ(paths(store(), "b", "a", 5), (Strings{"r9,r5"}));
  });
}

TEST_P(Traversal, PathLimitsAndFilters) {
  build(store());
  for_each_mode([&] {
    bool truncated = false;
    EXPECT_EQ(paths(store(), "a", "d", 5, 2, "", &truncated), (Strings{"r1,r9", "r2,r4"}));
    EXPECT_TRUE(truncated);
    EXPECT_EQ(paths(store(), "a", "d", 5, 3, "", &truncated), (Strings{"r1,r9", "r2,r4", "r7,r9"}));
    EXPECT_FALSE(truncated);
    EXPECT_TRUE(paths(store(), "a", "d", 1, 100, "", &truncated).empty());
    EXPECT_FALSE(truncated);
    EXPECT_EQ(paths(store(), "d", "c", 1), (Strings{"r10", "r3"}));
    EXPECT_EQ(paths(store(), "a", "d", 5, 100, "KNOWS"), (Strings{"r1,r9"}));
    EXPECT_TRUE(paths(store(), "a", "d", 5, 100, "LIKES").empty());
    EXPECT_TRUE(paths(store(), "a", "e", 5, 100, "", &truncated).empty());
    EXPECT_FALSE(truncated);
  });
}

// A path of a -> d here (3 small entities, 2 relations) takes between 1000
// and 2000 bytes in the host's types on a 64-bit build, so a budget of 2000
// bytes holds exactly one of the three.
TEST_P(Traversal, PathsPastTheMemoryBudgetAreResourceExhaustedOrTruncated) {
  build(store());
  for_each_mode([&] {
    PathOptions o;
    o.max_depth = 5;
    o.max_paths = 100;
    o.max_result_bytes = 2000;
    PathResult r;
    Status st = store().find_paths("", "a", "d", o, &r);
    GS_EXPECT_CODE(st, kResourceExhausted);
    EXPECT_NE(st.message().find("memory budget of 2000 bytes"), std::string::npos) << st.message();
    EXPECT_TRUE(r.paths.empty());
    o.truncate_to_budget = true;
    GS_ASSERT_OK(store().find_paths("", "a", "d", o, &r));
    ASSERT_EQ(r.paths.size(), 1u);
    EXPECT_EQ(r.paths[0].relations[0].id, "r1");
    EXPECT_EQ(r.paths[0].relations[1].id, "r9");
    EXPECT_TRUE(r.truncated);
    // A budget too small for any path still answers, with nothing.
    o.max_result_bytes = 1;
    GS_ASSERT_OK(store().find_paths("", "a", "d", o, &r));
    EXPECT_TRUE(r.paths.empty());
    EXPECT_TRUE(r.truncated);
  });
}

TEST_P(Traversal, PathFromAnEntityToItselfIsTheEntityAlone) {
  build(store());
  Entity a;
  GS_ASSERT_OK(store().get_entity("", "a", &a));
  for_each_mode([&] {
    PathResult r;
    GS_ASSERT_OK(store().find_paths("", "a", "a", {}, &r));
    ASSERT_EQ(r.paths.size(), 1u);
    EXPECT_EQ(r.paths[0].entities, std::vector<Entity>{a});
    EXPECT_TRUE(r.paths[0].relations.empty());
    EXPECT_FALSE(r.truncated);
  });
}

TEST_P(Traversal, PathsWithMissingEndpointAreNotFound) {
  build(store());
  for_each_mode([&] {
    PathResult r;
    GS_EXPECT_CODE(store().find_paths("", "zz", "a", {}, &r), kNotFound);
    GS_EXPECT_CODE(store().find_paths("", "a", "zz", {}, &r), kNotFound);
  });
}

TEST_P(Traversal, SubgraphKeepsKnownIdsOnceAndTheRelationsAmongThem) {
  build(store());
  for_each_mode([&] {
    Subgraph g;
    GS_ASSERT_OK(store().subgraph("", {"d", "a", "zz", "a"}, &g));
    EXPECT_EQ(ids_of(g.entities), (Strings{"a", "d"}));
    EXPECT_EQ(ids_of(g.relations), (Strings{"r5"}));
    GS_ASSERT_OK(store().subgraph("", {"c", "d", "b"}, &g));
    EXPECT_EQ(ids_of(g.entities), (Strings{"b", "c", "d"}));
    EXPECT_EQ(ids_of(g.relations), (Strings{"r10", "r3", "r4", "r6", "r9"}));
    GS_ASSERT_OK(store().subgraph("", {}, &g));
    EXPECT_TRUE(g.entities.empty());
    EXPECT_TRUE(g.relations.empty());
    GS_ASSERT_OK(store().subgraph("", {"nobody"}, &g));
    EXPECT_TRUE(g.entities.empty());
  });
}

TEST_P(Traversal, SubgraphCarriesWholeRecords) {
  build(store());
  Entity a, d;
  Relation r5;
  GS_ASSERT_OK(store().get_entity("", "a", &a));
  GS_ASSERT_OK(store().get_entity("", "d", &d));
  GS_ASSERT_OK(store().get_relation("", "r5", &r5));
  for_each_mode([&] {
    Subgraph g;
    GS_ASSERT_OK(store().subgraph("", {"a", "d"}, &g));
    EXPECT_EQ(g.entities, (std::vector<Entity>{a, d}));
    EXPECT_EQ(g.relations, std::vector<Relation>{r5});
  });
}

}  // namespace
}  // namespace graphstore::conformance
