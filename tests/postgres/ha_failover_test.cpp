// The postgres plugin on a pg_auto_failover formation (a monitor, a primary
// and a synchronous standby, started by scripts/pg-ha-formation.sh for the
// postgres_ha CTest fixture, its address in PGHA_ENV_FILE): stores opened on
// the multi-host conninfo and on the monitor's formation URI, and a writer
// that rides through the loss of the primary. Calls during the failover answer
// OK or UNAVAILABLE and nothing else, later calls reach the new primary on the
// same store, and no acknowledged write is lost; and, on a formation of its
// own, a lost standby blocks writes only until the monitor notices.
// docs/high-availability.md.
//
// A test that cannot reach the formation fails; none is skipped. The
// failover test leaves the formation with one node (the promoted standby,
// alone as wait_primary): it runs last, and a new formation is needed for
// another run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

using Clock = std::chrono::steady_clock;

// The formation's address as the script's env file records it (shell syntax:
// values with spaces are in double quotes).
struct Formation {
  std::string dsn, uri, ports, dir;
  int monitor_port = 0;
};

Formation formation(const std::string& env_file = PGHA_ENV_FILE) {
  Formation f;
  for (auto [key, value] : read_env_file(env_file)) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (key == "HA_DSN") f.dsn = value;
    if (key == "HA_URI") f.uri = value;
    if (key == "HA_PORTS") f.ports = value;
    if (key == "HA_DIR") f.dir = value;
    if (key == "HA_MONITOR_PORT") f.monitor_port = std::atoi(value.c_str());
  }
  return f;
}

// Runs the formation script with COMMAND and returns what it printed (a port).
std::string script(const std::string& command, const std::string& env_file = PGHA_ENV_FILE) {
  std::string cmd = std::string(PGHA_SCRIPT) + " " + command + " " + env_file;
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    if (::pclose(p) != 0) ADD_FAILURE() << cmd << " failed: " << out;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class PostgresHa : public ::testing::Test {
 protected:
  void SetUp() override {
    f_ = formation();
    ASSERT_FALSE(f_.dsn.empty()) << "no pg_auto_failover formation: " << PGHA_ENV_FILE
                                 << " is missing or has no HA_DSN (run the tests through ctest, whose postgres.ha.start "
                                    "starts it with scripts/pg-ha-formation.sh)";
  }
  std::unique_ptr<Store> open(const std::string& dsn, const std::string& extra = "") {
    std::unique_ptr<Store> store;
    Status s = open_store("{\"dsn\":" + json_string(dsn) + ",\"schema\":\"" + schema_ +
                              "\",\"min_pool_size\":2,\"max_pool_size\":4,\"connect_timeout\":2" + extra + "}",
                          &store);
    EXPECT_TRUE(s.ok()) << "cannot open a store on the formation (" << f_.dir << "): " << s.to_string();
    return store;
  }

  Formation f_;
  std::string schema_ = unique_name("ha_");
};

TEST_F(PostgresHa, AStoreOnTheMultiHostConninfoWritesAndReads) {
  auto store = open(f_.dsn);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_entity("", entity("ada", "Person", "{\"name\":\"Ada\"}")).ok());
  Entity got;
  Status s = store->get_entity("", "ada", &got);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(got.properties, "{\"name\":\"Ada\"}");
}

TEST_F(PostgresHa, AStoreOnTheFormationUriWritesAndReads) {
  // The monitor's URI names no role: the store's options give it.
  ASSERT_NE(f_.uri.find("target_session_attrs=read-write"), std::string::npos) << f_.uri;
  auto store = open(f_.uri, ",\"user\":\"gs_app\",\"password\":\"" + std::string(kAppPassword) + "\"");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_entity("t1", entity("bob")).ok());
  Entity got;
  EXPECT_TRUE(store->get_entity("t1", "bob", &got).ok());
}

