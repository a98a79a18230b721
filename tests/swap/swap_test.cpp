// StoreHandle::swap between embedded backends, under a load of four
// threads: no call fails, and the new store holds exactly what was written.
// The swap from SQLite to a real PostgreSQL server is
// tests/postgres/swap_to_postgres_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "graphstore/registry.hpp"
#include "graphstore/store_handle.hpp"
#include "swap_load.hpp"

namespace graphstore::swap_test {
namespace {

namespace fs = std::filesystem;

class Swap : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("graphstore-swap-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> open(const std::string& backend, const std::string& options = "{}") {
    std::unique_ptr<Store> s;
    Status st = registry_.open(backend, options, &s);
    EXPECT_TRUE(st.ok()) << st.message();
    return s;
  }
  std::string sqlite_options(const std::string& name) const {
    return R"({"path": ")" + (dir_ / name).string() + R"("})";
  }

  Registry registry_{{GRAPHSTORE_TEST_PLUGIN_DIR}};
  fs::path dir_;
};

TEST_F(Swap, MigratingSwapUnderFourThreadsFailsNoCallAndLosesNoWrite) {
  StoreHandle handle(open("sqlite", sqlite_options("before.db")));
  SwapLoad load(&handle, 4, 20000);
  ASSERT_TRUE(load.wait_rounds(50));
  SwapReport report;
  std::unique_ptr<Store> previous;
  Status s = handle.swap(open("inmemory"), SwapOptions{.migrate = true, .batch_size = 500}, &report, &previous);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(handle.plugin().id, "inmemory");
  ASSERT_TRUE(load.wait_calls(load.calls() + 400)) << "calls went on after the swap";
  load.stop();
  EXPECT_EQ(load.failures(), 0u) << load.first_failure();
  EXPECT_GT(report.copied_entities, 0u);
  std::printf("[ figures  ] copied %llu entities and %llu relations, caught up %llu writes; swap %.3f s, calls "
              "paused %.4f s\n",
              static_cast<unsigned long long>(report.copied_entities),
              static_cast<unsigned long long>(report.copied_relations),
              static_cast<unsigned long long>(report.caught_up_writes), report.seconds, report.paused_seconds);
  handle.with_store([&](Store& store) { load.expect_store_holds_exactly_what_was_written(store); });
  // The old store kept what it had at the switch and got nothing after it.
  EXPECT_EQ(previous->plugin().id, "sqlite");
}

TEST_F(Swap, PlainSwapMovesNewCallsAndKeepsNoData) {
  StoreHandle handle(open("inmemory"));
  Entity e;
  e.id = "a";
  e.entity_type = "Doc";
  ASSERT_TRUE(handle.add_entity("", e).ok());
  ASSERT_TRUE(handle.swap(open("sqlite", sqlite_options("plain.db")), SwapOptions{}).ok());
  Entity got;
  EXPECT_TRUE(handle.with_store([&](Store& s) { return s.get_entity("", "a", &got); }).is_not_found());
  EXPECT_TRUE(handle.add_entity("", e).ok());
}

TEST_F(Swap, AFailedCopyLeavesTheCurrentStoreInPlace) {
  StoreHandle handle(open("inmemory"));
  Entity e;
  e.id = "taken";
  e.entity_type = "Doc";
  ASSERT_TRUE(handle.add_entity("", e).ok());
  auto next = open("sqlite", sqlite_options("taken.db"));
  ASSERT_TRUE(next->add_entity("", e).ok());  // the target already holds the id
  Status s = handle.swap(std::move(next), SwapOptions{.migrate = true});
  EXPECT_TRUE(s.is_already_exists()) << s.message();
  EXPECT_NE(s.message().find("swap: copying to sqlite"), std::string::npos) << s.message();
  EXPECT_EQ(handle.plugin().id, "inmemory");
  e.id = "after";
  EXPECT_TRUE(handle.add_entity("", e).ok()) << "writes go on, and are no longer recorded";
}

}  // namespace
}  // namespace graphstore::swap_test
