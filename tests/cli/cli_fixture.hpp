// The CLI test fixture: runs the built graphstore binary as a user would,
// from a temporary directory, with a temporary config whose "test"
// environment uses the inmemory backend. Shared by every tests/cli file.
#ifndef GRAPHSTORE_TESTS_CLI_FIXTURE_HPP
#define GRAPHSTORE_TESTS_CLI_FIXTURE_HPP

#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace graphstore::test {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What a run may add to the plain invocation.
struct RunOptions {
  std::vector<std::string> env;  // extra NAME=VALUE entries
  fs::path stdin_file;           // empty: /dev/null
  fs::path cwd;                  // empty: the test's temporary directory
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/graphstore_cli_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    config_ = dir_ / "graphstore.yaml";
    std::ofstream(config_) << "environments:\n  test:\n    backend: inmemory\n    options: {}\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs graphstore with --config/--env test prepended, in the temp dir,
  // with GRAPHSTORE_* and ENVIRONMENT removed from the environment (and
  // options.env added to it).
  Result run(std::vector<std::string> args, bool with_config = true, const RunOptions& options = {}) {
    std::vector<std::string> argv_s = {GRAPHSTORE_CLI_PATH};
    if (with_config) argv_s.insert(argv_s.end(), {"--config", config_.string(), "--env", "test"});
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> extra_env = options.env;
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e)
      if (std::strncmp(*e, "GRAPHSTORE_", 11) != 0 && std::strncmp(*e, "ENVIRONMENT=", 12) != 0) envp.push_back(*e);
    for (auto& e : extra_env) envp.push_back(e.data());
    envp.push_back(nullptr);

    fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    fs::path in = options.stdin_file.empty() ? fs::path("/dev/null") : options.stdin_file;
    fs::path cwd = options.cwd.empty() ? dir_ : options.cwd;
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    pid_t pid = 0;
    Result r;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      ADD_FAILURE() << "posix_spawn: " << std::strerror(rc);
      return r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  // Parses stdout as exactly one JSON document.
  static void parse(const Result& r, rapidjson::Document* doc) {
    doc->Parse(r.out.c_str());
    ASSERT_FALSE(doc->HasParseError()) << "stdout is not one JSON document:\n" << r.out;
  }

  fs::path dir_;
  fs::path config_;
};

inline std::string str(const rapidjson::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

}  // namespace graphstore::test

#endif  // GRAPHSTORE_TESTS_CLI_FIXTURE_HPP
