// load_backend_config and list_environments: the file's shape, located
// errors, expansion only in the chosen environment, path resolution, and the
// repository's own config/graphstore.yaml.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.hpp"
#include "graphstore/config.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;
using testing::ScopedEnv;
using testing::TempDir;

class ConfigFileTest : public ::testing::Test {
 protected:
  // Writes graphstore.yaml and loads env from it.
  Status load(const std::string& yaml, const std::string& env, BackendConfig* out = nullptr) {
    file_ = dir_.write("graphstore.yaml", yaml);
    BackendConfig local;
    return load_backend_config(file_, env, out != nullptr ? out : &local);
  }
  // The message with the file's path replaced by "F".
  std::string message(const Status& s) const {
    std::string m = s.message();
    std::string f = file_.string();
    for (size_t pos = m.find(f); pos != std::string::npos; pos = m.find(f)) m.replace(pos, f.size(), "F");
    return m;
  }

  TempDir dir_;
  fs::path file_;
};

constexpr const char* kTwoEnvironments = R"(# a comment
environments:
  development:
    backend: inmemory
  production:
    backend: postgres
    options:
      host: ${GS_TEST_DB_HOST}
      port: ${GS_TEST_DB_PORT:-5432}
      password: ${GS_TEST_DB_PASSWORD}
      ssl: true
      label: "${GS_TEST_DB_PORT:-5432}"
)";

TEST_F(ConfigFileTest, LoadsTheChosenEnvironment) {
  ScopedEnv host("GS_TEST_DB_HOST", "db.internal");
  ScopedEnv port("GS_TEST_DB_PORT", std::nullopt);
  ScopedEnv password("GS_TEST_DB_PASSWORD", "s3\"cret");
  BackendConfig c;
  ASSERT_TRUE(load(kTwoEnvironments, "production", &c).ok());
  EXPECT_EQ(c.environment, "production");
  EXPECT_EQ(c.backend, "postgres");
  EXPECT_EQ(c.file, file_.string());
  EXPECT_EQ(c.line, 5);
  EXPECT_EQ(c.options_json, R"({"host":"db.internal","port":"5432","password":"s3\"cret","ssl":true,"label":"5432"})");
  EXPECT_EQ(c.option_lines,
            (std::map<std::string, int>{{"host", 8}, {"port", 9}, {"password", 10}, {"ssl", 11}, {"label", 12}}));
  EXPECT_TRUE(c.plugin_paths.empty());
}

TEST_F(ConfigFileTest, MissingVariableIsLocated) {
  ScopedEnv host("GS_TEST_DB_HOST", "db.internal");
  ScopedEnv password("GS_TEST_DB_PASSWORD", std::nullopt);
  Status s = load(kTwoEnvironments, "production");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s), "F:10: key 'password': environment variable GS_TEST_DB_PASSWORD is not set");
}

TEST_F(ConfigFileTest, MissingVariableInAnotherEnvironmentIsFine) {
  ScopedEnv host("GS_TEST_DB_HOST", std::nullopt);
  ScopedEnv password("GS_TEST_DB_PASSWORD", std::nullopt);
  BackendConfig c;
  Status s = load(kTwoEnvironments, "development", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "inmemory");
  EXPECT_EQ(c.options_json, "{}");
  EXPECT_TRUE(c.option_lines.empty());
  EXPECT_EQ(c.line, 3);
}

TEST_F(ConfigFileTest, UnknownEnvironmentListsTheDefinedOnes) {
  Status s = load(kTwoEnvironments, "staging");
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(message(s), "F:2: no environment 'staging' (defined: development, production)");
}

TEST_F(ConfigFileTest, ListsEnvironmentsInFileOrder) {
  file_ = dir_.write("graphstore.yaml",
                     "environments:\n  zeta: {backend: a}\n  alpha: {backend: b}\n  mid: {backend: c}\n");
  std::vector<std::string> names;
  ASSERT_TRUE(list_environments(file_, &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{"zeta", "alpha", "mid"}));
}

TEST_F(ConfigFileTest, MissingFileIsNotFound) {
  BackendConfig c;
  fs::path missing = dir_.path() / "nope.yaml";
  Status s = load_backend_config(missing, "development", &c);
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.message(), missing.string() + ": config file not found");
  std::vector<std::string> names;
  EXPECT_TRUE(list_environments(missing, &names).is_not_found());
}

