// The degradation plugin in front of a real PostgreSQL server that goes away
// and comes back: a writer keeps writing across the outage, and afterwards
// the primary holds every acknowledged write once; a process killed while
// degraded leaves a journal that the next start replays. Times to degrade
// and to recover are printed, to be read beside the health interval.
#include <chrono>
#include <thread>

#include "degradation_support.hpp"
#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

using degradation_test::Content;
using degradation_test::content_of;
using degradation_test::expect_same_content;
using degradation_test::gauge;
using degradation_test::Writer;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Waits up to timeout_s for the degraded gauge to read want; false if not.
bool wait_for_mode(Store& store, double want, double timeout_s) {
  auto start = Clock::now();
  while (seconds_since(start) < timeout_s) {
    if (gauge(store, "degradation_degraded") == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

class PostgresDegradation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.ok()) << "could not start a private PostgreSQL cluster";
    journal_ = std::filesystem::temp_directory_path() / (unique_name("gs-degradation-journal-") + ".bin");
    std::filesystem::remove(journal_);
    std::filesystem::remove(journal_.string() + ".rejected");
  }
  void TearDown() override {
    std::filesystem::remove(journal_);
    std::filesystem::remove(journal_.string() + ".rejected");
  }

  std::string primary_options() const { return options_for(cluster_.server(), schema_, ",\"connect_timeout\":2"); }
  std::string options() const {
    return R"({"primary": {"backend": "postgres", "options": )" + primary_options() + R"(}, "journal_path": ")" +
           journal_.string() + R"(", "max_failures": 3, "health_interval": 0.1})";
  }
  Status open_degradation(std::unique_ptr<Store>* out) { return registry().open("degradation", options(), out); }
  Content primary_content() {
    std::unique_ptr<Store> plain;
    Status s = open_store(primary_options(), &plain);
    EXPECT_TRUE(s.ok()) << s.message();
    return plain ? content_of(*plain) : Content{};
  }
  std::unique_ptr<Store> reference() {
    std::unique_ptr<Store> s;
    EXPECT_TRUE(registry().open("inmemory", "{}", &s).ok());
    return s;
  }

  PrivateCluster cluster_;
  std::string schema_ = unique_name("degr_");
  std::filesystem::path journal_;
};

TEST_F(PostgresDegradation, AnOutageMidRunLosesAndDuplicatesNoAcknowledgedWrite) {
  std::unique_ptr<Store> store;
  Status s = open_degradation(&store);
  ASSERT_TRUE(s.ok()) << s.message();
  auto ref = reference();
  Writer writer(store.get(), ref.get());
  std::atomic<uint64_t> steps{0};
  std::atomic<bool> stop{false};
  std::thread writing([&] {
    for (uint64_t i = 0; !stop.load(); ++i) {
      // Writes refused during the outage are not acknowledged (writer.acked).
      (void)writer.step(i);
      steps.store(i + 1);
    }
  });
  auto wait_steps = [&](uint64_t n) {
    auto start = Clock::now();
    while (steps.load() < n && seconds_since(start) < 60) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return steps.load() >= n;
  };
  bool ok = wait_steps(400);
  EXPECT_TRUE(ok) << "the writer did not get going";

  // The server goes away mid-run.
  auto stopped_at = Clock::now();
  ASSERT_TRUE(cluster_.pause());
  double pause_took = seconds_since(stopped_at);
  EXPECT_TRUE(wait_for_mode(*store, 1, 30)) << "never degraded";
  double to_degrade = seconds_since(stopped_at);
  uint64_t at_degrade = steps.load();
  EXPECT_TRUE(wait_steps(at_degrade + 400)) << "writes stalled while degraded";

  // It comes back; the journal is replayed while the writer goes on.
  auto resumed_at = Clock::now();
  ASSERT_TRUE(cluster_.resume());
  double resume_took = seconds_since(resumed_at);
  EXPECT_TRUE(wait_for_mode(*store, 0, 60)) << "never recovered";
  double to_recover = seconds_since(resumed_at);
  uint64_t at_recover = steps.load();
  EXPECT_TRUE(wait_steps(at_recover + 400)) << "writes stalled after recovery";
  stop.store(true);
  writing.join();

  std::printf("[ figures  ] pg_ctl stop took %.3f s, degraded %.3f s after it began (%.3f s after it returned); "
              "pg_ctl start took %.3f s, normal again %.3f s after it began\n",
              pause_took, to_degrade, to_degrade - pause_took, resume_took, to_recover);
  std::printf("[ figures  ] %llu steps: %llu acknowledged, %llu refused, %zu ids uncertain; %g records replayed\n",
              static_cast<unsigned long long>(steps.load()), static_cast<unsigned long long>(writer.acked),
              static_cast<unsigned long long>(writer.refused), writer.uncertain.size(),
              gauge(*store, "degradation_replayed_records"));
  EXPECT_GE(gauge(*store, "degradation_replayed_records"), 100) << "the outage journaled little";
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(gauge(*store, "degradation_rejected_writes"), 0);
  EXPECT_LE(writer.uncertain.size(), 16u);
  store.reset();
  expect_same_content(primary_content(), content_of(*ref), writer.uncertain);
}

TEST_F(PostgresDegradation, AJournalLeftByAProcessKilledWhileDegradedIsReplayedAtTheNextStart) {
  {
    // The schema exists before the outage, as it would in production.
    std::unique_ptr<Store> plain;
    ASSERT_TRUE(open_store(primary_options(), &plain).ok());
  }
  ASSERT_TRUE(cluster_.pause());
  int acked = degradation_test::writes_then_killed(GRAPHSTORE_PLUGIN_DIR, options(), 300);
  EXPECT_EQ(acked, 300) << "every write is acknowledged while degraded from the start";

  ASSERT_TRUE(cluster_.resume());
  std::unique_ptr<Store> store;
  Status s = open_degradation(&store);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 0) << "replayed while opening";
  EXPECT_EQ(gauge(*store, "degradation_replayed_records"), 300);
  store.reset();
  auto a = reference(), b = reference();
  Writer expected(a.get(), b.get());
  for (uint64_t i = 0; i < 300; ++i) ASSERT_TRUE(expected.step(i).ok());
  expect_same_content(primary_content(), content_of(*a));
}

}  // namespace
}  // namespace graphstore::pgtest
