// The development environment of config/graphstore.yaml is a SQLite file:
// `graphstore demo` run twice from one directory creates ./data/graph.db,
// then finds everything already there (the demo skips what is present) and
// answers the same.
#include <fcntl.h>
#include <rapidjson/document.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstring>

#include "test_util.hpp"

extern char** environ;

namespace graphstore::sqlite_test {
namespace {

// Runs `graphstore --config <repo config> --env development --json demo` in
// dir; returns the exit code and fills *out with stdout.
int run_demo(const fs::path& dir, std::string* out) {
  std::vector<std::string> args = {
      GRAPHSTORE_CLI_PATH, "--config", GRAPHSTORE_REPO_CONFIG, "--env", "development", "--json", "demo"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "GRAPHSTORE_", 11) != 0 && std::strncmp(*e, "ENVIRONMENT=", 12) != 0) envp.push_back(*e);
  envp.push_back(nullptr);
  fs::path stdout_file = dir / "stdout.json";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int code = wait_child(pid);
  *out = slurp(stdout_file);
  return code;
}

TEST(SqliteDevelopmentDemo, RunsTwiceOnThePersistentFile) {
  TempDir dir;
  std::string first, second;
  ASSERT_EQ(run_demo(dir.path(), &first), 0) << first;
  EXPECT_TRUE(fs::exists(dir.path() / "data" / "graph.db"));
  ASSERT_EQ(run_demo(dir.path(), &second), 0) << second;

  rapidjson::Document a, b;
  a.Parse(first.c_str());
  b.Parse(second.c_str());
  ASSERT_TRUE(a.IsObject()) << first;
  ASSERT_TRUE(b.IsObject()) << second;
  EXPECT_STREQ(a["backend"].GetString(), "sqlite");
  uint64_t entities = a["load"]["entities"]["added"].GetUint64();
  uint64_t relations = a["load"]["relations"]["added"].GetUint64();
  EXPECT_GT(entities, 200u);
  EXPECT_GT(relations, 200u);
  EXPECT_EQ(b["load"]["entities"]["added"].GetUint64(), 0u);
  EXPECT_EQ(b["load"]["entities"]["already_present"].GetUint64(), entities);
  EXPECT_EQ(b["load"]["relations"]["already_present"].GetUint64(), relations);
  EXPECT_EQ(a["stats"]["entity_count"].GetUint64(), entities);
  EXPECT_EQ(b["stats"]["entity_count"].GetUint64(), entities);
  EXPECT_EQ(b["stats"]["relation_count"].GetUint64(), relations);
  EXPECT_EQ(a["paths"]["result"]["paths"].Size(), b["paths"]["result"]["paths"].Size());
  ASSERT_GT(b["text_search"]["results"].Size(), 0u);
  EXPECT_EQ(a["text_search"]["results"][0]["score"].GetDouble(), b["text_search"]["results"][0]["score"].GetDouble());
}

}  // namespace
}  // namespace graphstore::sqlite_test
