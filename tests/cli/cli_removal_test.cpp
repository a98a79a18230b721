// clear and delete-source through the CLI, on a SQLite file so that what one
// run removes is what the next run reads.
#include <gtest/gtest.h>

#include "cli_fixture.hpp"

namespace graphstore::test {
namespace {

#if GRAPHSTORE_HAVE_SQLITE

class CliRemoval : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    std::ofstream(config_) << "environments:\n  test:\n    backend: sqlite\n    options: {path: "
                           << (dir_ / "g.db").string() << "}\n";
    for (const char* tenant : {"", "acme"}) {
      std::vector<std::string> t;
      if (*tenant) t = {"--tenant", tenant};
      auto put = [&](std::vector<std::string> args) {
        args.insert(args.begin(), t.begin(), t.end());
        Result r = run(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
      };
      put({"put-entity", R"({"id": "a", "entity_type": "Doc", "source": "doc-1"})"});
      put({"put-entity", R"({"id": "b", "entity_type": "Doc", "source": "doc-2"})"});
      put({"put-entity", R"({"id": "c", "entity_type": "Doc"})"});
      put({"put-relation", R"({"id": "ab", "relation_type": "CITES", "source_id": "a", "target_id": "b"})"});
      put({"put-relation", R"({"id": "bc", "relation_type": "CITES", "source_id": "b", "target_id": "c"})"});
    }
  }

  // Entities and relations of a tenant, from `stats --json`.
  std::pair<uint64_t, uint64_t> counts(const std::string& tenant) {
    std::vector<std::string> args = {"--json", "stats"};
    if (!tenant.empty()) args.insert(args.begin(), {"--tenant", tenant});
    Result r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    parse(r, &doc);
    if (!doc.IsObject() || !doc.HasMember("entity_count") || !doc.HasMember("relation_count")) {
      ADD_FAILURE() << "stats --json: " << r.out;
      return {0, 0};
    }
    return {doc["entity_count"].GetUint64(), doc["relation_count"].GetUint64()};
  }
};

TEST_F(CliRemoval, ClearWithoutYesRefusesWhenStdinIsNotATerminal) {
  Result r = run({"--tenant", "acme", "clear"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("stdin is not a terminal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  EXPECT_EQ(counts("acme"), std::make_pair(uint64_t(3), uint64_t(2)));
  r = run({"--json", "clear", "--all-tenants"});
  EXPECT_EQ(r.exit_code, 1);
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("ok")) << r.out;
  EXPECT_FALSE(doc["ok"].GetBool());
  EXPECT_EQ(counts(""), std::make_pair(uint64_t(3), uint64_t(2)));
}

TEST_F(CliRemoval, ClearOneTenantReportsWhatItRemoved) {
  Result r = run({"--tenant", "acme", "clear", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("removed 3 entities and 2 relations from tenant acme"), std::string::npos) << r.out;
  EXPECT_EQ(counts("acme"), std::make_pair(uint64_t(0), uint64_t(0)));
  EXPECT_EQ(counts(""), std::make_pair(uint64_t(3), uint64_t(2)));
}

TEST_F(CliRemoval, ClearAllTenantsAsJson) {
  Result r = run({"--json", "clear", "--all-tenants", "-y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsObject()) << r.out;
  EXPECT_EQ(doc["removed_entities"].GetUint64(), 6u);
  EXPECT_EQ(doc["removed_relations"].GetUint64(), 4u);
  EXPECT_EQ(counts(""), std::make_pair(uint64_t(0), uint64_t(0)));
  EXPECT_EQ(counts("acme"), std::make_pair(uint64_t(0), uint64_t(0)));
}

TEST_F(CliRemoval, ClearAllTenantsRefusesATenant) {
  Result r = run({"--tenant", "acme", "clear", "--all-tenants", "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--all-tenants"), std::string::npos) << r.err;
  EXPECT_EQ(counts("acme"), std::make_pair(uint64_t(3), uint64_t(2)));
}

TEST_F(CliRemoval, DeleteSourceReportsTheCounts) {
  Result r = run({"--tenant", "acme", "delete-source", "doc-2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("removed 1 entities and 2 relations of source doc-2 from tenant acme"), std::string::npos)
      << r.out;
  EXPECT_EQ(counts("acme"), std::make_pair(uint64_t(2), uint64_t(0)));
  EXPECT_EQ(counts(""), std::make_pair(uint64_t(3), uint64_t(2)));
  r = run({"--json", "--tenant", "acme", "delete-source", "doc-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsObject()) << r.out;
  EXPECT_EQ(doc["removed_entities"].GetUint64(), 1u);
  EXPECT_EQ(doc["removed_relations"].GetUint64(), 0u);
}

TEST_F(CliRemoval, DeleteSourceRefusesAnEmptySource) {
  Result r = run({"delete-source", ""});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("source must not be empty"), std::string::npos) << r.err;
  EXPECT_EQ(counts(""), std::make_pair(uint64_t(3), uint64_t(2)));
}

#endif  // GRAPHSTORE_HAVE_SQLITE

}  // namespace
}  // namespace graphstore::test
