// Options: defaults, every option's effect where it can be seen from outside,
// and every kind of error naming its key.
#include <thread>

#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

Status open_with(const std::string& json) {
  std::unique_ptr<Store> store;
  return open_store(json, &store);
}

void expect_error(const std::string& json, const std::string& fragment) {
  Status s = open_with(json);
  EXPECT_TRUE(s.is_invalid_argument()) << json << ": " << s.to_string();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << json << ": " << s.message();
}

TEST(SqliteOptions, FileDefaultsAreWalAndTheParentDirectoryIsCreated) {
  TempDir dir;
  std::string path = dir.file("nested/deeper/graph.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(path), &store).ok());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  EXPECT_TRUE(fs::exists(path));
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST(SqliteOptions, JournalModeIsConfigurable) {
  TempDir dir;
  std::string path = dir.file("graph.db");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(path, R"("journal_mode": "delete", "synchronous": "full")"), &store).ok());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  store.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "delete");
}

TEST(SqliteOptions, EveryOptionIsAccepted) {
  TempDir dir;
  std::unique_ptr<Store> store;
  Status s = open_store(
      options_for(dir.file("g.db"), R"("timeout": 2.5, "journal_mode": "WAL", "synchronous": "NORMAL",)"
                                    R"( "cache_size": -2000, "mmap_size": 1048576, "wal_autocheckpoint": 500,)"
                                    R"( "read_only": false, "check_same_thread": true)"),
      &store);
  ASSERT_TRUE(s.ok()) << s.to_string();
  // check_same_thread has no effect: another thread uses the store.
  Status from_thread;
  std::thread([&] { from_thread = store->add_entity("", entity("t")); }).join();
  EXPECT_TRUE(from_thread.ok()) << from_thread.to_string();
  Entity got;
  EXPECT_TRUE(store->get_entity("", "t", &got).ok());
}

TEST(SqliteOptions, UnknownOptionIsNamedWithASuggestion) {
  TempDir dir;
  Status s = open_with(options_for(dir.file("g.db"), R"("timout": 1)"));
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), "option 'timout': unknown option (did you mean 'timeout'?)");
  expect_error(options_for(dir.file("g.db"), R"("pragma": "x")"), "option 'pragma': unknown option");
}

TEST(SqliteOptions, WrongTypesNameTheKey) {
  TempDir dir;
  std::string p = dir.file("g.db");
  expect_error(R"({"path": 5})", "option 'path': expected a string, got a number");
  expect_error(options_for(p, R"("timeout": "soon")"), "option 'timeout': expected a number, got a string");
  expect_error(options_for(p, R"("cache_size": 1.5)"), "option 'cache_size': expected a whole number");
  expect_error(options_for(p, R"("read_only": "yes")"), "option 'read_only': expected true or false");
  expect_error(options_for(p, R"("check_same_thread": 0)"), "option 'check_same_thread': expected true or false");
  expect_error(options_for(p, R"("journal_mode": 1)"), "option 'journal_mode': expected a string");
}

TEST(SqliteOptions, BadValuesNameTheKey) {
  TempDir dir;
  std::string p = dir.file("g.db");
  expect_error("{}", "option 'path': required");
  expect_error(R"({"path": ""})", "option 'path': must not be empty");
  expect_error(options_for(p, R"("journal_mode": "fast")"),
               "option 'journal_mode': 'fast' is not one of WAL, DELETE, TRUNCATE, PERSIST, MEMORY, OFF");
  expect_error(options_for(p, R"("synchronous": "sometimes")"), "option 'synchronous': 'sometimes' is not one of");
  expect_error(options_for(p, R"("timeout": -1)"), "option 'timeout': seconds must lie in [0, 86400]");
  expect_error(options_for(p, R"("mmap_size": -5)"), "option 'mmap_size': -5 is out of range");
  expect_error(R"({"path": ":memory:", "read_only": true})", "option 'read_only'");
  expect_error("[1]", "options: expected a JSON object");
  EXPECT_FALSE(fs::exists(p)) << "a refused open creates nothing";
}

TEST(SqliteOptions, ReadOnlyReadsAndRefusesWrites) {
  TempDir dir;
  std::string p = dir.file("g.db");
  {
    std::unique_ptr<Store> store;
    ASSERT_TRUE(open_store(options_for(p), &store).ok());
    ASSERT_TRUE(store->add_entity("", entity("a", "Doc", R"({"t":"kept"})")).ok());
  }
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(p, R"("read_only": true)"), &store).ok());
  Entity got;
  EXPECT_TRUE(store->get_entity("", "a", &got).ok());
  EXPECT_EQ(got.properties, R"({"t":"kept"})");
  Status s = store->add_entity("", entity("b"));
  EXPECT_EQ(s.code(), Code::kPermissionDenied) << s.to_string();
  EXPECT_NE(s.message().find("read_only"), std::string::npos) << s.message();
  EXPECT_EQ(entity_ids(*store), std::vector<std::string>{"a"});

  std::unique_ptr<Store> missing;
  Status m = open_store(options_for(dir.file("missing.db"), R"("read_only": true)"), &missing);
  EXPECT_TRUE(m.is_not_found()) << m.to_string();
  EXPECT_FALSE(fs::exists(dir.file("missing.db")));
}

TEST(SqliteOptions, MemoryDatabasesAreSeparate) {
  std::unique_ptr<Store> a, b;
  ASSERT_TRUE(open_store(R"({"path": ":memory:"})", &a).ok());
  ASSERT_TRUE(open_store(R"({"path": ":memory:"})", &b).ok());
  ASSERT_TRUE(a->add_entity("", entity("only-in-a")).ok());
  EXPECT_EQ(entity_ids(*a), std::vector<std::string>{"only-in-a"});
  EXPECT_TRUE(entity_ids(*b).empty());
}

// Runs in dir as the working directory, where a relative "file:" name would
// leave its directories.
class InDirectory {
 public:
  explicit InDirectory(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  ~InDirectory() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

TEST(SqliteOptions, PathIsAFileSystemPathNeverAUri) {
  TempDir dir;
  InDirectory cwd(dir.path());
  std::string absolute = dir.file("nl.db");
  // A URI's query would switch locking off or swap the file for memory.
  for (const std::string& path : {"file:" + absolute + "?nolock=1", std::string("file:rel/x.db?mode=memory"),
                                  std::string("FILE:y.db"), std::string("file:z.db")}) {
    Status s = open_with(options_for(path));
    EXPECT_TRUE(s.is_invalid_argument()) << path << ": " << s.to_string();
    EXPECT_NE(s.message().find("option 'path'"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("file:"), std::string::npos) << s.message();
  }
  // Nothing was created: no database, no stray "file:" directory tree.
  EXPECT_TRUE(fs::is_empty(dir.path())) << fs::directory_iterator(dir.path())->path();
  // A file whose name starts "file:" is reached as a relative path.
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for("./file:w.db"), &store).ok());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  store.reset();
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "file:w.db"));
}

}  // namespace
}  // namespace graphstore::sqlite_test
