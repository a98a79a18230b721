// The default vector and text searches, with hand-computed scores.
#include <cmath>
#include <string>

#include "defaults_fixture.hpp"
#include "graphstore/scoring.hpp"

namespace gs_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class VectorTest : public DefaultsTest {
 protected:
  void SetUp() override {
    add_entity("v1", "doc", "{}", {1, 0});
    add_entity("v2", "doc", "{}", {0, 1});
    add_entity("v3", "img", "{}", {1, 1});
    add_entity("v4", "doc", "{}", {-1, 0});
    add_entity("v5", "img", "{}", {1, 0});
    add_entity("n1", "doc");
  }
};

TEST_F(VectorTest, ScoreDescendingThenIdAscending) {
  ScoredResult r = vector_search({1, 0}, 10);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.ids(), ElementsAre("v1", "v5", "v3", "v2", "v4"));  // n1 has no embedding
  EXPECT_DOUBLE_EQ(r.hits[0].second, 1.0);
  EXPECT_DOUBLE_EQ(r.hits[1].second, 1.0);
  EXPECT_DOUBLE_EQ(r.hits[2].second, 1.0 / std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(r.hits[3].second, 0.0);
  EXPECT_DOUBLE_EQ(r.hits[4].second, -1.0);
}

TEST_F(VectorTest, TopK) {
  EXPECT_THAT(vector_search({1, 0}, 3).ids(), ElementsAre("v1", "v5", "v3"));
  EXPECT_THAT(vector_search({1, 0}, 1).ids(), ElementsAre("v1"));
  EXPECT_THAT(vector_search({1, 0}, 0).ids(), IsEmpty());
}

TEST_F(VectorTest, MinScoreIsInclusive) {
  EXPECT_THAT(vector_search({1, 0}, 10, 0.0).ids(), ElementsAre("v1", "v5", "v3", "v2"));
  EXPECT_THAT(vector_search({1, 0}, 10, 0.5).ids(), ElementsAre("v1", "v5", "v3"));
  EXPECT_THAT(vector_search({1, 0}, 10, 1.0).ids(), ElementsAre("v1", "v5"));
}

TEST_F(VectorTest, TypeFilter) {
  EXPECT_THAT(vector_search({1, 0}, 10, -1.0, "img").ids(), ElementsAre("v5", "v3"));
  EXPECT_THAT(vector_search({1, 0}, 10, -1.0, "nothing").ids(), IsEmpty());
}

TEST_F(VectorTest, ZeroNormQueryScoresZero) {
  ScoredResult r = vector_search({0, 0}, 10);
  EXPECT_THAT(r.ids(), ElementsAre("v1", "v2", "v3", "v4", "v5"));
  for (const auto& h : r.hits) EXPECT_EQ(h.second, 0.0);
}

TEST_F(VectorTest, DimensionMismatchIsInvalid) {
  ScoredResult r = vector_search({1, 0, 0}, 10);
  EXPECT_EQ(r.status, GS_INVALID_ARGUMENT);
  EXPECT_NE(r.message.find("query has dimension 3, stored embeddings have 2"), std::string::npos) << r.message;
  EXPECT_TRUE(r.hits.empty());
  // Even when the type filter matches nothing: the tenant's dimension is 2.
  EXPECT_EQ(vector_search({1, 0, 0}, 10, -1.0, "nothing").status, GS_INVALID_ARGUMENT);
}

TEST_F(VectorTest, EmptyQueryIsInvalid) {
  ScoredResult r = vector_search({}, 10);
  EXPECT_EQ(r.status, GS_INVALID_ARGUMENT);
  EXPECT_FALSE(r.message.empty());
}

TEST_F(VectorTest, TenantWithoutEmbeddingsAnswersNothing) {
  tenant_ = "plain";
  add_entity("p", "doc");
  ScoredResult r = vector_search({1, 0, 0}, 10);
  EXPECT_EQ(r.status, GS_OK) << r.message;
  EXPECT_THAT(r.hits, IsEmpty());
}

