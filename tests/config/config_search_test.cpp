// find_config_file and choose_environment: explicit choice, then environment
// variables, then the conventional places.
#include <gtest/gtest.h>

#include "config_test_util.hpp"
#include "graphstore/config.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;
using testing::ScopedCwd;
using testing::ScopedEnv;
using testing::TempDir;

TEST(ChooseEnvironment, Precedence) {
  ScopedEnv gs("GRAPHSTORE_ENV", std::nullopt);
  ScopedEnv env("ENVIRONMENT", std::nullopt);
  EXPECT_EQ(choose_environment(""), "development");
  {
    ScopedEnv e("ENVIRONMENT", "staging");
    EXPECT_EQ(choose_environment(""), "staging");
    {
      ScopedEnv g("GRAPHSTORE_ENV", "production");
      EXPECT_EQ(choose_environment(""), "production");
      EXPECT_EQ(choose_environment("testing"), "testing");
    }
    EXPECT_EQ(choose_environment("testing"), "testing");
  }
  // An empty variable counts as unset.
  ScopedEnv g("GRAPHSTORE_ENV", "");
  ScopedEnv e("ENVIRONMENT", "ci");
  EXPECT_EQ(choose_environment(""), "ci");
}

class FindConfigTest : public ::testing::Test {
 protected:
  FindConfigTest() : cwd_(dir_.path()) {}

  TempDir dir_;
  ScopedCwd cwd_;
  ScopedEnv config_env_{"GRAPHSTORE_CONFIG", std::nullopt};
};

TEST_F(FindConfigTest, ExplicitPathComesFirst) {
  fs::path explicit_file = dir_.write("mine.yaml", "environments: {}\n");
  dir_.write("from_env.yaml", "environments: {}\n");
  dir_.write("config/graphstore.yaml", "environments: {}\n");
  ScopedEnv e("GRAPHSTORE_CONFIG", (dir_.path() / "from_env.yaml").string());
  fs::path found;
  ASSERT_TRUE(find_config_file(explicit_file.string(), &found).ok());
  EXPECT_EQ(found, explicit_file);
}

TEST_F(FindConfigTest, ExplicitPathMustExist) {
  dir_.write("config/graphstore.yaml", "environments: {}\n");
  fs::path found;
  Status s = find_config_file("missing.yaml", &found);
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.message(), "config file 'missing.yaml' not found");
}

TEST_F(FindConfigTest, EnvironmentVariableComesSecond) {
  fs::path from_env = dir_.write("from_env.yaml", "environments: {}\n");
  dir_.write("config/graphstore.yaml", "environments: {}\n");
  ScopedEnv e("GRAPHSTORE_CONFIG", from_env.string());
  fs::path found;
  ASSERT_TRUE(find_config_file("", &found).ok());
  EXPECT_EQ(found, from_env);

  // Named but missing: an error, not a silent fallback to another file.
  ScopedEnv missing("GRAPHSTORE_CONFIG", (dir_.path() / "gone.yaml").string());
  Status s = find_config_file("", &found);
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.message(),
            "config file '" + (dir_.path() / "gone.yaml").string() + "' (from GRAPHSTORE_CONFIG) not found");
}

TEST_F(FindConfigTest, WorkingDirectoryConfigComesThird) {
  dir_.write("config/graphstore.yaml", "environments: {}\n");
  fs::path found;
  ASSERT_TRUE(find_config_file("", &found).ok());
  EXPECT_TRUE(fs::equivalent(found, dir_.path() / "config" / "graphstore.yaml")) << found;
}

// The installed default beside the running program:
// <dir of the executable>/../share/graphstore/graphstore.yaml.
TEST_F(FindConfigTest, InstalledDefaultComesLast) {
  fs::path exe = fs::read_symlink("/proc/self/exe");
  fs::path share = (exe.parent_path() / ".." / "share" / "graphstore").lexically_normal();
  fs::path installed = share / "graphstore.yaml";
  ASSERT_FALSE(fs::exists(installed)) << installed << " exists already; the test would remove it";
  fs::create_directories(share);
  std::ofstream(installed) << "environments: {}\n";
  fs::path found;
  Status s = find_config_file("", &found);
  fs::remove(installed);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(found, installed);
}

TEST_F(FindConfigTest, NothingFoundListsWhatWasTried) {
  fs::path found;
  Status s = find_config_file("", &found);
  fs::path prefix_default =
      (fs::path(GRAPHSTORE_INSTALL_PREFIX) / GRAPHSTORE_DATA_INSTALL_DIR / "graphstore.yaml").lexically_normal();
  if (fs::exists(prefix_default)) {
    // An installed graphstore on this machine: its default is the answer.
    ASSERT_TRUE(s.ok()) << s.to_string();
    EXPECT_EQ(found, prefix_default);
    return;
  }
  EXPECT_TRUE(s.is_not_found());
  EXPECT_NE(s.message().find("config/graphstore.yaml"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("share/graphstore/graphstore.yaml"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(prefix_default.string()), std::string::npos) << s.message();
}

}  // namespace
}  // namespace graphstore
