// A degradation journal replayed into a PostgreSQL primary whose sessions
// are ended, or which restarts, at a random moment of the replay: the store
// stays degraded, replays again, and the primary ends holding exactly the
// journaled writes, each once.
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "degradation_support.hpp"
#include "server_fault_support.hpp"

namespace graphstore::pgtest {
namespace {

using degradation_test::content_of;
using degradation_test::expect_same_content;
using degradation_test::gauge;
using degradation_test::Writer;

bool wait_for_replay_mode(Store& store, double want, double timeout_s) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < until) {
    if (gauge(store, "degradation_degraded") == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(PostgresReplayFaults, AReplayCutByTheServerEndsWithEveryJournaledWriteOnce) {
  PrivateCluster cluster;
  ASSERT_TRUE(cluster.ok()) << "could not start a private PostgreSQL cluster";
  const Server& server = cluster.server();
  std::mt19937_64 rng(fault_seed());
  const bool restart = rng() % 2 == 0;  // which fault, by the seed
  const std::string app = "replay_primary";
  auto journal = std::filesystem::temp_directory_path() / (unique_name("gs-replay-faults-") + ".journal");
  std::filesystem::remove(journal);
  std::string primary = options_for(server, "replayed", ",\"connect_timeout\":2,\"application_name\":\"" + app + "\"");
  std::string options = R"({"primary": {"backend": "postgres", "options": )" + primary + R"(}, "journal_path": ")" +
                        journal.string() + R"(", "max_failures": 1, "health_interval": 0.05})";
  std::unique_ptr<Store> store, ref;
  ASSERT_TRUE(registry().open("degradation", options, &store).ok());
  ASSERT_TRUE(registry().open("inmemory", "{}", &ref).ok());

  // Some writes reach the primary, then the outage: every write after it is
  // journaled (and acknowledged).
  Writer writer(store.get(), ref.get());
  uint64_t step = 0;
  for (; step < 40; ++step) ASSERT_TRUE(writer.step(step).ok());
  ASSERT_TRUE(cluster.pause());
  ASSERT_TRUE(wait_for_replay_mode(*store, 1, 30)) << "never degraded";
  // Each journaled write is synced (fdatasync), so a few hundred.
  const uint64_t kJournaled = 200 + rng() % 200;
  for (uint64_t end = step + kJournaled; step < end; ++step) ASSERT_TRUE(writer.step(step).ok()) << "step " << step;

  // The primary comes back; its sessions end (or it restarts) once the
  // replay is seen writing.
  int faults = 0;
  {
    // The replay may start writing before `pg_ctl start -w` inside resume()
    // has seen the server up: a restart then would stop the server under
    // that start, which fails. The fault waits for resume() to return.
    std::atomic<bool> resumed{false};
    FaultAtWrite fault(server, app, rng, 20, [&] {
      while (!resumed.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (restart)
        EXPECT_TRUE(cluster.restart());
      else
        terminate_sessions(server, app);
    });
    bool up = cluster.resume();
    resumed = true;
    ASSERT_TRUE(up);
    ASSERT_TRUE(wait_for_replay_mode(*store, 0, 60)) << "never recovered";
    faults = fault.fired();
  }
  std::printf("[ faults   ] %llu writes journaled; %s during the replay: %s\n",
              static_cast<unsigned long long>(kJournaled), restart ? "restart" : "sessions ended",
              faults ? "fired" : "the replay finished first");
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(gauge(*store, "degradation_rejected_writes"), 0);
  EXPECT_GE(gauge(*store, "degradation_replayed_records"), double(kJournaled));
  // Writes after the recovery land on the primary as usual.
  for (uint64_t end = step + 40; step < end; ++step) ASSERT_TRUE(writer.step(step).ok()) << "step " << step;
  store.reset();

  std::unique_ptr<Store> plain;
  ASSERT_TRUE(open_store(primary, &plain).ok());
  expect_same_content(content_of(*plain), content_of(*ref));  // every write once: nothing uncertain
  for (const char* table : {"entities", "relations"})
    for (const std::string tenant : {"", "acme"})
      for (const auto& id : stored_ids(server, "replayed", table, tenant))
        ASSERT_EQ(id.find(" x"), std::string::npos) << table << " " << id;
  std::filesystem::remove(journal);
  std::filesystem::remove(journal.string() + ".rejected");
}

}  // namespace
}  // namespace graphstore::pgtest
