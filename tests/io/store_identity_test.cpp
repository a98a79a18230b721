// store_identity: what a migration checkpoint records about a configured
// store. Paths are made absolute; a PostgreSQL password, as its own option or
// inside a connection string (URI or key=value), never appears.
#include <gtest/gtest.h>

#include <filesystem>

#include "graphstore/migrate.hpp"

namespace graphstore {
namespace {

StoreIdentity identity_of(const std::string& environment, const std::string& options_json) {
  BackendConfig config;
  config.environment = environment;
  config.options_json = options_json;
  return store_identity(config);
}

TEST(StoreIdentity, ASqlitePathIsMadeAbsolute) {
  StoreIdentity id = identity_of("development", R"({"path": "data/./graph.db", "cache_size": -2000})");
  EXPECT_EQ(id.environment, "development");
  EXPECT_EQ(id.location, "path=" + (std::filesystem::current_path() / "data/graph.db").string());
  EXPECT_EQ(identity_of("testing", R"({"path": ":memory:"})").location, "path=:memory:");
  EXPECT_EQ(identity_of("t", "{}").location, "");
}

TEST(StoreIdentity, PostgresOptionsWithoutThePassword) {
  StoreIdentity id = identity_of("production", R"({"host": "db.internal", "port": 5432, "user": "graph_user",)"
                                               R"( "password": "s3cret-opt", "database": "kg", "schema": "g1",)"
                                               R"( "min_pool_size": 10, "sslkey": "/etc/key.pem"})");
  EXPECT_EQ(id.location, "host=db.internal, port=5432, database=kg, user=graph_user, schema=g1");
}

TEST(StoreIdentity, ADsnLosesItsPasswordInEveryForm) {
  EXPECT_EQ(identity_of("p", R"({"dsn": "postgresql://app:s3cret-uri@db:5432/kg?sslmode=require"})").location,
            "dsn=postgresql://app@db:5432/kg?sslmode=require");
  EXPECT_EQ(identity_of("p", R"({"dsn": "postgres://app:s3cret@db/kg?password=s3cret-q&application_name=x"})").location,
            "dsn=postgres://app@db/kg?application_name=x");
  EXPECT_EQ(identity_of("p", R"({"dsn": "postgresql://db/kg?Pass%77ord=s3cret-enc"})").location,
            "dsn=postgresql://db/kg");
  EXPECT_EQ(identity_of("p", R"({"dsn": "host=db port=5432 password='s3cret \\' kv' dbname=kg user=app"})").location,
            "dsn=host=db port=5432 dbname=kg user=app");
  EXPECT_EQ(identity_of("p", R"({"dsn": "host = db password = s3cret-spaced dbname=kg"})").location,
            "dsn=host=db dbname=kg");
  EXPECT_EQ(identity_of("p", R"({"dsn": "host=db password='unterminated"})").location,
            "dsn=(unreadable, not recorded)");
}

TEST(StoreIdentity, ADecoratorNamesTheStoresItWraps) {
  StoreIdentity id = identity_of(
      "production_resilient",
      R"({"primary": {"backend": "postgres", "options": {"host": "db", "password": "s3cret", "database": "kg"}},)"
      R"( "fallback": {"backend": "inmemory"}, "journal_path": "/var/lib/gs/journal", "max_failures": 3})");
  EXPECT_EQ(id.location,
            "journal_path=/var/lib/gs/journal, primary=(postgres: host=db, database=kg), fallback=(inmemory)");
  EXPECT_EQ(id.location.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace graphstore
