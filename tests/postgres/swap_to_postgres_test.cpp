// The hot swap of a running host: a StoreHandle on SQLite under four threads of load
// swaps to PostgreSQL with the data copied (migrate) and the writes made
// during the copy caught up. No call fails, and PostgreSQL then holds
// exactly what the threads wrote.
#include <unistd.h>

#include "graphstore/store_handle.hpp"
#include "pg_test_support.hpp"
#include "swap_load.hpp"

namespace graphstore::pgtest {
namespace {

TEST(PostgresSwap, SqliteToPostgresUnderFourThreadsFailsNoCallAndLosesNoWrite) {
  Server server = shared_server();
  ASSERT_GT(server.port, 0);
  auto dir = std::filesystem::temp_directory_path() / unique_name("gs-swap-");
  std::filesystem::create_directories(dir);
  std::unique_ptr<Store> sqlite, postgres;
  ASSERT_TRUE(registry().open("sqlite", R"({"path": ")" + (dir / "before.db").string() + R"("})", &sqlite).ok());
  Status s = open_store(options_for(server, unique_name("swap_")), &postgres);
  ASSERT_TRUE(s.ok()) << s.message();

  StoreHandle handle(std::move(sqlite));
  swap_test::SwapLoad load(&handle, 4, 2000);
  ASSERT_TRUE(load.wait_rounds(50));
  SwapReport report;
  s = handle.swap(std::move(postgres), SwapOptions{.migrate = true, .batch_size = 1000}, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(handle.plugin().id, "postgres");
  ASSERT_TRUE(load.wait_calls(load.calls() + 400)) << "calls went on after the swap";
  load.stop();
  EXPECT_EQ(load.failures(), 0u) << load.first_failure();
  std::printf("[ figures  ] %llu calls; copied %llu entities and %llu relations, caught up %llu writes; swap %.3f s, "
              "calls paused %.4f s\n",
              static_cast<unsigned long long>(load.calls()), static_cast<unsigned long long>(report.copied_entities),
              static_cast<unsigned long long>(report.copied_relations),
              static_cast<unsigned long long>(report.caught_up_writes), report.seconds, report.paused_seconds);
  handle.with_store([&](Store& store) { load.expect_store_holds_exactly_what_was_written(store); });
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace graphstore::pgtest
