// Locks: a writer that cannot get the write lock within the timeout returns
// UNAVAILABLE saying so and how long it waited, leaves nothing behind, and
// works again once the lock is free; readers never wait for a writer (WAL).
#include <chrono>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

class SqliteLocking : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("g.db");
    ASSERT_TRUE(open_store(options_for(path_, R"("timeout": 0.2)"), &store_).ok());
    ASSERT_TRUE(store_->add_entity("", entity("present", "Doc", R"({"t":"visible"})")).ok());
    // Another connection takes the write lock and writes without committing.
    raw_ = std::make_unique<RawDb>(path_);
    std::string error;
    ASSERT_EQ(raw_->exec("BEGIN IMMEDIATE; DELETE FROM entities WHERE id = 'present'", &error), SQLITE_OK) << error;
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RawDb> raw_;
};

TEST_F(SqliteLocking, WriterGetsUnavailableAfterTheTimeout) {
  auto t0 = Clock::now();
  Status s = store_->add_entity("", entity("late"));
  double waited = seconds_since(t0);
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.to_string();
  EXPECT_NE(s.message().find("database is locked"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("waited 0.2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("option 'timeout' is 0.2 s"), std::string::npos) << s.message();
  EXPECT_GE(waited, 0.15);
  EXPECT_LT(waited, 5.0);

  std::vector<Entity> items{entity("b1"), entity("b2")};
  BulkResult bulk;
  EXPECT_EQ(store_->add_entities_bulk("", items, &bulk).code(), Code::kUnavailable);
  WriteBatch batch;
  batch.add_entity(entity("w1"));
  size_t failed = 99;
  EXPECT_EQ(store_->apply("", batch, &failed).code(), Code::kUnavailable);
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(store_->delete_entity("", "present").code(), Code::kUnavailable);

  // Released: writes go through, and none of the refused ones left a trace.
  ASSERT_EQ(raw_->exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(store_->add_entity("", entity("late")).ok());
  EXPECT_EQ(entity_ids(*store_), (std::vector<std::string>{"late", "present"}));
}

TEST_F(SqliteLocking, ReadersDoNotWaitForTheWriter) {
  auto t0 = Clock::now();
  Entity got;
  Status s = store_->get_entity("", "present", &got);
  EXPECT_TRUE(s.ok()) << s.to_string() << " (the uncommitted delete must not be visible)";
  std::vector<ScoredEntity> hits;
  TextQuery q;
  q.text = "visible";
  EXPECT_TRUE(store_->text_search("", q, &hits).ok());
  EXPECT_EQ(hits.size(), 1u);
  TraverseResult t;
  EXPECT_TRUE(store_->traverse("", "present", {}, &t).ok());
  Stats stats;
  EXPECT_TRUE(store_->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entity_count, 1u);
  EXPECT_LT(seconds_since(t0), 0.15) << "a read waited for the write lock";
  ASSERT_EQ(raw_->exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE(store_->get_entity("", "present", &got).is_not_found());
}

}  // namespace
}  // namespace graphstore::sqlite_test
