// Scans, vector search, text search and statistics.
#include <gtest/gtest.h>

#include <algorithm>

#include "graphstore/scoring.hpp"
#include "test_util.hpp"

namespace gs_test {
namespace {

class InMemoryScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Inserted out of order; bytewise order puts upper case before lower case
    // and UTF-8 after ASCII.
    for (const char* id : {"b", "a10", "a2", "B", "\xc3\xa9t\xc3\xa9", "a1", "c"})
      ASSERT_TRUE(c.add(entity(id, std::string(id) == "a2" || std::string(id) == "c" ? "even" : "odd")).ok());
    ASSERT_TRUE(c.add(relation("r2", "a1", "b", "x")).ok());
    ASSERT_TRUE(c.add(relation("r10", "b", "c", "y")).ok());
    ASSERT_TRUE(c.add(relation("R", "c", "a1", "x")).ok());
  }
  Client c;
  std::vector<std::string> ids;
};

TEST_F(InMemoryScanTest, OrdersBytewiseAndFilters) {
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"B", "a1", "a10", "a2", "b", "c", "\xc3\xa9t\xc3\xa9"}));
  ASSERT_TRUE(c.scan_entities("even", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a2", "c"}));
  ASSERT_TRUE(c.scan_entities("unknown", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_TRUE(ids.empty());
  ASSERT_TRUE(c.scan_relations("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"R", "r10", "r2"}));
  ASSERT_TRUE(c.scan_relations("x", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"R", "r2"}));
}

TEST_F(InMemoryScanTest, KeysetOffsetAndLimit) {
  ASSERT_TRUE(c.scan_entities("", "a10", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a2", "b", "c", "\xc3\xa9t\xc3\xa9"}));
  ASSERT_TRUE(c.scan_entities("", "a15", 0, GS_NO_LIMIT, &ids).ok());  // need not exist
  EXPECT_EQ(ids.front(), "a2");
  ASSERT_TRUE(c.scan_entities("", "a10", 1, 2, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"b", "c"}));
  ASSERT_TRUE(c.scan_entities("", "", 7, GS_NO_LIMIT, &ids).ok());
  EXPECT_TRUE(ids.empty());
  ASSERT_TRUE(c.scan_entities("", "", 0, 0, &ids).ok());
  EXPECT_TRUE(ids.empty());
  ASSERT_TRUE(c.scan_entities("odd", "a1", 1, 1, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"b"}));
  ASSERT_TRUE(c.scan_relations("", "R", 0, 1, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"r10"}));
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids, "elsewhere").ok());
  EXPECT_TRUE(ids.empty());
}

TEST_F(InMemoryScanTest, SeesEveryWrite) {
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok());  // builds the cached order
  ASSERT_TRUE(c.add(entity("a0", "even")).ok());
  ASSERT_TRUE(c.delete_entity("b").ok());  // takes r2 and r10 along
  ASSERT_TRUE(c.update(entity("c", "odd")).ok());
  ASSERT_TRUE(c.scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"B", "a0", "a1", "a10", "a2", "c", "\xc3\xa9t\xc3\xa9"}));
  ASSERT_TRUE(c.scan_entities("even", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a0", "a2"}));
  ASSERT_TRUE(c.scan_relations("", "", 0, GS_NO_LIMIT, &ids).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"R"}));
}