TEST_F(ConfigFileTest, MalformedYaml) {
  Status s = load("environments:\n  development:\n    backend: [inmemory\n", "development");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s).rfind("F:", 0), 0u);
  EXPECT_NE(message(s).find(": malformed YAML: end of sequence flow not found"), std::string::npos) << message(s);
  s = load("environments:\n  development:\n    backend: a: b\n", "development");
  EXPECT_EQ(message(s), "F:3:15: malformed YAML: illegal map value");
}

TEST_F(ConfigFileTest, UnknownTopLevelKeySuggestsTheClosest) {
  Status s = load("plugin_paths: []\nenviroments:\n  development: {backend: inmemory}\n", "development");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s), "F:2: key 'enviroments': unknown key at the top level (did you mean 'environments'?)");
  s = load("plugins_path: [x]\nenvironments: {}\n", "development");
  EXPECT_EQ(message(s), "F:1: key 'plugins_path': unknown key at the top level (did you mean 'plugin_paths'?)");
  s = load("environments: {}\nbanana: 1\n", "development");
  EXPECT_EQ(message(s), "F:2: key 'banana': unknown key at the top level (valid keys: plugin_paths, environments)");
}

TEST_F(ConfigFileTest, UnknownSectionKeySuggestsTheClosest) {
  Status s = load(
      "environments:\n  development:\n    backend: inmemory\n  production:\n    backend: postgres\n"
      "    option:\n      host: h\n",
      "development");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s), "F:6: key 'option': unknown key in environment 'production' (did you mean 'options'?)");
  s = load("environments:\n  development:\n    bakend: inmemory\n", "development");
  EXPECT_EQ(message(s), "F:3: key 'bakend': unknown key in environment 'development' (did you mean 'backend'?)");
}

TEST_F(ConfigFileTest, WrongTypesAreLocated) {
  Status s = load("environments:\n  - development\n", "development");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s), "F:1: key 'environments': expected a mapping, got a sequence");
  s = load("environments:\n  development:\n    backend:\n      id: inmemory\n", "development");
  EXPECT_EQ(message(s), "F:3: key 'backend': expected a plugin id or a path, got a mapping");
  s = load("environments:\n  development:\n    backend: inmemory\n    options: [a, b]\n", "development");
  EXPECT_EQ(message(s), "F:4: key 'options': expected a mapping, got a sequence");
  s = load("environments:\n  development: inmemory\n", "development");
  EXPECT_EQ(message(s), "F:2: key 'development': expected a mapping with 'backend' and 'options', got a string");
  s = load("plugin_paths: 5\nenvironments: {}\n", "development");
  EXPECT_EQ(message(s), "F:1: key 'plugin_paths': expected a sequence of directories, got an integer");
  s = load("plugin_paths: [a, {b: c}]\nenvironments: {}\n", "development");
  EXPECT_EQ(message(s), "F:1: key 'plugin_paths[1]': expected a directory, got a mapping");
  s = load("environments:\n", "development");
  EXPECT_EQ(message(s), "F:1: key 'environments': expected a mapping, got null");
}

TEST_F(ConfigFileTest, MissingPiecesAreLocated) {
  Status s = load("environments:\n  development:\n    options: {}\n", "development");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(message(s), "F:2: environment 'development': missing key 'backend'");
  s = load("plugin_paths: []\n", "development");
  EXPECT_EQ(message(s), "F:1: missing top-level key 'environments'");
  s = load("", "development");
  EXPECT_EQ(message(s), "F:1: expected a mapping with key 'environments', got an empty document");
  s = load("- a\n", "development");
  EXPECT_EQ(message(s), "F:1: expected a mapping with key 'environments', got a sequence");
  s = load("environments:\n  development:\n    backend: ${GS_TEST_EMPTY_BACKEND:-}\n", "development");
  EXPECT_EQ(message(s), "F:3: key 'backend': the backend is empty");
}

TEST_F(ConfigFileTest, DuplicateEnvironmentIsAnError) {
  Status s = load("environments:\n  development: {backend: a}\n  development: {backend: b}\n", "development");
  EXPECT_EQ(message(s), "F:3: key 'development': duplicate key (first at line 2)");
}

