// graphstore migrate's checkpoint as a user meets it: a checkpoint of other
// environments, or of a target emptied since, is refused saying what
// differs; a PostgreSQL password never reaches the file. And timestamps
// through the CLI: an explicit 1970-01-01T00:00:00 stays that time.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli_fixture.hpp"

namespace graphstore::test {
namespace {

class CliMigrate : public CliTest {
 protected:
  // Environments a, b, c, d: one SQLite file each in the test's directory.
  void write_sqlite_config() {
    std::ofstream out(config_);
    out << "environments:\n  test:\n    backend: inmemory\n    options: {}\n";
    for (const char* env : {"a", "b", "c", "d"})
      out << "  " << env << ":\n    backend: sqlite\n    options: {path: " << (dir_ / env).string() << ".db}\n";
  }

  // n entities "e0".."e(n-1)" and a relation between the first two, in env.
  void load(const std::string& env, int n) {
    std::ofstream lines(dir_ / "load.jsonl");
    for (int i = 0; i < n; ++i)
      lines << R"({"type":"entity","data":{"id":"e)" << i << R"(","entity_type":"T"}})"
            << "\n";
    lines << R"({"type":"relation","data":{"id":"r","relation_type":"K","source_id":"e0","target_id":"e1"}})"
          << "\n";
    lines.close();
    Result r = run({"--env", env, "import", "load.jsonl", "--no-progress"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  uint64_t entity_count(const std::string& env) {
    Result r = run({"--env", env, "--json", "stats"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("entity_count")) {
      ADD_FAILURE() << "stats --json: " << r.out;
      return 0;
    }
    return doc["entity_count"].GetUint64();
  }
};

#ifdef GRAPHSTORE_HAVE_SQLITE
TEST_F(CliMigrate, ACheckpointOfOtherEnvironmentsIsRefusedNotComplete) {
  write_sqlite_config();
  load("a", 5);
  load("c", 7);
  Result r = run({"--env", "a", "migrate", "--to-env", "b", "--checkpoint", "ck.json", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"--env", "c", "migrate", "--to-env", "d", "--checkpoint", "ck.json", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.find("already complete"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("ck.json: the checkpoint is of another migration: source environment 'a' in the "
                       "checkpoint, 'c' now; source location 'path=" +
                       (dir_ / "a.db").string() + "' in the checkpoint, 'path=" + (dir_ / "c.db").string() + "' now"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("target environment 'b' in the checkpoint, 'd' now"), std::string::npos) << r.err;
  EXPECT_EQ(entity_count("d"), 0u);
  // The same command with its own checkpoint copies everything.
  r = run({"--env", "c", "migrate", "--to-env", "d", "--checkpoint", "ck2.json", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(entity_count("d"), 7u);
}

// A checkpoint taken midway (rewritten here from the finished one: phase
// entities after e1, two entities copied) against a target emptied since:
// refused, nothing copied.
TEST_F(CliMigrate, AStaleCheckpointWithAnEmptiedTargetIsRefused) {
  write_sqlite_config();
  load("a", 6);
  Result r =
      run({"--env", "a", "migrate", "--to-env", "b", "--checkpoint", "ck.json", "--batch-size", "2", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document cp;
  cp.Parse(slurp(dir_ / "ck.json").c_str());
  ASSERT_FALSE(cp.HasParseError());
  EXPECT_EQ(cp["target_held"][""]["entities"].GetUint64(), 6u);
  EXPECT_EQ(cp["target_held"][""]["relations"].GetUint64(), 1u);

  fs::remove(dir_ / "b.db");  // emptied: the target is a new file
  r = run({"--env", "a", "migrate", "--to-env", "b", "--checkpoint", "ck.json", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.find("already complete"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("the target does not hold what it held at the checkpoint (tenant global: 0 entities, the "
                       "checkpoint recorded 6; tenant global: 0 relations, the checkpoint recorded 1)"),
            std::string::npos)
      << r.err;

  cp["phase"].SetString("entities");
  cp["after_id"].SetString("e1");
  cp["entities"].SetUint64(2);
  cp["relations"].SetUint64(0);
  cp["target_held"][""]["entities"].SetUint64(2);
  cp["target_held"][""]["relations"].SetUint64(0);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  cp.Accept(w);
  std::ofstream(dir_ / "ck.json") << buf.GetString();
  r = run({"--env", "a", "migrate", "--to-env", "b", "--checkpoint", "ck.json", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("tenant global: 0 entities, the checkpoint recorded 2"), std::string::npos) << r.err;
  EXPECT_EQ(entity_count("b"), 0u);
}

// An explicit epoch, and a time before 1970, stay what they are through
// put-entity, get, export and import.
TEST_F(CliMigrate, AnExplicitEpochIsStoredAsTheEpoch) {
  write_sqlite_config();
  Result r = run({"--env", "a", "put-entity",
                  R"({"id":"x","entity_type":"T","created_at":"1970-01-01T00:00:00",)"
                  R"("updated_at":"1969-07-20T20:17:40"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"--env", "a", "--json", "get", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(str(doc["created_at"]), "1970-01-01T00:00:00");
  EXPECT_EQ(str(doc["updated_at"]), "1969-07-20T20:17:40");
  r = run({"--env", "a", "export", "x.csv", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"--env", "b", "import", "x.entities.csv", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"--env", "b", "--json", "get", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  parse(r, &doc);
  EXPECT_EQ(str(doc["created_at"]), "1970-01-01T00:00:00");
  EXPECT_EQ(str(doc["updated_at"]), "1969-07-20T20:17:40");
}
#endif

TEST_F(CliMigrate, ARepeatedTypeIsReportedAsARecordKey) {
  std::ofstream(dir_ / "bad.jsonl") << R"({"type":"entity","type":"relation","data":{"id":"a","entity_type":"T"}})"
                                    << "\n";
  Result r = run({"import", "bad.jsonl", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.jsonl:1: record key 'type' appears twice"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("entity key"), std::string::npos) << r.err;
}

#if defined(GRAPHSTORE_HAVE_POSTGRES) && defined(GRAPHSTORE_HAVE_DEGRADATION)
// A target whose PostgreSQL primary is unreachable (port 1) opens degraded
// and takes the copy into its fallback and journal; its checkpoint names the
// primary by host, database and user, and holds neither password: the one
// in the DSN nor the password option.
TEST_F(CliMigrate, APostgresPasswordNeverReachesTheCheckpoint) {
  write_sqlite_config();
  std::ofstream(config_, std::ios::app)
      << "  pg:\n    backend: degradation\n    options:\n      primary:\n        backend: postgres\n"
         "        options:\n          dsn: postgresql://app:S3cretInDsn@127.0.0.1:1/kg?password=S3cretInQuery\n"
         "          password: S3cretOption\n          database: kg\n          min_pool_size: 1\n"
         "          connect_timeout: 2\n"
         "      journal_path: "
      << (dir_ / "journal").string() << "\n      health_interval: 3600\n";
  load("a", 3);
  Result r = run({"--env", "a", "migrate", "--to-env", "pg", "--checkpoint", "ck.json", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string cp = slurp(dir_ / "ck.json");
  EXPECT_NE(cp.find("postgresql://app@127.0.0.1:1/kg"), std::string::npos) << cp;
  for (const char* secret : {"S3cretInDsn", "S3cretInQuery", "S3cretOption"}) {
    EXPECT_EQ(cp.find(secret), std::string::npos) << cp;
    EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  }
}
#endif

}  // namespace
}  // namespace graphstore::test
