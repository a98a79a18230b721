// The CLI's safety rails, run through the built binary: no silent in-memory
// store when no config file is found, output paths that are never the
// input or the store's own files, and a bench that does not write into the
// configured store unless told to.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_fixture.hpp"

namespace graphstore::test {
namespace {

class CliSafetyTest : public CliTest {
 protected:
  // A config with an inmemory "test", sqlite "sq" and "sq2" environments
  // and, where the plugin is built, a degradation one ("resilient").
  void write_config() {
    std::ofstream(config_) << "environments:\n"
                              "  test:\n    backend: inmemory\n    options: {}\n"
                              "  sq:\n    backend: sqlite\n    options: {path: \""
                           << (dir_ / "a.db").string()
                           << "\"}\n"
                              "  sq2:\n    backend: sqlite\n    options: {path: \""
                           << (dir_ / "b.db").string()
                           << "\"}\n"
                              "  resilient:\n    backend: degradation\n    options:\n"
                              "      primary: {backend: sqlite, options: {path: \""
                           << (dir_ / "p.db").string()
                           << "\"}}\n"
                              "      fallback: {backend: inmemory}\n"
                              "      journal_path: \""
                           << (dir_ / "d.journal").string() << "\"\n";
  }

  // Run options: from cwd, with extra environment entries.
  static RunOptions at(const fs::path& cwd, std::vector<std::string> env = {}) {
    RunOptions options;
    options.cwd = cwd;
    options.env = std::move(env);
    return options;
  }

  // A directory with no config/graphstore.yaml, to run from.
  fs::path empty_dir() {
    fs::path d = dir_ / "elsewhere";
    fs::create_directories(d);
    return d;
  }