TEST_F(ConfigFileTest, BackendAndOptionsMayBeExpanded) {
  ScopedEnv backend("GS_TEST_BACKEND", "sqlite");
  BackendConfig c;
  ASSERT_TRUE(load("environments:\n  d:\n    backend: ${GS_TEST_BACKEND}\n    options:\n", "d", &c).ok());
  EXPECT_EQ(c.backend, "sqlite");
  EXPECT_EQ(c.options_json, "{}");
}

TEST_F(ConfigFileTest, RelativePathsResolveAgainstTheFilesDirectory) {
  file_ = dir_.write("conf/graphstore.yaml",
                     "plugin_paths: [../plugins, /opt/gs/lib]\nenvironments:\n"
                     "  a: {backend: ./lib/libgraphstore_x.so}\n"
                     "  b: {backend: libgraphstore_y.so}\n"
                     "  c: {backend: /abs/libgraphstore_z.so}\n"
                     "  d: {backend: sqlite}\n"
                     "  e: {backend: ../up/plugin}\n");
  fs::path conf = dir_.path() / "conf";
  auto backend_of = [&](const char* env) {
    BackendConfig c;
    Status s = load_backend_config(file_, env, &c);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return c;
  };
  BackendConfig a = backend_of("a");
  EXPECT_EQ(a.backend, (conf / "lib" / "libgraphstore_x.so").string());
  EXPECT_EQ(a.plugin_paths, (std::vector<fs::path>{dir_.path() / "plugins", "/opt/gs/lib"}));
  EXPECT_EQ(backend_of("b").backend, (conf / "libgraphstore_y.so").string());
  EXPECT_EQ(backend_of("c").backend, "/abs/libgraphstore_z.so");
  EXPECT_EQ(backend_of("d").backend, "sqlite");
  EXPECT_EQ(backend_of("e").backend, (dir_.path() / "up" / "plugin").string());
}

TEST_F(ConfigFileTest, RelativeFileNameResolvesAgainstItsDirectory) {
  dir_.write("conf/graphstore.yaml", "environments:\n  a: {backend: ./libgraphstore_x.so}\n");
  testing::ScopedCwd cwd(dir_.path());
  BackendConfig c;
  ASSERT_TRUE(load_backend_config("conf/graphstore.yaml", "a", &c).ok());
  EXPECT_EQ(c.file, "conf/graphstore.yaml");
  EXPECT_EQ(fs::path(c.backend), fs::current_path() / "conf" / "libgraphstore_x.so");
}

TEST_F(ConfigFileTest, MergeKeysShareSettingsBetweenEnvironments) {
  ScopedEnv host("GS_TEST_DB_HOST", "prod.db");
  BackendConfig c;
  ASSERT_TRUE(load("environments:\n"
                   "  production: &prod\n"
                   "    backend: postgres\n"
                   "    options: {host: \"${GS_TEST_DB_HOST}\", port: 5432}\n"
                   "  staging:\n"
                   "    <<: *prod\n",
                   "staging", &c)
                  .ok());
  EXPECT_EQ(c.backend, "postgres");
  EXPECT_EQ(c.options_json, R"({"host":"prod.db","port":5432})");
  EXPECT_EQ(c.option_lines, (std::map<std::string, int>{{"host", 4}, {"port", 4}}));
}

// ---- the repository's config/graphstore.yaml ------------------------------

TEST(RepoConfig, DefinesTheFourConventionalEnvironmentsAndAResilientProduction) {
  std::vector<std::string> names;
  ASSERT_TRUE(list_environments(GRAPHSTORE_REPO_CONFIG, &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{"development", "testing", "staging", "production", "production_resilient"}));
}

TEST(RepoConfig, ResilientProductionWrapsPostgresWithVariablesExpandedInside) {
  ScopedEnv host("DB_HOST", "db.internal");
  ScopedEnv user("DB_USER", "graph");
  ScopedEnv password("DB_PASSWORD", "s3cret");
  ScopedEnv name("DB_NAME", "kg");
  ScopedEnv data("GRAPHSTORE_DATA_DIR", std::nullopt);
  BackendConfig c;
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "production_resilient", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "degradation");
  EXPECT_NE(c.options_json.find(R"("primary":{"backend":"postgres","options":{"host":"db.internal")"), std::string::npos)
      << c.options_json;
  EXPECT_NE(c.options_json.find(R"("journal_path":"./data/degradation.journal")"), std::string::npos) << c.options_json;
}

