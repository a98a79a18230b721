// The default path enumeration: order, truncation, filters and pruning.
#include <string>

#include "defaults_fixture.hpp"

namespace gs_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// s --p0,p5(alt)--> t          s --p1--> a --p2--> t
// s --p3--> b --p4--> t         a --p6--> b,  b --p7--> a
// a --p9--> c --p10--> t        t --p8--> s,  x --p11--> t
// Note "p10" < "p2" bytewise.
class PathsTest : public DefaultsTest {
 protected:
  void SetUp() override {
    for (const char* id : {"s", "a", "b", "c", "t", "x"}) add_entity(id);
    add_relation("p0", "s", "t");
    add_relation("p5", "s", "t", "alt");
    add_relation("p1", "s", "a");
    add_relation("p2", "a", "t");
    add_relation("p3", "s", "b");
    add_relation("p4", "b", "t");
    add_relation("p6", "a", "b");
    add_relation("p7", "b", "a");
    add_relation("p8", "t", "s");
    add_relation("p9", "a", "c");
    add_relation("p10", "c", "t");
    add_relation("p11", "x", "t");
  }
};

TEST_F(PathsTest, ShortestFirstThenByRelationIds) {
  PathsResult r = paths("s", "t", 4, 100);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.paths, ElementsAre("p0", "p5", "p1,p2", "p3,p4", "p1,p6,p4", "p1,p9,p10", "p3,p7,p2", "p3,p7,p9,p10"));
  EXPECT_THAT(r.entities, ElementsAre("s,t", "s,t", "s,a,t", "s,b,t", "s,a,b,t", "s,a,c,t", "s,b,a,t", "s,b,a,c,t"));
  EXPECT_FALSE(r.truncated);
}

TEST_F(PathsTest, MaxDepthBoundsTheLength) {
  PathsResult r = paths("s", "t", 2, 100);
  EXPECT_THAT(r.paths, ElementsAre("p0", "p5", "p1,p2", "p3,p4"));
  EXPECT_FALSE(r.truncated);
  EXPECT_THAT(paths("s", "t", 1, 100).paths, ElementsAre("p0", "p5"));
  EXPECT_THAT(paths("s", "t", 0, 100).paths, IsEmpty());
}

TEST_F(PathsTest, MaxPathsTruncates) {
  PathsResult r = paths("s", "t", 4, 3);
  EXPECT_THAT(r.paths, ElementsAre("p0", "p5", "p1,p2"));
  EXPECT_TRUE(r.truncated);
  PathsResult seven = paths("s", "t", 4, 7);
  EXPECT_EQ(seven.paths.size(), 7u);
  EXPECT_TRUE(seven.truncated);  // the length-4 path is the eighth
  PathsResult eight = paths("s", "t", 4, 8);
  EXPECT_EQ(eight.paths.size(), 8u);
  EXPECT_FALSE(eight.truncated);
  PathsResult none = paths("s", "t", 4, 0);
  EXPECT_THAT(none.paths, IsEmpty());
  EXPECT_TRUE(none.truncated);
}

TEST_F(PathsTest, RelationTypeFilter) {
  EXPECT_THAT(paths("s", "t", 4, 100, "alt").paths, ElementsAre("p5"));
  PathsResult links = paths("s", "t", 3, 100, "links");
  EXPECT_THAT(links.paths, ElementsAre("p0", "p1,p2", "p3,p4", "p1,p6,p4", "p1,p9,p10", "p3,p7,p2"));
}

TEST_F(PathsTest, SourceEqualsTargetIsTheEntityAlone) {
  PathsResult r = paths("a", "a", 4, 10);
  ASSERT_EQ(r.status, GS_OK);
  EXPECT_THAT(r.paths, ElementsAre(""));
  EXPECT_THAT(r.entities, ElementsAre("a"));
  EXPECT_FALSE(r.truncated);
  PathsResult capped = paths("a", "a", 4, 0);
  EXPECT_THAT(capped.paths, IsEmpty());
  EXPECT_TRUE(capped.truncated);
  EXPECT_THAT(paths("a", "a", 0, 10).entities, ElementsAre("a"));
}

TEST_F(PathsTest, FollowsOnlyOutEdges) {
  EXPECT_THAT(paths("t", "x", 5, 10).paths, IsEmpty());
  EXPECT_THAT(paths("x", "s", 5, 10).paths, ElementsAre("p11,p8"));
}

TEST_F(PathsTest, EndpointsMustExist) {
  PathsResult source = paths("zz", "t", 3, 10);
  EXPECT_EQ(source.status, GS_NOT_FOUND);
  EXPECT_NE(source.message.find("zz"), std::string::npos);
  PathsResult target = paths("s", "yy", 3, 10);
  EXPECT_EQ(target.status, GS_NOT_FOUND);
  EXPECT_NE(target.message.find("yy"), std::string::npos);
}

TEST_F(PathsTest, FetchesEachEntityAtMostOncePerDirection) {
  paths("s", "t", 4, 100);
  for (const auto& [id, calls] : store_.neighbor_calls) EXPECT_LE(calls, 2) << id;
}

TEST_F(PathsTest, PropagatesABackendFailure) {
  store_.read_failure = GS_CORRUPTION;
  PathsResult r = paths("s", "t", 3, 10);
  EXPECT_EQ(r.status, GS_CORRUPTION);
  EXPECT_EQ(r.message, "injected read failure");
}

// A clique that cannot reach the target must not be walked: at depth 6 its
// walks would number in the millions.
TEST_F(DefaultsTest, PathsPruneWhatCannotReachTheTarget) {
  add_entity("s");
  add_entity("t");
  add_relation("direct", "s", "t");
  const int n = 12;
  for (int i = 0; i < n; ++i) add_entity("k" + std::to_string(i));
  for (int i = 0; i < n; ++i) {
    add_relation("s-k" + std::to_string(i), "s", "k" + std::to_string(i));
    for (int j = 0; j < n; ++j)
      if (i != j)
        add_relation("k" + std::to_string(i) + "-" + std::to_string(j), "k" + std::to_string(i),
                     "k" + std::to_string(j));
  }
  PathsResult r = paths("s", "t", 6, 100);
  EXPECT_THAT(r.paths, ElementsAre("direct"));
  EXPECT_FALSE(r.truncated);
  for (int i = 0; i < n; ++i) EXPECT_EQ(store_.neighbor_calls["k" + std::to_string(i)], 0);
}

// A long chain with a large max_depth: the search stops once no longer path
// can exist instead of trying every length up to the bound.
TEST_F(DefaultsTest, PathsOnALongChain) {
  const int n = 200;
  for (int i = 0; i <= n; ++i) add_entity("n" + std::to_string(i));
  for (int i = 0; i < n; ++i)
    add_relation("e" + std::to_string(i), "n" + std::to_string(i), "n" + std::to_string(i + 1));
  PathsResult r = paths("n0", "n200", 100000, 10);
  ASSERT_EQ(r.paths.size(), 1u);
  EXPECT_EQ(std::count(r.paths[0].begin(), r.paths[0].end(), ','), n - 1);
  EXPECT_THAT(paths("n0", "n200", 199, 10).paths, IsEmpty());
}

}  // namespace
}  // namespace gs_test
