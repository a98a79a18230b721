// The degradation plugin over SQLite. The primary is a SQLite file whose
// path is made a directory while the "outage" lasts: SQLite cannot open it
// (UNAVAILABLE), and removing the directory brings the primary back under
// the same configuration. The outage of a real server mid-run is
// tests/postgres/degradation_outage_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "degradation_support.hpp"
#include "graphstore/registry.hpp"

namespace graphstore::degradation_test {
namespace {

namespace fs = std::filesystem;

Entity person(std::string id, std::string type = "Person") {
  Entity e;
  e.id = std::move(id);
  e.entity_type = std::move(type);
  return e;
}

class Degradation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("graphstore-degradation-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path db() const { return dir_ / "graph.db"; }
  fs::path journal() const { return dir_ / "journal"; }
  // The primary cannot be opened while its path is a directory.
  void primary_down() { fs::create_directories(db()); }
  void primary_up() { fs::remove_all(db()); }

  std::string options(const std::string& extra = "") const {
    return R"({"primary": {"backend": "sqlite", "options": {"path": ")" + db().string() + R"("}}, "journal_path": ")" +
           journal().string() + R"(", "health_interval": 0.05)" + extra + "}";
  }
  Status open(std::unique_ptr<Store>* out, const std::string& extra = "") {
    return registry_.open("degradation", options(extra), out);
  }
  std::unique_ptr<Store> open_primary_directly() {
    std::unique_ptr<Store> s;
    Status st = registry_.open("sqlite", R"({"path": ")" + db().string() + R"("})", &s);
    EXPECT_TRUE(st.ok()) << st.message();
    return s;
  }
  std::unique_ptr<Store> open_reference() {
    std::unique_ptr<Store> s;
    EXPECT_TRUE(registry_.open("inmemory", "{}", &s).ok());
    return s;
  }
  // Waits up to 10 s for the store to be back on its primary.
  static bool wait_until_normal(Store& store) {
    for (int i = 0; i < 1000; ++i) {
      if (gauge(store, "degradation_degraded") == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  int writes_then_killed(uint64_t n) { return degradation_test::writes_then_killed(GRAPHSTORE_TEST_PLUGIN_DIR, options(), n); }
  // The reference content of steps [0, n), every one acknowledged.
  Content expected_after(uint64_t n) {
    auto a = open_reference(), b = open_reference();
    Writer w(a.get(), b.get());
    for (uint64_t i = 0; i < n; ++i) EXPECT_TRUE(w.step(i).ok()) << i;
    return content_of(*a);
  }

  Registry registry_{{GRAPHSTORE_TEST_PLUGIN_DIR}};
  fs::path dir_;
};

TEST_F(Degradation, NormalModeWritesReachThePrimary) {
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store).ok());
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 0);
  ASSERT_TRUE(store->add_entity("", person("a")).ok());
  Entity got;
  EXPECT_TRUE(open_primary_directly()->get_entity("", "a", &got).ok());
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(fs::file_size(journal()), 24u) << "nothing is journaled in normal mode";
}

// Removals reach the primary in normal mode; while degraded they are
// UNAVAILABLE and neither the fallback nor the journal changes, so the
// recovery replays exactly the writes of the outage.
TEST_F(Degradation, RemovalsReachThePrimaryAndAreRefusedWhileDegraded) {
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open(&store).ok());
    Entity a = person("a");
    a.source = "doc";
    ASSERT_TRUE(store->add_entity("", a).ok());
    ASSERT_TRUE(store->add_entity("", person("b")).ok());
    Removed removed;
    ASSERT_TRUE(store->delete_by_source("", "doc", &removed).ok());
    EXPECT_EQ(removed, (Removed{1, 0}));
    Entity got;
    EXPECT_TRUE(open_primary_directly()->get_entity("", "a", &got).is_not_found());
    EXPECT_EQ(fs::file_size(journal()), 24u) << "nothing is journaled in normal mode";
  }
  fs::rename(db(), dir_ / "kept.db");
  primary_down();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store, R"(, "health_interval": 3600)").ok());
  ASSERT_EQ(gauge(*store, "degradation_degraded"), 1);
  ASSERT_TRUE(store->add_entity("", person("c")).ok());
  Removed removed{7, 7};
  Status s = store->clear("", ClearScope::kAllTenants, &removed);
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.to_string();
  EXPECT_NE(s.message().find("degraded"), std::string::npos) << s.message();
  EXPECT_EQ(removed, (Removed{0, 0}));
  EXPECT_EQ(store->delete_by_source("", "doc", &removed).code(), Code::kUnavailable);
  Entity got;
  EXPECT_TRUE(store->get_entity("", "c", &got).ok()) << "the fallback keeps what the outage wrote";
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 1);
}