TEST(RepoConfig, DevelopmentAndTestingNeedNoVariables) {
  ScopedEnv host("DB_HOST", std::nullopt);
  ScopedEnv password("DB_PASSWORD", std::nullopt);
  ScopedEnv staging("STAGING_DB_PASSWORD", std::nullopt);
  BackendConfig c;
  ScopedEnv data("GRAPHSTORE_DATA_DIR", std::nullopt);
  ScopedEnv index("GRAPHSTORE_VECTOR_INDEX", std::nullopt);
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "development", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "sqlite");
  EXPECT_EQ(c.options_json, R"({"path":"./data/graph.db","vector_index":"exact"})");
  EXPECT_TRUE(c.plugin_paths.empty());
  s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "testing", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "sqlite");
  EXPECT_EQ(c.options_json, R"({"path":":memory:"})");
}

TEST(RepoConfig, DevelopmentDataDirectoryComesFromTheEnvironment) {
  ScopedEnv data("GRAPHSTORE_DATA_DIR", "/var/lib/graphstore");
  ScopedEnv index("GRAPHSTORE_VECTOR_INDEX", "hnsw");
  BackendConfig c;
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "development", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.options_json, R"({"path":"/var/lib/graphstore/graph.db","vector_index":"hnsw"})");
}

TEST(RepoConfig, StagingUsesDefaultsForWhatIsUnset) {
  ScopedEnv host("STAGING_DB_HOST", "staging.db");
  ScopedEnv password("STAGING_DB_PASSWORD", "pw");
  ScopedEnv port("STAGING_DB_PORT", std::nullopt);
  ScopedEnv user("STAGING_DB_USER", std::nullopt);
  ScopedEnv name("STAGING_DB_NAME", std::nullopt);
  ScopedEnv vector("STAGING_ENABLE_PGVECTOR", std::nullopt);
  BackendConfig c;
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "staging", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "postgres");
  EXPECT_EQ(c.options_json,
            R"({"host":"staging.db","port":"5432","user":"graph_user","password":"pw","database":"knowledge_graph",)"
            R"("enable_pgvector":"false","min_pool_size":2,"max_pool_size":10})");
}

TEST(RepoConfig, ProductionSecretsAreTextWhateverTheyLookLike) {
  ScopedEnv host("DB_HOST", "prod.db");
  ScopedEnv port("DB_PORT", std::nullopt);
  ScopedEnv user("DB_USER", "true");
  ScopedEnv password("DB_PASSWORD", "123456");
  ScopedEnv name("DB_NAME", "~");
  ScopedEnv vector("ENABLE_PGVECTOR", std::nullopt);
  BackendConfig c;
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "production", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_NE(c.options_json.find(R"("user":"true","password":"123456","database":"~")"), std::string::npos)
      << c.options_json;
  EXPECT_EQ(c.option_variables["password"], std::vector<std::string>{"DB_PASSWORD"});
}

TEST(RepoConfig, ProductionTakesEverythingFromTheEnvironment) {
  ScopedEnv host("DB_HOST", "prod.db");
  ScopedEnv port("DB_PORT", "6432");
  ScopedEnv user("DB_USER", "graph");
  ScopedEnv password("DB_PASSWORD", "secret");
  ScopedEnv name("DB_NAME", "kg");
  ScopedEnv vector("ENABLE_PGVECTOR", "true");
  BackendConfig c;
  Status s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "production", &c);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(c.backend, "postgres");
  EXPECT_EQ(c.options_json, R"({"host":"prod.db","port":"6432","user":"graph","password":"secret","database":"kg",)"
                            R"("enable_pgvector":"true","min_pool_size":10,"max_pool_size":50})");
  EXPECT_EQ(c.option_lines.size(), 8u);

  ScopedEnv unset("DB_PASSWORD", std::nullopt);
  s = load_backend_config(GRAPHSTORE_REPO_CONFIG, "production", &c);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find(": key 'password': environment variable DB_PASSWORD is not set"), std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().rfind(std::string(GRAPHSTORE_REPO_CONFIG) + ":", 0), 0u) << s.message();
}

}  // namespace
}  // namespace graphstore
