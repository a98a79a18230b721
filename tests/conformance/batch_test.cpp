// apply(WriteBatch): ops in order, later ones see earlier ones, all or
// nothing, and failed_index names the failing op.
#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Batch);

using Strings = std::vector<std::string>;

// x and y with relation xy, in the tenant.
void seed(Store& s, const std::string& tenant = "") {
  ASSERT_TRUE(IsOk(s.add_entity(tenant, make_entity("x", "T", R"({"v":"original"})"))));
  ASSERT_TRUE(IsOk(s.add_entity(tenant, make_entity("y"))));
  ASSERT_TRUE(IsOk(s.add_relation(tenant, make_relation("xy", "x", "y"))));
}

// Everything in the tenant, to compare before and after a failed batch.
std::pair<std::vector<Entity>, std::vector<Relation>> snapshot(Store& s, const std::string& tenant = "") {
  return {all_entities(s, tenant), all_relations(s, tenant)};
}

TEST_P(Batch, AppliesEveryOpInOrderAndLaterOpsSeeEarlierOnes) {
  seed(store());
  WriteBatch b;
  b.add_entity(make_entity("a"));
  b.add_entity(make_entity("b"));
  b.add_relation(make_relation("ab", "a", "b"));               // needs a and b from this batch
  b.update_entity(make_entity("a", "Updated", R"({"n":1})"));  // updates what op 0 added
  b.update_relation(make_relation("ab", "b", "x", "MOVED"));
  b.delete_entity("y");                     // takes xy with it
  b.add_entity(make_entity("y", "Again"));  // the id is free again
  b.delete_relation("ab");
  b.add_relation(make_relation("ab", "y", "a"));  // and so is this one
  size_t failed = 99;
  GS_ASSERT_OK(store().apply("", b, &failed));
  EXPECT_EQ(ids_of(all_entities(store(), "")), (Strings{"a", "b", "x", "y"}));
  EXPECT_EQ(ids_of(all_relations(store(), "")), (Strings{"ab"}));
  Entity a, y;
  GS_ASSERT_OK(store().get_entity("", "a", &a));
  EXPECT_EQ(a.entity_type, "Updated");
  GS_ASSERT_OK(store().get_entity("", "y", &y));
  EXPECT_EQ(y.entity_type, "Again");
  Relation ab;
  GS_ASSERT_OK(store().get_relation("", "ab", &ab));
  EXPECT_EQ(ab.source_id, "y");
  EXPECT_EQ(ab.target_id, "a");
}

TEST_P(Batch, FailureInTheMiddleAppliesNothing) {
  seed(store());
  auto before = snapshot(store());
  WriteBatch b;
  b.add_entity(make_entity("a"));                                // 0
  b.update_entity(make_entity("x", "T", R"({"v":"changed"})"));  // 1
  b.delete_relation("xy");                                       // 2
  b.delete_entity("y");                                          // 3
  b.add_relation(make_relation("ax", "a", "x"));                 // 4
  b.add_entity(make_entity("x"));                                // 5 ALREADY_EXISTS
  b.add_entity(make_entity("c"));                                // 6
  size_t failed = 99;
  GS_EXPECT_CODE(store().apply("", b, &failed), kAlreadyExists);
  EXPECT_EQ(failed, 5u);
  EXPECT_EQ(snapshot(store()), before);
}

TEST_P(Batch, FailureThatDependsOnEarlierOpsIsReportedAtItsIndex) {
  seed(store());
  auto before = snapshot(store());
  struct Case {
    const char* name;
    WriteBatch batch;
    size_t index;
    Code code;
  };
  std::vector<Case> cases;
  {
    WriteBatch b;
    b.add_entity(make_entity("a"));
    b.delete_entity("a");
    b.add_relation(make_relation("r", "a", "x"));  // a is gone again
    cases.push_back({"endpoint deleted earlier", b, 2, Code::kNotFound});
  }
  {
    WriteBatch b;
    b.delete_entity("x");
    b.update_relation(make_relation("xy", "y", "y"));  // xy went with x
    cases.push_back({"relation cascaded earlier", b, 1, Code::kNotFound});
  }
  {
    WriteBatch b;
    b.add_relation(make_relation("r", "x", "y"));
    b.add_relation(make_relation("r", "y", "x"));  // r exists since op 0
    cases.push_back({"duplicate within the batch", b, 1, Code::kAlreadyExists});
  }
  {
    WriteBatch b;
    b.delete_relation("xy");
    b.delete_relation("xy");
    cases.push_back({"deleted twice", b, 1, Code::kNotFound});
  }
  {
    WriteBatch b;
    b.add_entity(make_entity("ok"));
    b.add_entity(make_entity("", "T"));  // rejected before reaching the plugin
    cases.push_back({"invalid record", b, 1, Code::kInvalidArgument});
  }
  {
    WriteBatch b;
    b.update_entity(make_entity("x", "T", R"({"v":"changed"})"));
    b.add_relation(make_relation("bad-weight", "x", "y", "T", 2.0));
    cases.push_back({"invalid weight", b, 1, Code::kInvalidArgument});
  }
  {
    WriteBatch b;
    b.add_entity(make_entity("fresh"));
    b.update_entity(make_entity("missing"));
    cases.push_back({"update of a missing entity", b, 1, Code::kNotFound});
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    size_t failed = 99;
    EXPECT_TRUE(HasCode(store().apply("", c.batch, &failed), c.code));
    EXPECT_EQ(failed, c.index);
    EXPECT_EQ(snapshot(store()), before);
  }
}

TEST_P(Batch, EmptyBatchIsOk) {
  seed(store());
  auto before = snapshot(store());
  GS_EXPECT_OK(store().apply("", WriteBatch{}));
  EXPECT_EQ(snapshot(store()), before);
}

TEST_P(Batch, BatchTouchesOnlyItsTenant) {
  seed(store(), "");
  seed(store(), "other");
  auto other = snapshot(store(), "other");
  WriteBatch b;
  b.delete_entity("x");
  b.add_entity(make_entity("x", "New"));
  b.add_entity(make_entity("z"));
  GS_ASSERT_OK(store().apply("", b));
  EXPECT_EQ(snapshot(store(), "other"), other);
  WriteBatch failing;
  failing.add_entity(make_entity("w"));
  failing.add_relation(make_relation("wz", "w", "z"));  // z exists only in the global tenant
  size_t failed = 99;
  GS_EXPECT_CODE(store().apply("other", failing, &failed), kNotFound);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(snapshot(store(), "other"), other);
}

TEST_P(Batch, LargeBatchIsAtomicToo) {
  seed(store());
  auto before = snapshot(store());
  WriteBatch b;
  for (int i = 0; i < 500; ++i) b.add_entity(make_entity("n" + std::to_string(i)));
  for (int i = 1; i < 500; ++i) b.add_relation(make_relation("e" + std::to_string(i), "n0", "n" + std::to_string(i)));
  b.add_relation(make_relation("e1", "x", "y"));  // duplicate id, at index 999
  size_t failed = 0;
  GS_EXPECT_CODE(store().apply("", b, &failed), kAlreadyExists);
  EXPECT_EQ(failed, 999u);
  EXPECT_EQ(snapshot(store()), before);
  b = WriteBatch{};
  for (int i = 0; i < 500; ++i) b.add_entity(make_entity("n" + std::to_string(i)));
  GS_ASSERT_OK(store().apply("", b));
  EXPECT_EQ(all_entities(store(), "").size(), 502u);
}

}  // namespace
}  // namespace graphstore::conformance
