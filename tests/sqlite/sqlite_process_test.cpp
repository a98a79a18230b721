// Several processes on one file: concurrent writers lose no write, and a
// process killed with SIGKILL in the middle of a bulk import leaves a file
// that passes PRAGMA integrity_check and holds whole batches only.
#include <signal.h>
#include <unistd.h>

#include <map>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

TEST(SqliteProcesses, ConcurrentWritersLoseNoWrite) {
  TempDir dir;
  std::string p = dir.file("shared.db");
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p), &store).ok());  // the schema exists before the race
  }
  constexpr int kProcesses = 4;
  constexpr int kEach = 150;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = spawn_helper({"add", p, "proc" + std::to_string(i), std::to_string(kEach)});
    ASSERT_GT(pid, 0);
    pids.push_back(pid);
  }
  // Meanwhile this process writes too, through its own store.
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  for (int i = 0; i < kEach; ++i) ASSERT_TRUE(store->add_entity("", entity("parent-" + std::to_string(i))).ok());
  for (pid_t pid : pids) EXPECT_EQ(wait_child(pid), 0);
  std::vector<std::string> ids = entity_ids(*store);
  EXPECT_EQ(ids.size(), size_t((kProcesses + 1) * kEach));
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entities_by_type["Written"], uint64_t(kProcesses * kEach));
  EXPECT_EQ(stats.entities_by_type["Doc"], uint64_t(kEach));
  RawDb raw(p);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

// Reads decimal lines from fd until n have arrived; false on EOF.
bool wait_for_lines(int fd, int n) {
  int lines = 0;
  char c;
  while (lines < n) {
    ssize_t r = read(fd, &c, 1);
    if (r <= 0) return false;
    if (c == '\n') ++lines;
  }
  return true;
}

TEST(SqliteProcesses, SigkillDuringBulkImportLeavesWholeBatches) {
  TempDir dir;
  std::string p = dir.file("import.db");
  constexpr int kBatch = 1000;
  int out = -1;
  pid_t pid = spawn_helper({"bulk", p, std::to_string(kBatch)}, &out);
  ASSERT_GT(pid, 0);
  // Three committed batches, then the kill lands while later ones are
  // being written (the helper imports without pause).
  ASSERT_TRUE(wait_for_lines(out, 3)) << "the helper stopped early";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(wait_child(pid), 128 + SIGKILL);
  close(out);

  {
    RawDb raw(p);
    EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
  }
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p), &store).ok());
  std::map<std::string, int> per_batch;
  size_t total = 0;
  ASSERT_TRUE(store
                  ->for_each_entity("",
                                    [&](const Entity& e) {
                                      ++per_batch[e.id.substr(0, e.id.find('-'))];
                                      ++total;
                                      return true;
                                    })
                  .ok());
  EXPECT_GE(total, size_t(3 * kBatch));
  EXPECT_EQ(total % kBatch, 0u);
  for (const auto& [batch, n] : per_batch) EXPECT_EQ(n, kBatch) << "batch " << batch << " is partial";
  // Batches are consecutive from b0, and the text index matches the rows.
  for (size_t b = 0; b < per_batch.size(); ++b) EXPECT_EQ(per_batch.count("b" + std::to_string(b)), 1u) << b;
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entity_count, total);
  TextQuery q;
  q.text = "durable";
  q.k = 1000000;
  std::vector<ScoredEntity> hits;
  ASSERT_TRUE(store->text_search("", q, &hits).ok());
  EXPECT_EQ(hits.size(), total);
  // The store goes on writing where the killed one stopped.
  EXPECT_TRUE(store->add_entity("", entity("after")).ok());
}

}  // namespace
}  // namespace graphstore::sqlite_test