// Many candidates and a small k: the search keeps only the best as it goes.
TEST_F(DefaultsTest, VectorTopKMatchesAFullSort) {
  std::vector<std::pair<std::string, double>> all;
  std::vector<float> query{0.3f, 0.9f};
  for (int i = 0; i < 200; ++i) {
    std::vector<float> v{float(std::cos(i * 0.37)), float(std::sin(i * 0.37))};
    std::string id = "e" + std::to_string(i);
    add_entity(id, "doc", "{}", v);
    all.emplace_back(id, graphstore::sdk::cosine_similarity(query.data(), v.data(), 2));
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  all.resize(7);
  ScoredResult r = vector_search(query, 7);
  EXPECT_EQ(r.hits, all);
}

// d1 "graph databases" / "graph storage" (4 tokens), d2 "Graph theory",
// d3 "cooking pasta", d4 "grape" (type fruit). Keys hold no token ("_", "-",
// "."), so the scores are the same whether or not keys count as text.
class TextTest : public DefaultsTest {
 protected:
  void SetUp() override {
    add_entity("d1", "doc", R"({"_":"graph databases","-":"graph storage",".":2020})");
    add_entity("d2", "doc", R"({"_":"Graph theory"})");
    add_entity("d3", "doc", R"({"_":"cooking pasta"})");
    add_entity("d4", "fruit", R"({"_":"grape"})");
  }
  static double bm25(double idf, double tf, double dl, double avgdl) {
    return idf * tf * 2.2 / (tf + 1.2 * (1.0 - 0.75 + 0.75 * dl / avgdl));
  }
};

TEST_F(TextTest, Bm25OverTheWholeTenant) {
  // N = 4, df(graph) = 2, idf = ln 2, avgdl = 9 / 4.
  ScoredResult r = text_search("graph", GS_TEXT_BM25);
  ASSERT_EQ(r.status, GS_OK) << r.message;
  ASSERT_THAT(r.ids(), ElementsAre("d1", "d2"));
  EXPECT_NEAR(r.hits[0].second, bm25(std::log(2.0), 2, 4, 9.0 / 4), 1e-12);
  EXPECT_NEAR(r.hits[1].second, bm25(std::log(2.0), 1, 2, 9.0 / 4), 1e-12);
  EXPECT_NEAR(r.hits[0].second, 0.7820122, 1e-6);
  EXPECT_NEAR(r.hits[1].second, 0.7261542, 1e-6);
}

TEST_F(TextTest, Bm25CorpusIsTheTypeFilteredCandidates) {
  // N = 3, df = 2, idf = ln 1.6, avgdl = 8 / 3.
  ScoredResult r = text_search("graph", GS_TEXT_BM25, 10, 0.0, "doc");
  ASSERT_THAT(r.ids(), ElementsAre("d1", "d2"));
  EXPECT_NEAR(r.hits[0].second, 0.5665797, 1e-6);
  EXPECT_NEAR(r.hits[1].second, 0.5235483, 1e-6);
}

TEST_F(TextTest, JaccardOfTokenSets) {
  ScoredResult r = text_search("graph", GS_TEXT_JACCARD);
  ASSERT_THAT(r.ids(), ElementsAre("d2", "d1"));
  EXPECT_DOUBLE_EQ(r.hits[0].second, 1.0 / 2);
  EXPECT_DOUBLE_EQ(r.hits[1].second, 1.0 / 3);
  ScoredResult two = text_search("Graph, storage!", GS_TEXT_JACCARD);
  ASSERT_THAT(two.ids(), ElementsAre("d1", "d2"));
  EXPECT_DOUBLE_EQ(two.hits[0].second, 2.0 / 3);
  EXPECT_DOUBLE_EQ(two.hits[1].second, 1.0 / 3);
}

TEST_F(TextTest, CosineOfTermFrequencies) {
  ScoredResult r = text_search("graph", GS_TEXT_COSINE);
  ASSERT_THAT(r.ids(), ElementsAre("d1", "d2"));
  EXPECT_NEAR(r.hits[0].second, 2.0 / std::sqrt(6.0), 1e-12);
  EXPECT_NEAR(r.hits[1].second, 1.0 / std::sqrt(2.0), 1e-12);
}

TEST_F(TextTest, LevenshteinBestValue) {
  ScoredResult r = text_search("graph", GS_TEXT_LEVENSHTEIN);
  ASSERT_THAT(r.ids(), ElementsAre("d4", "d2", "d1", "d3"));
  EXPECT_DOUBLE_EQ(r.hits[0].second, 1.0 - 1.0 / 5);    // grape
  EXPECT_DOUBLE_EQ(r.hits[1].second, 1.0 - 7.0 / 12);   // graph theory
  EXPECT_DOUBLE_EQ(r.hits[2].second, 1.0 - 8.0 / 13);   // graph storage beats graph databases
  EXPECT_DOUBLE_EQ(r.hits[3].second, 1.0 - 11.0 / 13);  // cooking pasta
  EXPECT_THAT(text_search("GRAPE", GS_TEXT_LEVENSHTEIN, 1).hits,
              ElementsAre(std::pair<std::string, double>("d4", 1.0)));
}

TEST_F(TextTest, MinScoreKAndTypeFilter) {
  EXPECT_THAT(text_search("graph", GS_TEXT_LEVENSHTEIN, 10, 0.4).ids(), ElementsAre("d4", "d2"));
  EXPECT_THAT(text_search("graph", GS_TEXT_LEVENSHTEIN, 2).ids(), ElementsAre("d4", "d2"));
  EXPECT_THAT(text_search("graph", GS_TEXT_LEVENSHTEIN, 10, 0.0, "doc").ids(), ElementsAre("d2", "d1", "d3"));
  EXPECT_THAT(text_search("graph", GS_TEXT_JACCARD, 0).ids(), IsEmpty());
}

TEST_F(TextTest, NoMatchNoHits) {
  EXPECT_THAT(text_search("zebra", GS_TEXT_BM25).ids(), IsEmpty());
  EXPECT_THAT(text_search("", GS_TEXT_JACCARD).ids(), IsEmpty());
}

TEST_F(TextTest, UnknownMethodIsInvalid) {
  for (int32_t method : {0, 5, -1}) {
    ScoredResult r = text_search("graph", method);
    EXPECT_EQ(r.status, GS_INVALID_ARGUMENT) << method;
    EXPECT_NE(r.message.find("method"), std::string::npos) << r.message;
  }
}

TEST_F(TextTest, PropagatesABackendFailure) {
  store_.read_failure = GS_UNAVAILABLE;
  EXPECT_EQ(text_search("graph", GS_TEXT_BM25).status, GS_UNAVAILABLE);
  EXPECT_EQ(vector_search({1, 0}, 3).status, GS_UNAVAILABLE);
}

TEST_F(DefaultsTest, TextTiesGoToTheSmallerId) {
  add_entity("e1", "doc", R"({"_":"pasta cooking"})");
  add_entity("e0", "doc", R"({"_":"cooking pasta"})");
  ScoredResult r = text_search("pasta cooking", GS_TEXT_JACCARD);
  EXPECT_THAT(r.ids(), ElementsAre("e0", "e1"));
  EXPECT_DOUBLE_EQ(r.hits[0].second, 1.0);
}

TEST_F(DefaultsTest, TextReadsNestedStringValuesOnly) {
  add_entity("k1", "doc", R"({"_": 1, "-": ["x", {".": "graph"}]})");
  add_entity("k2", "doc", R"({"_": 7, "-": true})");
  ScoredResult r = text_search("graph", GS_TEXT_JACCARD);
  ASSERT_THAT(r.ids(), ElementsAre("k1"));
  EXPECT_DOUBLE_EQ(r.hits[0].second, 0.5);
}

}  // namespace
}  // namespace gs_test
