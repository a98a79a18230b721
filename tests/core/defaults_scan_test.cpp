// The default scans and statistics over a backend that iterates in
// descending id order.
#include <cstdio>
#include <string>

#include "defaults_fixture.hpp"

namespace gs_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ScanTest : public DefaultsTest {
 protected:
  void SetUp() override {
    // Bytewise order: "B" < "a" < "b" < "c" < "d" < "\xc3\xa9" (é).
    add_entity("c", "person");
    add_entity("a", "person");
    add_entity("\xc3\xa9", "person");
    add_entity("B", "place");
    add_entity("d", "place");
    add_entity("b", "person");
    add_relation("r2", "a", "b", "knows");
    add_relation("r1", "a", "c", "knows");
    add_relation("r3", "B", "d", "near");
  }
};

TEST_F(ScanTest, EverythingInBytewiseIdOrder) {
  IdsResult r = scan_entities();
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.ids, ElementsAre("B", "a", "b", "c", "d", "\xc3\xa9"));
}

TEST_F(ScanTest, TypeFilter) {
  EXPECT_THAT(scan_entities("person").ids, ElementsAre("a", "b", "c", "\xc3\xa9"));
  EXPECT_THAT(scan_entities("place").ids, ElementsAre("B", "d"));
  EXPECT_THAT(scan_entities("nothing").ids, IsEmpty());
}

TEST_F(ScanTest, AfterIdIsExclusiveAndNeedNotExist) {
  EXPECT_THAT(scan_entities("", "b").ids, ElementsAre("c", "d", "\xc3\xa9"));
  EXPECT_THAT(scan_entities("", "bb").ids, ElementsAre("c", "d", "\xc3\xa9"));
  EXPECT_THAT(scan_entities("", "A").ids, ElementsAre("B", "a", "b", "c", "d", "\xc3\xa9"));
  EXPECT_THAT(scan_entities("", "\xc3\xa9").ids, IsEmpty());
}

TEST_F(ScanTest, OffsetAndLimit) {
  EXPECT_THAT(scan_entities("", "", 2).ids, ElementsAre("b", "c", "d", "\xc3\xa9"));
  EXPECT_THAT(scan_entities("", "", 0, 2).ids, ElementsAre("B", "a"));
  EXPECT_THAT(scan_entities("", "", 1, 3).ids, ElementsAre("a", "b", "c"));
  EXPECT_THAT(scan_entities("", "", 6).ids, IsEmpty());
  EXPECT_THAT(scan_entities("", "", 0, 0).ids, IsEmpty());
  EXPECT_THAT(scan_entities("", "", UINT64_MAX, GS_NO_LIMIT).ids, IsEmpty());
}

TEST_F(ScanTest, FiltersComposeBeforeOffsetAndLimit) {
  // person ids after "a": b, c, é; skip 1, take 1.
  EXPECT_THAT(scan_entities("person", "a", 1, 1).ids, ElementsAre("c"));
}

TEST_F(ScanTest, KeysetPagingVisitsEachIdOnce) {
  std::vector<std::string> seen;
  std::string after;
  for (;;) {
    IdsResult page = scan_entities("", after, 0, 4);
    ASSERT_EQ(page.status, GS_OK);
    if (page.ids.empty()) break;
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    after = page.ids.back();
  }
  EXPECT_THAT(seen, ElementsAre("B", "a", "b", "c", "d", "\xc3\xa9"));
}

TEST_F(ScanTest, Relations) {
  EXPECT_THAT(scan_relations().ids, ElementsAre("r1", "r2", "r3"));
  EXPECT_THAT(scan_relations("knows").ids, ElementsAre("r1", "r2"));
  EXPECT_THAT(scan_relations("", "r1", 1).ids, ElementsAre("r3"));
  EXPECT_THAT(scan_relations("", "", 0, 1).ids, ElementsAre("r1"));
}

TEST_F(ScanTest, OtherTenantIsEmpty) {
  tenant_ = "t1";
  EXPECT_THAT(scan_entities().ids, IsEmpty());
  EXPECT_THAT(scan_relations().ids, IsEmpty());
}

TEST_F(ScanTest, PropagatesABackendFailure) {
  store_.read_failure = GS_PERMISSION_DENIED;
  IdsResult r = scan_entities();
  EXPECT_EQ(r.status, GS_PERMISSION_DENIED);
  EXPECT_EQ(r.message, "injected read failure");
  EXPECT_EQ(scan_relations().status, GS_PERMISSION_DENIED);
}

TEST_F(ScanTest, StatsPerTypeEntitiesFirstEachSortedByType) {
  StatsResult r = stats();
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.rows, ElementsAre("1:person=4", "1:place=2", "2:knows=2", "2:near=1"));
  tenant_ = "t1";
  EXPECT_THAT(stats().rows, IsEmpty());
}

// Enough matches that the scan trims what it keeps while it runs.
TEST_F(DefaultsTest, ScanWindowOverManyIds) {
  char id[16];
  for (int i = 0; i < 300; ++i) {
    std::snprintf(id, sizeof id, "e%03d", i);
    add_entity(id, i % 2 ? "odd" : "even");
  }
  EXPECT_THAT(scan_entities("", "", 10, 3).ids, ElementsAre("e010", "e011", "e012"));
  EXPECT_THAT(scan_entities("odd", "e100", 5, 2).ids, ElementsAre("e111", "e113"));
  EXPECT_EQ(scan_entities("", "e290", 0, 1000).ids.size(), 9u);
  IdsResult all = scan_entities();
  ASSERT_EQ(all.ids.size(), 300u);
  EXPECT_TRUE(std::is_sorted(all.ids.begin(), all.ids.end()));
}

}  // namespace
}  // namespace gs_test
