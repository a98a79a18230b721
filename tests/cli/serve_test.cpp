// graphstore serve as an operator runs it: requests on its stdin, answers on
// its stdout, and a SIGHUP after the config changed swaps the store while
// requests go on, with the data copied when the section says
// migrate_on_swap.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

// A running `graphstore serve`, spoken to line by line.
class ServeProcess {
 public:
  ServeProcess(const fs::path& config, const fs::path& stderr_file) {
    int in[2], out[2];
    EXPECT_EQ(::pipe(in), 0);
    EXPECT_EQ(::pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {GRAPHSTORE_CLI_PATH, "--config", config.string(), "--env", "live", "serve"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    to_ = ::fdopen(in[1], "w");
    from_ = ::fdopen(out[0], "r");
  }
  ~ServeProcess() {
    if (to_ != nullptr) finish();
  }

  // Sends one request and reads its answer.
  rapidjson::Document ask(const std::string& request) {
    std::fputs((request + "\n").c_str(), to_);
    std::fflush(to_);
    char* line = nullptr;
    size_t cap = 0;
    rapidjson::Document doc;
    ssize_t n = ::getline(&line, &cap, from_);
    if (n > 0) doc.Parse(line, static_cast<size_t>(n));
    std::free(line);
    return doc;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  // Closes stdin and returns the exit status.
  int finish() {
    std::fclose(to_);
    to_ = nullptr;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    std::fclose(from_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = 0;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

bool ok(const rapidjson::Document& d) { return d.IsObject() && d.HasMember("ok") && d["ok"].GetBool(); }

std::string add_request(int n) {
  return R"({"op":"add_entity","entity":{"id":"e)" + std::to_string(n) +
         R"(","entity_type":"Doc","properties":{"n":)" + std::to_string(n) + "}}}";
}

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/graphstore_serve_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write_config(const std::string& live_section) {
    std::ofstream(dir_ / "graphstore.yaml") << "environments:\n  live:\n" << live_section;
  }

  fs::path dir_;
};

TEST_F(Serve, SighupSwapsToTheChangedBackendWithItsDataWhileRequestsGoOn) {
  write_config("    backend: sqlite\n    options: {path: \"" + (dir_ / "before.db").string() + "\"}\n");
  ServeProcess serve(dir_ / "graphstore.yaml", dir_ / "stderr");
  int n = 0;
  for (; n < 300; ++n) ASSERT_TRUE(ok(serve.ask(add_request(n)))) << n;
  write_config("    backend: inmemory\n    migrate_on_swap: true\n");
  serve.signal(SIGHUP);
  uint64_t swaps = 0;
  for (int i = 0; i < 20000 && swaps == 0; ++i, ++n) {
    ASSERT_TRUE(ok(serve.ask(add_request(n)))) << "request " << n << " failed during the swap";
    auto backend = serve.ask(R"({"op":"backend"})");
    ASSERT_TRUE(ok(backend));
    swaps = backend["swaps"].GetUint64();
  }
  ASSERT_EQ(swaps, 1u) << "no swap";
  for (int i = 0; i < 50; ++i, ++n) ASSERT_TRUE(ok(serve.ask(add_request(n))));
  auto backend = serve.ask(R"({"op":"backend"})");
  EXPECT_EQ(std::string(backend["backend"].GetString()), "inmemory");
  for (int i = 0; i < n; ++i) {
    auto got = serve.ask(R"({"op":"get_entity","id":"e)" + std::to_string(i) + R"("})");
    ASSERT_TRUE(ok(got)) << "e" << i << " is missing after the swap";
    EXPECT_EQ(got["entity"]["properties"]["n"].GetInt(), i);
  }
  auto stats = serve.ask(R"({"op":"stats"})");
  EXPECT_EQ(stats["entity_count"].GetUint64(), static_cast<uint64_t>(n));
  EXPECT_EQ(serve.finish(), 0);
}

TEST_F(Serve, AReloadOfABrokenConfigKeepsTheStoreAndSaysWhere) {
  write_config("    backend: inmemory\n");
  ServeProcess serve(dir_ / "graphstore.yaml", dir_ / "stderr");
  ASSERT_TRUE(ok(serve.ask(add_request(1))));
  write_config("    backend: inmemory\n    migrate_on_swap: sometimes\n");
  auto reload = serve.ask(R"({"op":"reload","request_id":"r1"})");
  ASSERT_TRUE(reload.IsObject());
  EXPECT_FALSE(ok(reload));
  EXPECT_EQ(std::string(reload["request_id"].GetString()), "r1");
  std::string error = reload["error"].GetString();
  EXPECT_NE(error.find("graphstore.yaml:4"), std::string::npos) << error;
  EXPECT_NE(error.find("migrate_on_swap"), std::string::npos) << error;
  EXPECT_TRUE(ok(serve.ask(R"({"op":"get_entity","id":"e1"})"))) << "the store is the same";
  auto bad = serve.ask("{not json");
  EXPECT_FALSE(ok(bad));
  EXPECT_NE(std::string(bad["error"].GetString()).find("line 4"), std::string::npos);
  EXPECT_EQ(serve.finish(), 0);
}

}  // namespace