TEST(InMemoryScan, PagesThroughALargeSetExactlyOnce) {
  Client c;
  std::vector<Entity> items;
  for (int i = 0; i < 5000; ++i) items.push_back(entity(cat("id-", i * 7 % 5000), i % 3 ? "a" : "b"));
  std::vector<Skip> skips;
  uint64_t added = 0;
  ASSERT_TRUE(c.add_entities_bulk(items, &skips, &added).ok());
  ASSERT_EQ(added, 5000u);
  std::vector<std::string> all, page;
  std::string after;
  do {
    ASSERT_TRUE(c.scan_entities("", after, 0, 333, &page).ok());
    all.insert(all.end(), page.begin(), page.end());
    if (!page.empty()) after = page.back();
  } while (!page.empty());
  ASSERT_EQ(all.size(), 5000u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

// ---- vector search ----------------------------------------------------------

TEST(InMemoryVector, RanksByCosineThenIdWithFilters) {
  Client c;
  ASSERT_TRUE(c.add(embedded("x-same", {1, 0}, "doc")).ok());
  ASSERT_TRUE(c.add(embedded("a-same", {2, 0}, "doc")).ok());  // same cosine as x-same: id breaks the tie
  ASSERT_TRUE(c.add(embedded("diag", {1, 1}, "doc")).ok());
  ASSERT_TRUE(c.add(embedded("opposite", {-1, 0}, "doc")).ok());
  ASSERT_TRUE(c.add(embedded("zero", {0, 0}, "doc")).ok());
  ASSERT_TRUE(c.add(embedded("other-type", {1, 0}, "img")).ok());
  ASSERT_TRUE(c.add(entity("no-embedding", "doc")).ok());
  Scored hits;
  ASSERT_TRUE(c.vector_search({3, 0}, 10, "", -1.0, &hits).ok());
  ASSERT_EQ(hits.size(), 6u);
  EXPECT_EQ(hits[0].first, "a-same");
  EXPECT_EQ(hits[1].first, "other-type");
  EXPECT_EQ(hits[2].first, "x-same");
  EXPECT_EQ(hits[3].first, "diag");
  EXPECT_EQ(hits[4].first, "zero");
  EXPECT_EQ(hits[4].second, 0.0);
  EXPECT_EQ(hits[5].first, "opposite");
  EXPECT_DOUBLE_EQ(hits[0].second, 1.0);
  float q[] = {3, 0}, d[] = {1, 1};
  EXPECT_EQ(hits[3].second, graphstore::sdk::cosine_similarity(q, d, 2));

  ASSERT_TRUE(c.vector_search({3, 0}, 2, "doc", -1.0, &hits).ok());
  EXPECT_EQ(hits, (Scored{{"a-same", 1.0}, {"x-same", 1.0}}));
  ASSERT_TRUE(c.vector_search({3, 0}, 10, "doc", 0.5, &hits).ok());
  EXPECT_EQ(hits.size(), 3u);
  ASSERT_TRUE(c.vector_search({3, 0}, 0, "", -1.0, &hits).ok());
  EXPECT_TRUE(hits.empty());
  ASSERT_TRUE(c.vector_search({3, 0}, 10, "nothing-of-this-type", -1.0, &hits).ok());
  EXPECT_TRUE(hits.empty());
}

TEST(InMemoryVector, DimensionRules) {
  Client c;
  Scored hits;
  EXPECT_EQ(c.vector_search({}, 5, "", -1, &hits).status, GS_INVALID_ARGUMENT);
  EXPECT_TRUE(c.vector_search({1, 2, 3}, 5, "", -1, &hits).ok());  // nothing stored yet: no hits
  EXPECT_TRUE(hits.empty());
  ASSERT_TRUE(c.add(entity("plain")).ok());
  EXPECT_TRUE(c.vector_search({1, 2, 3}, 5, "", -1, &hits).ok());
  ASSERT_TRUE(c.add(embedded("v", {1, 0})).ok());
  Result r = c.vector_search({1, 2, 3}, 5, "", -1, &hits);
  EXPECT_EQ(r.status, GS_INVALID_ARGUMENT);
  EXPECT_NE(r.message.find("dimension"), std::string::npos);
  EXPECT_EQ(c.vector_search({}, 5, "", -1, &hits).status, GS_INVALID_ARGUMENT);
  EXPECT_TRUE(c.vector_search({1, 0}, 5, "", -1, &hits).ok());
  EXPECT_EQ(hits.size(), 1u);
  EXPECT_TRUE(c.vector_search({1, 0, 0}, 5, "", -1, &hits, "other").ok());
}

// ---- text search ------------------------------------------------------------

TEST(InMemoryText, EqualsRankTextOverTheCandidates) {
  Client c;
  std::vector<Entity> docs = {
      entity("d1", "doc", R"({"title":"Graph databases","body":"a graph of graphs"})"),
      entity("d2", "doc", R"({"title":"Vector search","tags":["graph","ann"]})"),
      entity("d3", "note", R"({"text":"graph"})"),
      entity("d4", "doc", R"({"n":1,"nested":{"s":"Databases for GRAPH data"}})"),
      entity("d5", "doc", R"({})"),
  };
  for (const auto& d : docs) ASSERT_TRUE(c.add(d).ok());
  for (int32_t method = GS_TEXT_BM25; method <= GS_TEXT_LEVENSHTEIN; ++method) {
    for (const std::string type : {"", "doc"}) {
      std::vector<graphstore::sdk::TextDoc> candidates;
      for (const auto& d : docs)
        if (type.empty() || d.type == type) candidates.push_back({d.id, d.properties});
      std::vector<std::pair<size_t, double>> want;
      ASSERT_TRUE(graphstore::sdk::rank_text("graph databases", method, candidates, 3, 0.0, &want));
      Scored got;
      ASSERT_TRUE(c.text_search("graph databases", method, 3, type, 0.0, &got).ok());
      ASSERT_EQ(got.size(), want.size()) << method;
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got[i].first, candidates[want[i].first].id) << method;
        EXPECT_EQ(got[i].second, want[i].second) << method;
      }
      EXPECT_FALSE(got.empty());
    }
  }
}

