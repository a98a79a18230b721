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

// A call to the handle from its own callback would wait on the swap lock
// its thread holds (forever once a swap waits for that lock); the handle
// refuses it instead, and with_store inside with_store runs on the same
// store.
TEST_F(Swap, CallsFromInsideACallbackOfTheHandleAreRefusedOrRunInPlace) {
  StoreHandle handle(open("inmemory"));
  Entity e;
  e.id = "a";
  e.entity_type = "Doc";
  ASSERT_TRUE(handle.add_entity("", e).ok());
  Status write, swap, nested;
  std::string nested_plugin;
  handle.with_store([&](Store& store) {
    write = handle.add_entity("", e);
    swap = handle.swap(open("inmemory"), SwapOptions{});
    nested_plugin = handle.plugin().id;
    nested = handle.with_store([&](Store& same) {
      EXPECT_EQ(&same, &store);
      Entity got;
      return same.get_entity("", "a", &got);
    });
  });
  EXPECT_TRUE(write.is_invalid_argument()) << write.to_string();
  EXPECT_NE(write.message().find("add_entity called from inside a callback of the same store handle"),
            std::string::npos)
      << write.message();
  EXPECT_TRUE(swap.is_invalid_argument()) << swap.to_string();
  EXPECT_EQ(nested_plugin, "inmemory");
  EXPECT_TRUE(nested.ok()) << nested.to_string();
  // A callback of a Store call made through the handle counts too.
  Status from_scan;
  Status scan = handle.with_store([&](Store& store) {
    return store.for_each_entity("", [&](const Entity&) {
      from_scan = handle.delete_entity("", "a");
      return true;
    });
  });
  EXPECT_TRUE(scan.ok()) << scan.to_string();
  EXPECT_TRUE(from_scan.is_invalid_argument()) << from_scan.to_string();
  // Outside the callbacks the handle answers normally.
  EXPECT_TRUE(handle.delete_entity("", "a").ok());
}

}  // namespace
}  // namespace graphstore::swap_test
