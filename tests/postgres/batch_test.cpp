// apply_batch on the postgres plugin with runs of adds long enough to go
// set-based (judged in a few statements, then one COPY): the same results,
// failures and failing op as the op-by-op path, and nothing written by a
// batch that fails.
#include <gtest/gtest.h>

#include "graphstore/write_batch.hpp"
#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

Entity thing(const std::string& id, std::string props = "{\"n\":1}") {
  Entity e;
  e.id = id;
  e.entity_type = "Thing";
  e.properties = std::move(props);
  return e;
}

Relation link(const std::string& id, const std::string& from, const std::string& to) {
  Relation r;
  r.id = id;
  r.relation_type = "LINKS";
  r.source_id = from;
  r.target_id = to;
  r.weight = 0.5;
  return r;
}

std::string eid(int i) { return "e" + std::to_string(1000 + i); }

class PostgresBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    Server s = shared_server();
    ASSERT_TRUE(open_store(options_for(s, unique_name("batch_")), &store_).ok());
  }
  Stats stats(const std::string& tenant = "") {
    Stats out;
    EXPECT_TRUE(store_->get_stats(tenant, &out).ok());
    return out;
  }
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresBatch, RunsOfAddsBetweenOtherOpsAreAllApplied) {
  WriteBatch b;
  for (int i = 0; i < 200; ++i) b.add_entity(thing(eid(i)));
  b.update_entity(thing(eid(3), "{\"n\":3}"));
  for (int i = 0; i < 300; ++i) b.add_relation(link("r" + std::to_string(i), eid(i % 200), eid((i * 7 + 1) % 200)));
  b.delete_entity(eid(199));
  for (int i = 200; i < 220; ++i) b.add_entity(thing(eid(i)));
  ASSERT_TRUE(store_->apply("", b).ok());
  Stats st = stats();
  EXPECT_EQ(st.entity_count, 219u);
  size_t touching = 0;
  for (int i = 0; i < 300; ++i) touching += (i % 200 == 199 || (i * 7 + 1) % 200 == 199);
  EXPECT_EQ(st.relation_count, 300u - touching);  // the delete cascaded
  Entity e;
  ASSERT_TRUE(store_->get_entity("", eid(3), &e).ok());
  EXPECT_EQ(e.properties, "{\"n\":3}");
  std::vector<Neighbor> out;
  ASSERT_TRUE(store_->get_neighbors("", eid(0), Direction::kOut, "", &out).ok());
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].relation.id, "r0");
}

TEST_F(PostgresBatch, AStoredIdInARunFailsAtItsOpAndWritesNothing) {
  ASSERT_TRUE(store_->add_entity("", thing(eid(150))).ok());
  WriteBatch b;
  for (int i = 0; i < 300; ++i) b.add_entity(thing(eid(i)));
  size_t failed = 999;
  Status s = store_->apply("", b, &failed);
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.to_string();
  EXPECT_EQ(failed, 150u);
  EXPECT_NE(s.message().find("batch op 150"), std::string::npos) << s.message();
  EXPECT_EQ(stats().entity_count, 1u);
}

TEST_F(PostgresBatch, ARepeatInsideARunFailsAtItsSecondPlace) {
  WriteBatch b;
  for (int i = 0; i < 40; ++i) b.add_entity(thing(eid(i)));
  b.add_entity(thing(eid(7)));
  for (int i = 40; i < 60; ++i) b.add_entity(thing(eid(i)));
  size_t failed = 999;
  EXPECT_EQ(store_->apply("", b, &failed).code(), Code::kAlreadyExists);
  EXPECT_EQ(failed, 40u);
  EXPECT_EQ(stats().entity_count, 0u);
}

TEST_F(PostgresBatch, AMissingEndpointInARelationRunFailsAtItsOpAndWritesNothing) {
  WriteBatch b;
  for (int i = 0; i < 50; ++i) b.add_entity(thing(eid(i)));
  for (int i = 0; i < 100; ++i) b.add_relation(link("r" + std::to_string(i), eid(i % 50), eid((i + 1) % 50)));
  b.add_relation(link("r_bad", eid(1), "nowhere"));
  for (int i = 100; i < 120; ++i) b.add_relation(link("r" + std::to_string(i), eid(i % 50), eid(0)));
  size_t failed = 999;
  Status s = store_->apply("", b, &failed);
  EXPECT_EQ(s.code(), Code::kNotFound) << s.to_string();
  EXPECT_EQ(failed, 150u);
  EXPECT_NE(s.message().find("nowhere"), std::string::npos) << s.message();
  Stats st = stats();
  EXPECT_EQ(st.entity_count, 0u);
  EXPECT_EQ(st.relation_count, 0u);
}

TEST_F(PostgresBatch, RunsKeepTenantsApart) {
  WriteBatch b;
  for (int i = 0; i < 30; ++i) b.add_entity(thing(eid(i)));
  for (int i = 0; i < 30; ++i) b.add_relation(link("r" + std::to_string(i), eid(i), eid((i + 1) % 30)));
  ASSERT_TRUE(store_->apply("acme", b).ok());
  ASSERT_TRUE(store_->apply("globex", b).ok());  // the same ids in another tenant
  EXPECT_EQ(stats("acme").entity_count, 30u);
  EXPECT_EQ(stats("globex").relation_count, 30u);
  EXPECT_EQ(stats().entity_count, 0u);
  size_t failed = 999;
  EXPECT_EQ(store_->apply("acme", b, &failed).code(), Code::kAlreadyExists);
  EXPECT_EQ(failed, 0u);
}

}  // namespace
}  // namespace graphstore::pgtest