TEST(InMemoryText, StatusCodesAndEmptyCases) {
  Client c;
  Scored got;
  EXPECT_EQ(c.text_search("x", 0, 3, "", 0, &got).status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(c.text_search("x", 5, 3, "", 0, &got).status, GS_INVALID_ARGUMENT);
  EXPECT_TRUE(c.text_search("x", GS_TEXT_BM25, 3, "", 0, &got).ok());
  EXPECT_TRUE(got.empty());
  ASSERT_TRUE(c.add(entity("a", "t", R"({"s":"hello"})")).ok());
  EXPECT_TRUE(c.text_search("hello", GS_TEXT_JACCARD, 3, "", 2.0, &got).ok());
  EXPECT_TRUE(got.empty());  // min_score
  EXPECT_TRUE(c.text_search("hello", GS_TEXT_JACCARD, 0, "", 0, &got).ok());
  EXPECT_TRUE(got.empty());  // k
  EXPECT_TRUE(c.text_search("hello", GS_TEXT_JACCARD, 3, "", 0, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, "a");
  EXPECT_EQ(got[0].second,
            graphstore::sdk::jaccard_score({"hello"}, graphstore::sdk::document_tokens(R"({"s":"hello"})")));
}

// ---- stats ------------------------------------------------------------------

TEST(InMemoryStats, OneRowPerKindAndLiveType) {
  Client c;
  ASSERT_TRUE(c.add(entity("a", "person")).ok());
  ASSERT_TRUE(c.add(entity("b", "person")).ok());
  ASSERT_TRUE(c.add(entity("c", "place")).ok());
  ASSERT_TRUE(c.add(entity("d", "gone")).ok());
  ASSERT_TRUE(c.add(relation("r1", "a", "b", "knows")).ok());
  ASSERT_TRUE(c.add(relation("r2", "b", "a", "knows")).ok());
  ASSERT_TRUE(c.add(relation("r3", "a", "c", "person")).ok());  // a type name shared by both kinds
  ASSERT_TRUE(c.delete_entity("d").ok());
  StatsMap stats;
  ASSERT_TRUE(c.stats(&stats).ok());
  EXPECT_EQ(stats, (StatsMap{{{GS_KIND_ENTITY, "person"}, 2},
                             {{GS_KIND_ENTITY, "place"}, 1},
                             {{GS_KIND_RELATION, "knows"}, 2},
                             {{GS_KIND_RELATION, "person"}, 1}}));
  ASSERT_TRUE(c.stats(&stats, "elsewhere").ok());
  EXPECT_TRUE(stats.empty());
}

}  // namespace
}  // namespace gs_test
