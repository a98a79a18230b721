// open_backend through the registry and the inmemory plugin: a plugin's
// option error points at the option's line, other failures at the section.
#include <gtest/gtest.h>

#include "config_test_util.hpp"
#include "graphstore/config.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

class OpenBackendTest : public ::testing::Test {
 protected:
  Status open(const std::string& yaml, const std::string& env = "dev") {
    file_ = dir_.write("graphstore.yaml", yaml);
    Status s = load_backend_config(file_, env, &config_);
    if (!s.ok()) return s;
    Registry registry({INMEMORY_PLUGIN_DIR});
    return open_backend(registry, config_, &store_);
  }
  std::string located(int line, const std::string& rest) const {
    return file_.string() + ":" + std::to_string(line) + ": " + rest;
  }

  TempDir dir_;
  fs::path file_;
  BackendConfig config_;
  std::unique_ptr<Store> store_;
};

TEST_F(OpenBackendTest, OpensTheConfiguredPlugin) {
  Status s = open("environments:\n  dev:\n    backend: inmemory\n    options:\n      max_memory_mb: 64\n");
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_NE(store_, nullptr);
}

TEST_F(OpenBackendTest, OptionErrorPointsAtTheOptionsLine) {
  Status s = open("environments:\n  dev:\n    backend: inmemory\n    options:\n\n      max_memory_mb: lots\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), located(6, "option 'max_memory_mb': expected a whole number, got a string 'lots'"));

  s = open("environments:\n  dev:\n    backend: inmemory\n    options:\n      max_memroy_mb: 5\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), located(5, "option 'max_memroy_mb': unknown option (did you mean 'max_memory_mb'?)"));
}

TEST_F(OpenBackendTest, ANumericOptionConvertsTheTextOfAVariableOrNamesIt) {
  const std::string yaml =
      "environments:\n  dev:\n    backend: inmemory\n    options:\n      max_memory_mb: ${GS_TEST_MEM}\n";
  {
    testing::ScopedEnv mem("GS_TEST_MEM", "64");
    Status s = open(yaml);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  testing::ScopedEnv mem("GS_TEST_MEM", "lots");
  Status s = open(yaml);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), located(5,
                                 "option 'max_memory_mb': expected a whole number, got a string 'lots' (the value "
                                 "comes from $GS_TEST_MEM)"));
}

TEST_F(OpenBackendTest, UnknownBackendPointsAtTheSection) {
  Status s = open("environments:\n  other: {backend: inmemory}\n  dev:\n    backend: nosuch\n");
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.message().rfind(located(3, "environment 'dev', backend 'nosuch': unknown backend 'nosuch'"), 0), 0u)
      << s.message();
}

TEST_F(OpenBackendTest, OtherFailuresPointAtTheSectionAndKeepTheirCode) {
  fs::path not_a_plugin = dir_.write("plugins/libgraphstore_fake.so", "not an ELF file");
  Status s = open("environments:\n  dev:\n    backend: plugins/libgraphstore_fake.so\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message().rfind(located(2, "environment 'dev', backend '" + not_a_plugin.string() + "': "), 0), 0u)
      << s.message();
}

TEST_F(OpenBackendTest, RelativeBackendPathOpens) {
  fs::copy_file(fs::path(INMEMORY_PLUGIN_DIR) / "libgraphstore_inmemory.so", dir_.path() / "libgraphstore_inmemory.so");
  Status s = open("environments:\n  dev: {backend: ./libgraphstore_inmemory.so}\n");
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(config_.backend, (dir_.path() / "libgraphstore_inmemory.so").string());
}

TEST_F(OpenBackendTest, PluginPathsAreSearched) {
  fs::path plugins = dir_.path() / "plugins";
  fs::create_directories(plugins);
  fs::copy_file(fs::path(INMEMORY_PLUGIN_DIR) / "libgraphstore_inmemory.so", plugins / "libgraphstore_inmemory.so");
  file_ = dir_.write("graphstore.yaml", "plugin_paths: [plugins]\nenvironments:\n  dev: {backend: inmemory}\n");
  ASSERT_TRUE(load_backend_config(file_, "dev", &config_).ok());
  Registry registry;
  ASSERT_TRUE(open_backend(registry, config_, &store_).ok());
  fs::path resolved;
  ASSERT_TRUE(registry.resolve("inmemory", &resolved).ok());
  EXPECT_EQ(resolved, plugins / "libgraphstore_inmemory.so");
}

TEST_F(OpenBackendTest, ConfigWithoutFileIsNotPrefixedWithALocation) {
  BackendConfig config;
  config.environment = "development";
  config.backend = "nosuch";
  config.options_json = "{}";
  Registry registry({INMEMORY_PLUGIN_DIR});
  Status s = open_backend(registry, config, &store_);
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.message().rfind("environment 'development', backend 'nosuch': unknown backend", 0), 0u) << s.message();
}

}  // namespace
}  // namespace graphstore