TEST_F(Degradation, StartsDegradedWhenThePrimaryCannotBeOpened) {
  primary_down();
  std::unique_ptr<Store> store;
  Status s = open(&store, R"(, "health_interval": 3600)");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 1);
  EXPECT_EQ(gauge(*store, "degradation_degradations"), 1);
  std::vector<std::pair<std::string, std::string>> state;
  ASSERT_TRUE(store->state(&state).ok());
  std::map<std::string, std::string> by_key(state.begin(), state.end());
  EXPECT_EQ(by_key["mode"], "degraded");
  EXPECT_EQ(by_key["fallback"], "inmemory");
  EXPECT_NE(by_key["last_error"].find("cannot open"), std::string::npos) << by_key["last_error"];
  ASSERT_TRUE(store->add_entity("", person("a", "Person")).ok());
  ASSERT_TRUE(store->add_entity("t1", person("b", "Person")).ok());
  Entity got;
  EXPECT_TRUE(store->get_entity("", "a", &got).ok()) << "reads are served by the fallback";
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 2);
  // A write the fallback refuses is not journaled.
  EXPECT_EQ(store->add_entity("", person("a", "Person")).code(), Code::kAlreadyExists);
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 2);
}

TEST_F(Degradation, RecoversWhenThePrimaryReturnsWithEveryWriteInOrder) {
  primary_down();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store).ok());
  auto reference = open_reference();
  Writer writer(store.get(), reference.get());
  for (uint64_t i = 0; i < 400; ++i) ASSERT_TRUE(writer.step(i).ok()) << i;
  EXPECT_GT(gauge(*store, "degradation_journal_pending_records"), 0);
  primary_up();
  ASSERT_TRUE(wait_until_normal(*store));
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(gauge(*store, "degradation_recoveries"), 1);
  expect_same_content(content_of(*open_primary_directly()), content_of(*reference));
  // Back on the primary, and the fallback starts empty for the next outage.
  for (uint64_t i = 400; i < 420; ++i) ASSERT_TRUE(writer.step(i).ok()) << i;
  expect_same_content(content_of(*open_primary_directly()), content_of(*reference));
  expect_same_content(content_of(*store), content_of(*reference));
}

TEST_F(Degradation, StateAfterARecoveryShowsNoErrorAndNothingPending) {
  primary_down();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store).ok());
  ASSERT_TRUE(store->add_entity("", person("a")).ok());
  auto state_of = [&] {
    std::vector<std::pair<std::string, std::string>> state;
    EXPECT_TRUE(store->state(&state).ok());
    return std::map<std::string, std::string>(state.begin(), state.end());
  };
  EXPECT_NE(state_of()["last_error"], "none");
  primary_up();
  ASSERT_TRUE(wait_until_normal(*store));
  auto state = state_of();
  EXPECT_EQ(state["mode"], "normal");
  EXPECT_EQ(state["journal_pending_records"], "0");
  EXPECT_EQ(state["last_error"], "none") << "the outage's error outlived the recovery";
}

