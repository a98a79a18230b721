// The CLI's bounds on query work: a text query past its length limit, and a
// paths answer past its memory budget, end as clear errors (or, for paths
// with --truncate, as the paths that fit), never as a crash.
#include <fstream>
#include <string>

#include "cli_fixture.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::test {
namespace {

class CliBoundsTest : public CliTest {
 protected:
  // A sqlite store (so that data outlives one run) holding a ladder: n0 ->
  // n1 -> ... -> n10 with two relations per rung, so 2^10 = 1024 paths of
  // 10 relations lead from n0 to n10, each a few KiB once copied.
  void load_ladder() {
    std::ofstream(config_) << "environments:\n  test:\n    backend: sqlite\n    options: {path: "
                           << (dir_ / "g.db").string() << "}\n";
    std::ofstream g(dir_ / "ladder.jsonl");
    for (int i = 0; i <= 10; ++i)
      g << R"({"type": "entity", "data": {"id": "n)" << i
        << R"(", "entity_type": "Step", "properties": {"note": "a rung of the ladder"}}})"
        << "\n";
    for (int i = 0; i < 10; ++i)
      for (const char* side : {"a", "b"})
        g << R"({"type": "relation", "data": {"id": "r)" << i << side
          << R"(", "relation_type": "NEXT", "source_id": "n)" << i << R"(", "target_id": "n)" << i + 1 << R"("}})"
          << "\n";
    g.close();
    Result r = run({"import", "ladder.jsonl"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(CliBoundsTest, SearchTextRefusesAQueryPastTheLimit) {
  std::string query(sdk::kMaxTextQueryBytes + 1, 'q');
  Result r = run({"search-text", query, "--method", "levenshtein"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find(std::to_string(sdk::kMaxTextQueryBytes) + " bytes"), std::string::npos) << r.err;
  r = run({"search-text", std::string(sdk::kMaxTextQueryBytes, 'q')});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

#if GRAPHSTORE_HAVE_SQLITE
TEST_F(CliBoundsTest, PathsWithinTheBudgetAreAllPrinted) {
  load_ladder();
  Result r = run({"--json", "paths", "n0", "n10", "--max-depth", "10", "--max-paths", "100000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["paths"].Size(), 1024u);
  EXPECT_FALSE(doc["truncated"].GetBool());
}

TEST_F(CliBoundsTest, PathsPastTheMemoryBudgetFailWithAClearError) {
  load_ladder();
  Result r = run({"paths", "n0", "n10", "--max-depth", "10", "--max-paths", "100000000", "--max-result-mb", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("memory budget of 1048576 bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--truncate"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
}

TEST_F(CliBoundsTest, PathsPastTheMemoryBudgetWithTruncateKeepTheFirstPaths) {
  load_ladder();
  Result all = run({"--json", "paths", "n0", "n10", "--max-depth", "10", "--max-paths", "2000"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  Result r = run({"--json", "paths", "n0", "n10", "--max-depth", "10", "--max-paths", "100000000", "--max-result-mb",
                  "1", "--truncate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc, full;
  parse(r, &doc);
  parse(all, &full);
  EXPECT_TRUE(doc["truncated"].GetBool());
  ASSERT_GT(doc["paths"].Size(), 0u);
  ASSERT_LT(doc["paths"].Size(), 1024u);
  // The paths kept are the first ones of the whole answer, in its order.
  for (rapidjson::SizeType i = 0; i < doc["paths"].Size(); ++i)
    EXPECT_TRUE(doc["paths"][i] == full["paths"][i]) << "path " << i;
}
#endif

}  // namespace
}  // namespace graphstore::test