  // The number of entities the tenant holds in environment env.
  uint64_t entity_count(const std::string& env, const std::string& tenant = "") {
    std::vector<std::string> args = {"--env", env, "--json", "stats"};
    if (!tenant.empty()) args.insert(args.end(), {"--tenant", tenant});
    Result r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("entity_count")) {
      ADD_FAILURE() << r.out;
      return 0;
    }
    return doc["entity_count"].GetUint64();
  }
};

const char* kGraph =
    R"({"type": "entity", "data": {"id": "a", "entity_type": "Person", "properties": {"name": "Ada"}}})"
    "\n"
    R"({"type": "entity", "data": {"id": "b", "entity_type": "Person"}})"
    "\n";
const char* kBadLine = "{oops\n";

// ---- no config file ----------------------------------------------------------

TEST_F(CliSafetyTest, WithoutAConfigFileANamedEnvironmentFailsAndSaysWhereItLooked) {
  fs::path cwd = empty_dir();
  std::ofstream(cwd / "g.jsonl") << kGraph;
  Result r = run({"--env", "production", "import", "g.jsonl"}, /*with_config=*/false, at(cwd));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("imported"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no config file found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("config/graphstore.yaml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(fs::canonical(cwd).string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'production'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--env inmemory"), std::string::npos) << r.err;

  r = run({"migrate", "--to-env", "staging", "--verify"}, /*with_config=*/false, at(cwd));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("verified"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no config file found"), std::string::npos) << r.err;
}

TEST_F(CliSafetyTest, WithoutAConfigFileTheDefaultEnvironmentFailsToo) {
  fs::path cwd = empty_dir();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"put-entity", R"({"id":"ada","entity_type":"Person"})"}, {"stats"}, {"get", "ada"}, {"health"}}) {
    Result r = run(args, /*with_config=*/false, at(cwd));
    EXPECT_EQ(r.exit_code, 1) << args[0];
    // health reports on stdout, as "unhealthy: <why>".
    EXPECT_NE((r.err + r.out).find("environment 'development' is defined nowhere"), std::string::npos)
        << args[0] << ": " << r.err << r.out;
  }
  // GRAPHSTORE_ENV names an environment as --env does.
  Result r = run({"stats"}, /*with_config=*/false, at(cwd, {"GRAPHSTORE_ENV=production"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'production'"), std::string::npos) << r.err;
}

TEST_F(CliSafetyTest, TheBuiltInMemoryEnvironmentIsThereWhenAskedForByName) {
  fs::path cwd = empty_dir();
  std::ofstream(cwd / "g.jsonl") << kGraph;
  Result r = run({"--env", "inmemory", "import", "g.jsonl"}, /*with_config=*/false, at(cwd));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 2 entities"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("nothing is kept"), std::string::npos) << r.err;
  // Beside a config file that does not define it, too.
  r = run({"--config", config_.string(), "--env", "inmemory", "--json", "stats"}, /*with_config=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // But an explicit config file that is missing is not replaced by it.
  r = run({"--config", (cwd / "nope.yaml").string(), "--env", "inmemory", "stats"}, /*with_config=*/false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope.yaml' not found"), std::string::npos) << r.err;
}

TEST_F(CliSafetyTest, AConfigPathThatIsADirectorySaysSo) {
  Result r = run({"--config", dir_.string(), "stats"}, /*with_config=*/false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not found"), std::string::npos) << r.err;
  r = run({"stats"}, /*with_config=*/false, at(dir_, {"GRAPHSTORE_CONFIG=" + dir_.string()}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
}

#ifdef GRAPHSTORE_HAVE_SQLITE
// ---- output paths --------------------------------------------------------------

class CliOutputPathTest : public CliSafetyTest {
 protected:
  void SetUp() override {
    CliSafetyTest::SetUp();
    write_config();
    std::ofstream(dir_ / "g.jsonl") << kGraph;
    std::ofstream(dir_ / "bad.jsonl") << kGraph << kBadLine;
    Result r = run({"--env", "sq", "import", "g.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    db_bytes_ = slurp(dir_ / "a.db");
  }

  // The database still reads and holds the two entities.
  void expect_store_intact() {
    EXPECT_EQ(entity_count("sq"), 2u);
    EXPECT_EQ(slurp(dir_ / "a.db").substr(0, 16), std::string("SQLite format 3\0", 16));
  }

  std::string db_bytes_;
};

TEST_F(CliOutputPathTest, RejectsOntoTheDatabaseOrItsSiblingsAreRefused) {
  for (std::string target : {"a.db", "a.db-wal", "a.db-shm", "a.db-journal"}) {
    Result r = run({"--env", "sq", "import", "bad.jsonl", "--on-error", "skip", "--rejects", target, "--overwrite"});
    EXPECT_EQ(r.exit_code, 1) << target;
    EXPECT_NE(r.err.find("--rejects '" + target + "'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a file of the store of environment 'sq'"), std::string::npos) << r.err;
  }
  expect_store_intact();
}

TEST_F(CliOutputPathTest, RejectsOntoTheInputAreRefusedThroughLinksToo) {
  std::string input = slurp(dir_ / "bad.jsonl");
  fs::create_symlink(dir_ / "bad.jsonl", dir_ / "link.jsonl");
  fs::create_hard_link(dir_ / "bad.jsonl", dir_ / "hard.jsonl");
  fs::create_directories(dir_ / "sub");
  for (std::string target : {"bad.jsonl", "link.jsonl", "hard.jsonl", "sub/../bad.jsonl"}) {
    Result r = run({"--env", "test", "import", "bad.jsonl", "--on-error", "skip", "--rejects", target, "--overwrite"});
    EXPECT_EQ(r.exit_code, 1) << target;
    EXPECT_NE(r.err.find("it is the input file"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("imported"), std::string::npos) << r.out;
  }
  EXPECT_EQ(slurp(dir_ / "bad.jsonl"), input);
}

TEST_F(CliOutputPathTest, AnExistingRejectsFileNeedsOverwrite) {
  std::ofstream(dir_ / "bad.jsonl.rejected.jsonl") << "keep me\n";
  Result r = run({"--env", "test", "import", "bad.jsonl", "--on-error", "skip"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir_ / "bad.jsonl.rejected.jsonl"), "keep me\n");
  r = run({"--env", "test", "import", "bad.jsonl", "--on-error", "skip", "--overwrite"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir_ / "bad.jsonl.rejected.jsonl").find("oops"), std::string::npos);
}

TEST_F(CliOutputPathTest, ExportOntoTheDatabaseIsRefusedEvenWithOverwrite) {
  fs::create_hard_link(dir_ / "a.db", dir_ / "hard.jsonl");
  fs::create_symlink(dir_ / "a.db", dir_ / "link.jsonl");
  for (std::string target : {"a.db", "hard.jsonl", "link.jsonl", "a.db-wal"}) {
    Result r = run({"--env", "sq", "export", target, "--overwrite"});
    EXPECT_EQ(r.exit_code, 1) << target;
    EXPECT_NE(r.err.find("a file of the store of environment 'sq'"), std::string::npos) << r.err;
  }
  expect_store_intact();
}

TEST_F(CliOutputPathTest, ExportReplacesAnExistingFileOnlyWithOverwrite) {
  std::ofstream(dir_ / "out.jsonl") << "keep me\n";
  Result r = run({"--env", "sq", "export", "out.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the file exists; --overwrite replaces it"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir_ / "out.jsonl"), "keep me\n");
  r = run({"--env", "sq", "export", "out.jsonl", "--overwrite"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir_ / "out.jsonl").find("Ada"), std::string::npos);
  // CSV writes two files; either existing counts.
  std::ofstream(dir_ / "out.relations.csv") << "keep me\n";
  r = run({"--env", "sq", "export", "out.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("out.relations.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.entities.csv"));
}

TEST_F(CliOutputPathTest, CheckpointAndSpoolDirectoryMustNotBeTheStoresFiles) {
  Result r = run({"--env", "sq", "migrate", "--to-env", "sq2", "--checkpoint", "b.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--checkpoint 'b.db'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("environment 'sq2'"), std::string::npos) << r.err;
  r = run({"--env", "sq", "migrate", "--to-env", "sq2", "--checkpoint", "a.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("environment 'sq'"), std::string::npos) << r.err;
  expect_store_intact();
  r = run({"--env", "sq", "import", "g.jsonl", "--on-conflict", "skip", "--spool-dir", "a.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--spool-dir 'a.db'"), std::string::npos) << r.err;
  expect_store_intact();
}

#ifdef GRAPHSTORE_HAVE_DEGRADATION
TEST_F(CliOutputPathTest, TheDegradationJournalAndItsStoresAreGuarded) {
  Result r = run({"--env", "resilient", "import", "g.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (std::string target : {"d.journal", "d.journal.rejected", "p.db", "p.db-wal"}) {
    r = run({"--env", "resilient", "export", target, "--overwrite"});
    EXPECT_EQ(r.exit_code, 1) << target;
    EXPECT_NE(r.err.find("a file of the store of environment 'resilient'"), std::string::npos) << r.err;
  }
}
#endif

// ---- bench -----------------------------------------------------------------------

// A pid that no process has now: a child that has exited and been reaped.
pid_t dead_pid() {
  pid_t pid = 0;
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv, environ), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

TEST_F(CliSafetyTest, BenchRunsOnAScratchStoreByDefault) {
  write_config();
  Result r = run({"--env", "sq", "--json", "bench", "--quick", "--backend", "sqlite"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "a.db")) << "bench wrote into the configured store";
}

TEST_F(CliSafetyTest, BenchInTheConfiguredStoreRemovesWhatAKilledRunLeft) {
  write_config();
  const std::string entity = R"({"id":"e","entity_type":"T"})";
  const std::string dead = "gsbench_" + std::to_string(dead_pid()) + "_0";
  const std::string live = "gsbench_" + std::to_string(getpid()) + "_0";
  for (const std::string& tenant : {dead, live, std::string("keep")})
    ASSERT_EQ(run({"--env", "sq", "--tenant", tenant, "put-entity", entity}).exit_code, 0);
  Result r = run({"--env", "sq", "--json", "bench", "--quick", "--backend", "sqlite", "--configured-store"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("removed tenant " + dead), std::string::npos) << r.err;
  EXPECT_EQ(run({"--env", "sq", "--tenant", dead, "get", "e"}).exit_code, 3);
  // A live process's tenant (a bench running now) and other tenants stay.
  EXPECT_EQ(run({"--env", "sq", "--tenant", live, "get", "e"}).exit_code, 0);
  EXPECT_EQ(run({"--env", "sq", "--tenant", "keep", "get", "e"}).exit_code, 0);
}
#endif

}  // namespace
}  // namespace graphstore::test