// Four writers keep writing while the primary comes back and the journal is
// replayed beside them: every acknowledged write ends on the primary, in the
// order each writer made it (each rewrites its own entity; the last version
// wins).
TEST_F(Degradation, WritersRacingARecoveryLoseNothing) {
  primary_down();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store, R"(, "health_interval": 0.01)").ok());
  constexpr int kWriters = 4;
  std::atomic<bool> stop{false};
  std::vector<uint64_t> last_acked(kWriters, 0);
  std::vector<std::set<std::string>> acked_ids(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      std::string mine = "writer" + std::to_string(w);
      ASSERT_TRUE(store->add_entity("", person(mine)).ok());
      for (uint64_t n = 1; !stop.load(); ++n) {
        Entity e = person(mine);
        e.properties = "{\"n\":" + std::to_string(n) + "}";
        if (store->update_entity("", e).ok()) last_acked[w] = n;
        std::string id = mine + "-" + std::to_string(n);
        if (store->add_entity("", person(id)).ok()) acked_ids[w].insert(id);
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  primary_up();
  bool normal = wait_until_normal(*store);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop.store(true);
  for (auto& t : writers) t.join();
  ASSERT_TRUE(normal);
  auto primary = open_primary_directly();
  for (int w = 0; w < kWriters; ++w) {
    Entity got;
    ASSERT_TRUE(primary->get_entity("", "writer" + std::to_string(w), &got).ok());
    EXPECT_EQ(got.properties, "{\"n\":" + std::to_string(last_acked[w]) + "}") << "writer " << w;
    for (const auto& id : acked_ids[w]) EXPECT_TRUE(primary->get_entity("", id, &got).ok()) << id;
  }
  Stats stats;
  ASSERT_TRUE(primary->get_stats("", &stats).ok());
  size_t acked = kWriters;
  for (const auto& ids : acked_ids) acked += ids.size();
  EXPECT_EQ(stats.entity_count, acked) << "every write was acknowledged, so the primary holds exactly these";
}

TEST_F(Degradation, AJournalLeftByAKilledProcessIsReplayedAtTheNextStart) {
  primary_down();
  ASSERT_EQ(writes_then_killed(200), 200);
  primary_up();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store).ok());
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 0) << "replayed while opening";
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(gauge(*store, "degradation_replayed_records"), 200);
  expect_same_content(content_of(*open_primary_directly()), expected_after(200));
}

TEST_F(Degradation, AJournalLeftWhileThePrimaryIsStillDownIsServedFromTheFallback) {
  primary_down();
  ASSERT_EQ(writes_then_killed(60), 60);
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store, R"(, "health_interval": 3600)").ok());
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 1);
  expect_same_content(content_of(*store), expected_after(60));
}

TEST_F(Degradation, AReplayCutShortIsNotAppliedTwice) {
  primary_down();
  ASSERT_EQ(writes_then_killed(200), 200);
  primary_up();
  {
    // As if a replay had applied the first 120 writes and died before it
    // recorded its progress.
    auto primary = open_primary_directly();
    auto scratch = open_reference();
    Writer w(primary.get(), scratch.get());
    for (uint64_t i = 0; i < 120; ++i) ASSERT_TRUE(w.step(i).ok()) << i;
  }
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store).ok());
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 0);
  EXPECT_EQ(gauge(*store, "degradation_rejected_writes"), 0);
  Content primary = content_of(*open_primary_directly());
  Content expected = expected_after(200);
  EXPECT_EQ(primary.entities.size(), expected.entities.size());
  EXPECT_EQ(primary.relations.size(), expected.relations.size());
  expect_same_content(primary, expected);
}

