// The default traversal and subgraph over a Tier 1 backend that reports
// neighbours in descending relation-id order.
#include "defaults_fixture.hpp"

namespace gs_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// a --r2,r4(alt)--> b --r3--> d --r6--> e --r7--> a
// a --r5--> c --r1--> d,  c --r8--> c,  f --r9--> a
class TraverseTest : public DefaultsTest {
 protected:
  void SetUp() override {
    for (const char* id : {"a", "b", "c", "d", "e", "f"}) add_entity(id);
    add_relation("r5", "a", "c");
    add_relation("r2", "a", "b");
    add_relation("r3", "b", "d");
    add_relation("r1", "c", "d");
    add_relation("r4", "a", "b", "alt");
    add_relation("r6", "d", "e");
    add_relation("r7", "e", "a");
    add_relation("r8", "c", "c");
    add_relation("r9", "f", "a");
  }
};

TEST_F(TraverseTest, LevelsInIdOrderAndFirstDiscoveryWins) {
  // d is reached from b (the lowest-id entity of level 1) by r3, although c
  // reaches it by the lower-id r1; b by r2, the lower of two parallel edges.
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 3, 100);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r2", "c@1 via r5", "d@2 via r3", "e@3 via r6"));
  EXPECT_FALSE(r.truncated);
}

TEST_F(TraverseTest, StopsAtMaxDepth) {
  EXPECT_THAT(traverse("a", GS_DIRECTION_OUT, 1, 100).hits, ElementsAre("b@1 via r2", "c@1 via r5"));
  TraverseResult none = traverse("a", GS_DIRECTION_OUT, 0, 100);
  EXPECT_EQ(none.status, GS_OK);
  EXPECT_THAT(none.hits, IsEmpty());
  EXPECT_FALSE(none.truncated);
}

TEST_F(TraverseTest, TruncatedInsideALevel) {
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 3, 1);
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r2"));
  EXPECT_TRUE(r.truncated);
}

TEST_F(TraverseTest, TruncatedWhenTheNextLevelHasAHit) {
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 3, 3);
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r2", "c@1 via r5", "d@2 via r3"));
  EXPECT_TRUE(r.truncated);  // e exists at depth 3
}

TEST_F(TraverseTest, NotTruncatedWhenTheCapIsMetExactly) {
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 2, 3);
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r2", "c@1 via r5", "d@2 via r3"));
  EXPECT_FALSE(r.truncated);  // e lies beyond max_depth
  TraverseResult all = traverse("a", GS_DIRECTION_OUT, 3, 4);
  EXPECT_EQ(all.hits.size(), 4u);
  EXPECT_FALSE(all.truncated);
}

TEST_F(TraverseTest, ZeroMaxResultsReportsTruncationOnly) {
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 2, 0);
  EXPECT_THAT(r.hits, IsEmpty());
  EXPECT_TRUE(r.truncated);
  TraverseResult leaf = traverse("f", GS_DIRECTION_IN, 2, 0);
  EXPECT_THAT(leaf.hits, IsEmpty());
  EXPECT_FALSE(leaf.truncated);  // nothing reaches f
}

TEST_F(TraverseTest, InFollowsEdgesBackwards) {
  TraverseResult r = traverse("a", GS_DIRECTION_IN, 3, 100);
  EXPECT_THAT(r.hits, ElementsAre("e@1 via r7", "f@1 via r9", "d@2 via r6", "b@3 via r3", "c@3 via r1"));
}

TEST_F(TraverseTest, BothFollowsEitherWayAndTheSelfLoopLeadsNowhere) {
  TraverseResult r = traverse("d", GS_DIRECTION_BOTH, 5, 100);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  // a is met from b (via r2) before c (via r5); f only through a.
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r3", "c@1 via r1", "e@1 via r6", "a@2 via r2", "f@3 via r9"));
}

TEST_F(TraverseTest, RelationTypeFilter) {
  EXPECT_THAT(traverse("a", GS_DIRECTION_OUT, 3, 100, "alt").hits, ElementsAre("b@1 via r4"));
  EXPECT_THAT(traverse("a", GS_DIRECTION_OUT, 3, 100, "nothing").hits, IsEmpty());
}

TEST_F(TraverseTest, CyclesDoNotRevisitTheStart) {
  TraverseResult r = traverse("e", GS_DIRECTION_OUT, 10, 100);
  EXPECT_THAT(r.hits, ElementsAre("a@1 via r7", "b@2 via r2", "c@2 via r5", "d@3 via r3"));
}

TEST_F(TraverseTest, ExpandsEachEntityOnce) {
  traverse("a", GS_DIRECTION_BOTH, 10, 100);
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) EXPECT_LE(store_.neighbor_calls[id], 1) << id;
}

TEST_F(TraverseTest, StartMustExist) {
  TraverseResult r = traverse("zz", GS_DIRECTION_OUT, 3, 100);
  EXPECT_EQ(r.status, GS_NOT_FOUND);
  EXPECT_NE(r.message.find("zz"), std::string::npos) << r.message;
  EXPECT_EQ(traverse("zz", GS_DIRECTION_OUT, 0, 100).status, GS_NOT_FOUND);
}

TEST_F(TraverseTest, RejectsAnUnknownDirection) {
  TraverseResult r = traverse("a", 7, 3, 100);
  EXPECT_EQ(r.status, GS_INVALID_ARGUMENT);
  EXPECT_NE(r.message.find("direction"), std::string::npos) << r.message;
}

TEST_F(TraverseTest, TenantsAreSeparate) {
  tenant_ = "other";
  EXPECT_EQ(traverse("a", GS_DIRECTION_OUT, 3, 100).status, GS_NOT_FOUND);
}

TEST_F(TraverseTest, ASinkThatStopsEndsTheCall) {
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 3, 100, "", 2);
  EXPECT_EQ(r.status, GS_OK);
  EXPECT_THAT(r.hits, ElementsAre("b@1 via r2", "c@1 via r5"));
}

TEST_F(TraverseTest, PropagatesABackendFailure) {
  store_.read_failure = GS_UNAVAILABLE;
  TraverseResult r = traverse("a", GS_DIRECTION_OUT, 3, 100);
  EXPECT_EQ(r.status, GS_UNAVAILABLE);
  EXPECT_EQ(r.message, "injected read failure");
}

TEST_F(TraverseTest, SubgraphKeepsKnownIdsOnceAndTheRelationsAmongThem) {
  SubgraphResult r = subgraph({"d", "b", "zz", "a", "b"});
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.entities, ElementsAre("a", "b", "d"));
  EXPECT_THAT(r.relations, ElementsAre("r2", "r3", "r4"));  // parallel edges both, r1 has c outside
}

TEST_F(TraverseTest, SubgraphIncludesASelfLoopOnce) {
  SubgraphResult r = subgraph({"c"});
  EXPECT_THAT(r.entities, ElementsAre("c"));
  EXPECT_THAT(r.relations, ElementsAre("r8"));
  SubgraphResult cd = subgraph({"d", "c"});
  EXPECT_THAT(cd.entities, ElementsAre("c", "d"));
  EXPECT_THAT(cd.relations, ElementsAre("r1", "r8"));
}

TEST_F(TraverseTest, SubgraphOfNothing) {
  SubgraphResult r = subgraph({});
  EXPECT_EQ(r.status, GS_OK);
  EXPECT_THAT(r.entities, IsEmpty());
  EXPECT_THAT(r.relations, IsEmpty());
  EXPECT_THAT(subgraph({"zz"}).entities, IsEmpty());
}

}  // namespace
}  // namespace gs_test
