#include "test_util.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

extern char** environ;

namespace graphstore::sqlite_test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("graphstore-sqlite-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string options_for(const std::string& path, const std::string& extra) {
  std::string escaped;
  for (char c : path) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return "{\"path\": \"" + escaped + "\"" + (extra.empty() ? "" : ", " + extra) + "}";
}

Status open_store(const std::string& options_json, std::unique_ptr<Store>* out) {
  Registry registry({GRAPHSTORE_SQLITE_PLUGIN_DIR});
  return registry.open("sqlite", options_json, out);
}

Entity entity(const std::string& id, const std::string& type, const std::string& properties) {
  Entity e;
  e.id = id;
  e.entity_type = type;
  e.properties = properties;
  return e;
}

Relation relation(const std::string& id, const std::string& from, const std::string& to, const std::string& type) {
  Relation r;
  r.id = id;
  r.relation_type = type;
  r.source_id = from;
  r.target_id = to;
  r.weight = 0.5;
  return r;
}

std::vector<std::string> entity_ids(Store& store, const std::string& tenant) {
  std::vector<std::string> ids;
  Status s = store.for_each_entity(tenant, [&](const Entity& e) {
    ids.push_back(e.id);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.to_string();
  std::sort(ids.begin(), ids.end());
  return ids;
}

RawDb::RawDb(const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
}

RawDb::~RawDb() { sqlite3_close_v2(db_); }

int RawDb::exec(const std::string& sql, std::string* error) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (error) *error = message ? message : "";
  sqlite3_free(message);
  return rc;
}

std::string RawDb::text(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    return "";
  }
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr)
    out.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), size_t(sqlite3_column_bytes(s, 0)));
  sqlite3_finalize(s);
  return out;
}

int64_t RawDb::integer(const std::string& sql) {
  std::string t = text(sql);
  return t.empty() ? 0 : std::stoll(t);
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

pid_t spawn_helper(const std::vector<std::string>& args, int* stdout_fd) {
  std::vector<std::string> argv_s = {SQLITE_TEST_HELPER};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int fds[2] = {-1, -1};
  if (stdout_fd != nullptr) {
    if (pipe(fds) != 0) return -1;
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
  }
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (stdout_fd != nullptr) {
    close(fds[1]);
    *stdout_fd = fds[0];
  }
  return rc == 0 ? pid : -1;
}

int wait_child(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace graphstore::sqlite_test