TEST_F(Degradation, ATornLastRecordIsCutAndDamageBeforeItIsKeptAsideAndReported) {
  primary_down();
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open(&store, R"(, "health_interval": 3600)").ok());
    for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store->add_entity("", person(id, "Person")).ok());
  }
  uintmax_t intact = fs::file_size(journal());
  {
    std::ofstream out(journal(), std::ios::app | std::ios::binary);
    out.write("\x40\x00\x00\x00\x01\x02", 6);  // a frame promising 64 bytes, cut short
  }
  {
    std::unique_ptr<Store> store;
    Status s = open(&store, R"(, "health_interval": 3600)");
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 3);
    Entity got;
    EXPECT_TRUE(store->get_entity("", "c", &got).ok());
  }
  EXPECT_EQ(fs::file_size(journal()), intact);
  {
    std::fstream f(journal(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(24 + 12 + 3);  // inside the first record's payload
    f.put('\x7f');
  }
  // The damaged record and the two after it are dropped and kept aside; the
  // store opens, says so, and serves what is left (nothing here).
  std::unique_ptr<Store> store;
  Status s = open(&store, R"(, "health_interval": 3600)");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), 0);
  EXPECT_EQ(gauge(*store, "degradation_journal_dropped_records"), 2);
  EXPECT_EQ(gauge(*store, "degradation_journal_dropped_bytes"), static_cast<double>(intact - 24));
  std::vector<std::pair<std::string, std::string>> state;
  ASSERT_TRUE(store->state(&state).ok());
  std::map<std::string, std::string> by_key(state.begin(), state.end());
  const std::string& repair = by_key["journal_repair_1"];
  EXPECT_NE(repair.find("offset 24"), std::string::npos) << repair;
  EXPECT_NE(repair.find("checksum"), std::string::npos) << repair;
  EXPECT_NE(repair.find(journal().string() + ".damaged-1"), std::string::npos) << repair;
  EXPECT_EQ(fs::file_size(journal().string() + ".damaged-1"), intact - 24);
  Entity got;
  EXPECT_EQ(store->get_entity("", "c", &got).code(), Code::kNotFound);
  // Writes go on after the repair and reach the primary when it returns.
  ASSERT_TRUE(store->add_entity("", person("d")).ok());
  store.reset();
  primary_up();
  ASSERT_TRUE(open(&store).ok());
  EXPECT_EQ(gauge(*store, "degradation_degraded"), 0);
  EXPECT_TRUE(open_primary_directly()->get_entity("", "d", &got).ok());
}

TEST_F(Degradation, BothStoresFailingIsUnavailableWithBothCausesAndJournalsNothing) {
  primary_down();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open(&store, R"(, "health_interval": 3600, "fallback": {"backend": "inmemory", "options": {"max_memory_mb": 1}})")
                  .ok());
  // Fill the fallback until it refuses.
  Status s;
  double pending = 0;
  for (int i = 0; i < 64 && s.ok(); ++i) {
    pending = gauge(*store, "degradation_journal_pending_records");
    Entity big = person("big" + std::to_string(i), "Blob");
    big.properties = "{\"text\":\"" + std::string(1 << 19, 'x') + "\"}";
    s = store->add_entity("", big);
  }
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.message();
  EXPECT_NE(s.message().find("primary: "), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("fallback: "), std::string::npos) << s.message();
  EXPECT_EQ(gauge(*store, "degradation_journal_pending_records"), pending) << "the refused write is not journaled";
}

TEST_F(Degradation, OptionsAreCheckedAndNameTheirKey) {
  auto open_with = [&](const std::string& json) {
    std::unique_ptr<Store> s;
    return registry_.open("degradation", json, &s);
  };
  std::string j = journal().string();
  Status s = open_with(R"({"journal_path": ")" + j + R"("})");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("option 'primary'"), std::string::npos) << s.message();
  s = open_with(R"({"primary": {"backend": "inmemory"}})");
  EXPECT_NE(s.message().find("option 'journal_path'"), std::string::npos) << s.message();
  s = open_with(R"({"primary": {"backend": "inmemory"}, "journal_path": ")" + j + R"(", "max_failure": 2})");
  EXPECT_NE(s.message().find("did you mean 'max_failures'"), std::string::npos) << s.message();
  s = open_with(R"({"primary": {"backend": "sqlite", "options": {"pth": "x"}}, "journal_path": ")" + j + R"("})");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("option 'primary': option 'pth'", 0), 0u) << s.message();
  s = open_with(R"({"primary": {"backend": "no-such-plugin"}, "journal_path": ")" + j + R"("})");
  EXPECT_NE(s.message().find("option 'primary'"), std::string::npos) << s.message();
  s = open_with(R"({"primary": {"backend": "inmemory"}, "journal_path": ")" + j + R"(", "health_interval": 0})");
  EXPECT_NE(s.message().find("option 'health_interval'"), std::string::npos) << s.message();
}

TEST_F(Degradation, AJournalServesOneStoreAtATime) {
  std::unique_ptr<Store> first, second;
  ASSERT_TRUE(open(&first).ok());
  Status s = open(&second);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("in use"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace graphstore::degradation_test
