// Shared helpers of the sqlite plugin's tests: temporary directories, stores
// opened through the Registry (as any host opens them), raw SQLite access to
// inspect or lock a file behind the plugin's back, and child processes.
#ifndef GRAPHSTORE_TESTS_SQLITE_TEST_UTIL_HPP
#define GRAPHSTORE_TESTS_SQLITE_TEST_UTIL_HPP

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

namespace graphstore::sqlite_test {

namespace fs = std::filesystem;

// A fresh directory, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const fs::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// {"path": path} plus extra members (a JSON fragment such as
// R"("timeout": 0.2)"), as JSON text.
std::string options_for(const std::string& path, const std::string& extra = "");

// Opens the sqlite plugin (from the build's plugin directory).
Status open_store(const std::string& options_json, std::unique_ptr<Store>* out);

Entity entity(const std::string& id, const std::string& type = "Doc", const std::string& properties = "{}");
Relation relation(const std::string& id, const std::string& from, const std::string& to,
                  const std::string& type = "LINKS");

// Every entity id of the tenant, sorted.
std::vector<std::string> entity_ids(Store& store, const std::string& tenant = "");

// A raw connection to a database file, for inspecting or locking it.
class RawDb {
 public:
  explicit RawDb(const std::string& path, int flags = SQLITE_OPEN_READWRITE);
  ~RawDb();
  sqlite3* handle() const { return db_; }
  // Runs sql; returns SQLite's result code (and the message in *error).
  int exec(const std::string& sql, std::string* error = nullptr);
  // The first column of the first row as text ("" when there is none).
  std::string text(const std::string& sql);
  int64_t integer(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// The whole content of a file.
std::string slurp(const fs::path& file);

// Runs the test helper executable with args; returns its pid. With
// stdout_fd != nullptr its standard output is a pipe read through *stdout_fd.
pid_t spawn_helper(const std::vector<std::string>& args, int* stdout_fd = nullptr);
// Waits for pid; returns its exit status (128 + signal when killed).
int wait_child(pid_t pid);

}  // namespace graphstore::sqlite_test

#endif  // GRAPHSTORE_TESTS_SQLITE_TEST_UTIL_HPP