TEST_F(PostgresHa, ACannotConnectMessageNamesEveryHostAndPort) {
  std::unique_ptr<Store> store;
  Status s = open_store(
      "{\"dsn\":\"host=127.0.0.1,127.0.0.1 port=1,2 user=gs_app dbname=graphstore target_session_attrs=read-write\","
      "\"min_pool_size\":1}",
      &store);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.to_string();
  EXPECT_NE(s.message().find("127.0.0.1:1,127.0.0.1:2/graphstore"), std::string::npos) << s.message();
}

// One add_entity call of the writer.
struct Call {
  int index;
  Code code;
  Clock::time_point start, done;
  std::string message;
};

std::string id_of(int index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "w%07d", index);
  return buf;
}

TEST_F(PostgresHa, FailoverUnderAWriterLosesNoAcknowledgedWrite) {
  auto store = open(f_.dsn);
  ASSERT_TRUE(store);
  const Store* const opened = store.get();
  std::string old_primary = script("primary");
  ASSERT_FALSE(old_primary.empty());

  std::mutex mu;
  std::vector<Call> calls;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      const auto start = Clock::now();
      Status s = store->add_entity("", entity(id_of(i), "W", "{\"i\":" + std::to_string(i) + "}"));
      {
        std::lock_guard<std::mutex> lock(mu);
        calls.push_back({i, s.code(), start, Clock::now(), s.ok() ? std::string() : s.to_string()});
      }
      // Refused connections answer at once: do not spin through the outage.
      if (!s.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  // OK calls that began after t (a call answered after the kill may have
  // been served before it).
  auto count_ok_after = [&](Clock::time_point t, Clock::time_point* first) {
    std::lock_guard<std::mutex> lock(mu);
    int n = 0;
    for (const Call& c : calls)
      if (c.code == Code::kOk && c.start > t) {
        if (n++ == 0 && first) *first = c.done;
      }
    return n;
  };
  // What the writer is doing, for a failure's message.
  auto last_calls = [&] {
    std::lock_guard<std::mutex> lock(mu);
    std::string out = std::to_string(calls.size()) + " calls; last: ";
    if (!calls.empty()) out += id_of(calls.back().index) + " " + calls.back().message;
    return out;
  };
  auto wait_for = [&](auto&& done, std::chrono::seconds limit) {
    auto deadline = Clock::now() + limit;
    while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  // A writer stuck in a call cannot be joined: report and leave the process.
  auto give_up = [&](const std::string& why) {
    ADD_FAILURE() << why << " (" << last_calls() << "; formation logs in " << f_.dir << ")";
    std::fflush(stdout);
    std::_Exit(1);
  };

  if (!wait_for([&] { return count_ok_after(Clock::time_point::min(), nullptr) >= 50; }, std::chrono::seconds(30)))
    give_up("the writer did not make 50 writes on the healthy formation in 30 s");

  std::string killed = script("kill-primary");
  const Clock::time_point kill_time = Clock::now();
  ASSERT_EQ(killed, old_primary);
  std::printf("killed the primary on port %s\n", killed.c_str());

  Clock::time_point first_ok{};
  if (!wait_for([&] { return count_ok_after(kill_time, &first_ok) >= 1; }, std::chrono::seconds(90)))
    give_up("no write succeeded within 90 s of killing the primary: the standby was not promoted, or the store "
            "never reached it");
  const auto failover_ms = std::chrono::duration_cast<std::chrono::milliseconds>(first_ok - kill_time).count();
  std::printf("failover_ms=%lld\n", static_cast<long long>(failover_ms));
  if (!wait_for([&] { return count_ok_after(kill_time, nullptr) >= 30; }, std::chrono::seconds(30)))
    give_up("the new primary did not keep taking writes");
  stop = true;
  writer.join();

  std::string new_primary = script("primary");
  EXPECT_NE(new_primary, killed) << "the monitor still names the killed node as primary";

  std::vector<std::string> acknowledged;
  int unavailable = 0, during_outage = 0;
  for (const Call& c : calls) {
    if (c.code == Code::kOk) acknowledged.push_back(id_of(c.index));
    if (c.code == Code::kUnavailable) ++unavailable;
    if (c.done > kill_time && c.done <= first_ok) ++during_outage;
    EXPECT_TRUE(c.code == Code::kOk || c.code == Code::kUnavailable)
        << id_of(c.index) << " answered neither OK nor UNAVAILABLE: " << c.message;
  }
  EXPECT_GT(unavailable, 0) << "no call failed: the primary was not lost under the writer";
  std::printf("calls=%zu acknowledged=%zu unavailable=%d during_outage=%d\n", calls.size(), acknowledged.size(),
              unavailable, during_outage);

  // Every acknowledged id, through the same store (never reopened) ...
  EXPECT_EQ(store.get(), opened);
  int lost_via_store = 0;
  for (const std::string& id : acknowledged) {
    Entity e;
    Status s = store->get_entity("", id, &e);
    if (!s.ok()) {
      ++lost_via_store;
      ADD_FAILURE() << "acknowledged " << id << " is missing after the failover: " << s.to_string();
    }
  }
  // ... and through a fresh admin connection to the promoted node.
  std::set<std::string> stored;
  {
    pqxx::connection c("host=127.0.0.1 port=" + new_primary + " user=postgres dbname=graphstore");
    pqxx::nontransaction tx(c);
    for (const auto& row : tx.exec("SELECT id FROM \"" + schema_ + "\".entities WHERE entity_type = 'W'"))
      stored.insert(row[0].as<std::string>());
  }
  int lost = 0;
  for (const std::string& id : acknowledged)
    if (!stored.count(id)) ++lost;
  std::printf("lost_acknowledged=%d (store: %d)\n", lost, lost_via_store);
  EXPECT_EQ(lost, 0) << "acknowledged writes missing on the promoted node " << new_primary;
}

// pg_auto_failover moves a primary whose standby is lost to wait_primary,
// which stops waiting for the standby: commits block until the monitor
// notices, then go on (acknowledged on one node only: the risk
// docs/high-availability.md states). A formation of its own, since it ends
// with one node.
TEST(PostgresHaStandby, ALostStandbyBlocksWritesOnlyUntilTheMonitorNotices) {
  const std::string env_file =
      (std::filesystem::temp_directory_path() / (unique_name("gs-pgha-env-") + ".env")).string();
  struct Stop {
    std::string env;
    ~Stop() { std::system((std::string(PGHA_SCRIPT) + " stop " + env).c_str()); }
  } stop_formation{env_file};
  script("start", env_file);
  Formation f = formation(env_file);
  ASSERT_FALSE(f.dsn.empty()) << "the formation did not start (scripts/pg-ha-formation.sh start " << env_file << ")";
  std::unique_ptr<Store> store;
  Status s = open_store("{\"dsn\":" + json_string(f.dsn) + ",\"schema\":\"" + unique_name("ha_standby_") +
                            "\",\"min_pool_size\":1,\"max_pool_size\":2}",
                        &store);
  ASSERT_TRUE(s.ok()) << s.to_string();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store->add_entity("", entity(id_of(i))).ok());

  std::string primary = script("primary", env_file);
  std::string killed = script("kill-standby", env_file);
  ASSERT_NE(killed, primary);
  const auto kill_time = Clock::now();
  // One call: it blocks while the primary still waits for the standby.
  std::atomic<bool> done{false};
  Status blocked;
  std::thread writer([&] {
    blocked = store->add_entity("", entity(id_of(20)));
    done = true;
  });
  auto deadline = kill_time + std::chrono::seconds(60);
  while (!done && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!done) {
    ADD_FAILURE() << "a write stayed blocked 60 s after the standby was lost (formation logs in " << f.dir << ")";
    std::fflush(stdout);
    std::_Exit(1);
  }
  writer.join();
  const auto blocked_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - kill_time).count();
  std::printf("standby_loss_blocked_ms=%lld\n", static_cast<long long>(blocked_ms));
  EXPECT_TRUE(blocked.ok()) << blocked.to_string();
  for (int i = 21; i < 40; ++i) EXPECT_TRUE(store->add_entity("", entity(id_of(i))).ok()) << id_of(i);
  Entity e;
  EXPECT_TRUE(store->get_entity("", id_of(39), &e).ok());
}

}  // namespace
}  // namespace graphstore::pgtest
