// The config as the CLI reads it: values from ${VAR} keep the variable's
// text whatever it looks like, numeric options convert it or name the
// variable, and out-of-range numbers say so with the file and line.
#include <fstream>

#include "cli_fixture.hpp"

namespace graphstore::test {
namespace {

RunOptions with_env(std::vector<std::string> env) {
  RunOptions options;
  options.env = std::move(env);
  return options;
}

class CliConfig : public CliTest {
 protected:
  void write_test_section(const std::string& section) {
    std::ofstream(config_) << "environments:\n  test:\n" << section;
  }
};

#ifdef GRAPHSTORE_HAVE_SQLITE
TEST_F(CliConfig, AVariableThatLooksLikeANumberIsStillText) {
  // path: ${GS_DB} with GS_DB=123456 is the file "123456", not a number.
  write_test_section("    backend: sqlite\n    options:\n      path: ${GS_DB}\n      cache_size: ${GS_CACHE}\n");
  Result r = run({"stats"}, true, with_env({"GS_DB=123456", "GS_CACHE=-2000"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir_ / "123456"));
}

TEST_F(CliConfig, ANumericOptionThatCannotConvertNamesTheVariableAndLine) {
  write_test_section("    backend: sqlite\n    options:\n      path: g.db\n      cache_size: ${GS_CACHE}\n");
  Result r = run({"stats"}, true, with_env({"GS_CACHE=lots"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("graphstore.yaml:6: option 'cache_size': expected a whole number, got a string 'lots' "
                       "(the value comes from $GS_CACHE)"),
            std::string::npos)
      << r.err;
}

TEST_F(CliConfig, AnEmptyVariableIsTheEmptyStringAndAnUnsetOneIsNamed) {
  write_test_section("    backend: sqlite\n    options:\n      path: ${GS_DB}\n");
  Result r = run({"stats"}, true, with_env({"GS_DB="}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("graphstore.yaml:5: option 'path': must not be empty"), std::string::npos) << r.err;
  r = run({"stats"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("graphstore.yaml:5: key 'path': environment variable GS_DB is not set"), std::string::npos)
      << r.err;
}
#endif

#ifdef GRAPHSTORE_HAVE_POSTGRES
TEST_F(CliConfig, AnOutOfRangePortSaysSoWithItsOptionAndLine) {
  for (const char* port : {"99999999999999999999", "65536", "0", "\"99999999\"", "-1"}) {
    write_test_section(std::string("    backend: postgres\n    options:\n      host: 127.0.0.1\n      port: ") + port +
                       "\n");
    Result r = run({"stats"});
    EXPECT_EQ(r.exit_code, 1) << port;
    EXPECT_NE(r.err.find("graphstore.yaml:6: option 'port': "), std::string::npos) << port << ": " << r.err;
    EXPECT_NE(r.err.find("is out of range: expected a port number in [1, 65535]"), std::string::npos)
        << port << ": " << r.err;
  }
}

TEST_F(CliConfig, APasswordFromAVariableIsTextWhateverItLooksLike) {
  // No server listens on port 1: the store cannot open, but the options are
  // read first, and none of these values is refused as a wrong type.
  write_test_section(
      "    backend: postgres\n    options:\n      host: 127.0.0.1\n      port: ${GS_PORT}\n"
      "      user: ${GS_USER}\n      password: ${GS_PASSWORD}\n      database: ${GS_NAME}\n"
      "      min_pool_size: 0\n      connect_timeout: ${GS_TIMEOUT}\n");
  for (const char* value : {"123456", "true", "1e5", "0x1F", "null", "~"}) {
    Result r = run({"stats"}, true,
                   with_env({"GS_PORT=1", std::string("GS_USER=") + value, std::string("GS_PASSWORD=") + value,
                             std::string("GS_NAME=") + value, "GS_TIMEOUT=2"}));
    EXPECT_EQ(r.exit_code, 1) << value;
    EXPECT_EQ(r.err.find("expected a string"), std::string::npos) << value << ": " << r.err;
    EXPECT_EQ(r.err.find("option '"), std::string::npos) << value << ": " << r.err;
  }
}
#endif

}  // namespace
}  // namespace graphstore::test
