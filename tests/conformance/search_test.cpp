// Scans, vector search and text search on small inputs with answers derived
// from the contract: bytewise id order, cosine via sdk::cosine_similarity,
// text scores via sdk::rank_text. Native slots and defaults alike.
#include <algorithm>

#include "conformance.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Search);

using Strings = std::vector<std::string>;

void build_scan_data(Store& s) {
  // Bytewise order: "B" < "a" < "ab" < "b10" < "b9" < "\xC3\xA9" (é).
  for (auto [id, type] : {std::pair{"b9", "Person"},
                          {"B", "Org"},
                          {"\xC3\xA9", "Person"},
                          {"a", "Person"},
                          {"b10", "Org"},
                          {"ab", "Person"}})
    ASSERT_TRUE(IsOk(s.add_entity("", make_entity(id, type))));
  for (auto [id, from, to, type] : {std::tuple{"r9", "\xC3\xA9", "\xC3\xA9", "T2"},
                                    {"R2", "a", "ab", "T1"},
                                    {"r10", "b9", "a", "T1"},
                                    {"r1", "a", "b9", "T2"}})
    ASSERT_TRUE(IsOk(s.add_relation("", make_relation(id, from, to, type))));
}

ScanOptions scan(std::string type, std::string after, uint64_t offset = 0, uint64_t limit = kNoLimit) {
  ScanOptions o;
  o.type = std::move(type);
  o.after_id = std::move(after);
  o.offset = offset;
  o.limit = limit;
  return o;
}

Strings entity_scan(Store& s, const ScanOptions& o) {
  Status st;
  auto out = ids_of(scan_entities(s, "", o, &st));
  EXPECT_TRUE(IsOk(st));
  return out;
}

Strings relation_scan(Store& s, const ScanOptions& o) {
  Status st;
  auto out = ids_of(scan_relations(s, "", o, &st));
  EXPECT_TRUE(IsOk(st));
  return out;
}

TEST_P(Search, EntityScanOrderFilterCursorOffsetLimit) {
  build_scan_data(store());
  for_each_mode([&] {
    EXPECT_EQ(entity_scan(store(), {}), (Strings{"B", "a", "ab", "b10", "b9", "\xC3\xA9"}));
    EXPECT_EQ(entity_scan(store(), scan("Person", "")), (Strings{"a", "ab", "b9", "\xC3\xA9"}));
    EXPECT_EQ(entity_scan(store(), scan("", "a")), (Strings{"ab", "b10", "b9", "\xC3\xA9"}));
    EXPECT_EQ(entity_scan(store(), scan("", "aa")), (Strings{"ab", "b10", "b9", "\xC3\xA9"})) << "absent cursor";
    EXPECT_TRUE(entity_scan(store(), scan("", "\xC3\xA9")).empty());
    EXPECT_EQ(entity_scan(store(), scan("", "", 2, 2)), (Strings{"ab", "b10"}));
    EXPECT_EQ(entity_scan(store(), scan("Person", "ab", 1, 1)), (Strings{"\xC3\xA9"}));
    EXPECT_TRUE(entity_scan(store(), scan("", "", 0, 0)).empty());
    EXPECT_TRUE(entity_scan(store(), scan("", "", 100)).empty());
    EXPECT_TRUE(entity_scan(store(), scan("Nope", "")).empty());
  });
}

TEST_P(Search, RelationScanOrderFilterCursorOffsetLimit) {
  build_scan_data(store());
  for_each_mode([&] {
    EXPECT_EQ(relation_scan(store(), {}), (Strings{"R2", "r1", "r10", "r9"}));
    EXPECT_EQ(relation_scan(store(), scan("T1", "")), (Strings{"R2", "r10"}));
    EXPECT_EQ(relation_scan(store(), scan("", "r1")), (Strings{"r10", "r9"}));
    EXPECT_EQ(relation_scan(store(), scan("", "", 1, 2)), (Strings{"r1", "r10"}));
    EXPECT_EQ(relation_scan(store(), scan("T2", "R2", 1)), (Strings{"r9"}));
  });
}

TEST_P(Search, ScanStopsWhenTheCallbackSaysSo) {
  build_scan_data(store());
  for_each_mode([&] {
    Strings seen;
    GS_EXPECT_OK(store().scan_entities("", {}, [&](const Entity& e) {
      seen.push_back(e.id);
      return seen.size() < 2;
    }));
    EXPECT_EQ(seen, (Strings{"B", "a"}));
  });
}

TEST_P(Search, ScanPagingWithTheLastIdVisitsEverythingOnce) {
  for (int i = 0; i < 37; ++i) GS_ASSERT_OK(store().add_entity("", make_entity("p" + std::to_string(i))));
  for_each_mode([&] {
    Strings all, page;
    std::string cursor;
    do {
      page = entity_scan(store(), scan("", cursor, 0, 5));
      all.insert(all.end(), page.begin(), page.end());
      if (!page.empty()) cursor = page.back();
    } while (!page.empty());
    EXPECT_EQ(all, ids_of(all_entities(store(), "")));
  });
}

void build_vectors(Store& s) {
  struct V {
    const char *id, *type;
    std::vector<float> v;
  };
  for (const V& v : {V{"v1", "A", {1, 0, 0}}, V{"v2", "A", {0, 1, 0}}, V{"v3", "B", {1, 1, 0}}, V{"v4", "B", {1, 0, 0}},
                     V{"v5", "A", {-1, 0, 0}}, V{"v6", "A", {0, 0, 0}}, V{"n1", "A", {}}})
    ASSERT_TRUE(IsOk(s.add_entity("", make_entity(v.id, v.type, "{}", v.v))));
}

Strings vector_ids(Store& s, std::vector<float> q, uint32_t k, std::string type = "",
                   double min_score = -std::numeric_limits<double>::infinity(), bool exact = false) {
  VectorQuery vq;
  vq.vector = q;
  vq.k = k;
  vq.entity_type = std::move(type);
  vq.min_score = min_score;
  vq.exact = exact;
  std::vector<ScoredEntity> out;
  EXPECT_TRUE(IsOk(s.vector_search("", vq, &out)));
  Strings ids;
  for (const auto& hit : out) {
    ids.push_back(hit.entity.id);
    EXPECT_NEAR(hit.score, sdk::cosine_similarity(q.data(), hit.entity.embedding.data(), 3), 1e-9) << hit.entity.id;
  }
  return ids;
}

TEST_P(Search, VectorSearchOrderTiesFiltersAndThreshold) {
  build_vectors(store());
  for_each_mode([&] {
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10), (Strings{"v1", "v4", "v3", "v2", "v6", "v5"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 3), (Strings{"v1", "v4", "v3"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "", 0.5), (Strings{"v1", "v4", "v3"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "", 0.0), (Strings{"v1", "v4", "v3", "v2", "v6"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "B"), (Strings{"v4", "v3"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "A", 0.0), (Strings{"v1", "v2", "v6"}));
    EXPECT_EQ(vector_ids(store(), {2, 0, 0}, 1), (Strings{"v1"})) << "cosine ignores magnitude";
    EXPECT_EQ(vector_ids(store(), {0, 0, 0}, 10), (Strings{"v1", "v2", "v3", "v4", "v5", "v6"})) << "all score 0";
  });
}

// GS_VECTOR_EXACT (VectorQuery::exact) is understood by every backend, a
// plugin that keeps no index included, and asks for the same exact answer.
TEST_P(Search, VectorSearchAskedExactGivesTheSameAnswer) {
  build_vectors(store());
  for_each_mode([&] {
    const double any = -std::numeric_limits<double>::infinity();
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "", any, true), (Strings{"v1", "v4", "v3", "v2", "v6", "v5"}));
    EXPECT_EQ(vector_ids(store(), {1, 0, 0}, 10, "A", 0.0, true), (Strings{"v1", "v2", "v6"}));
  });
}

TEST_P(Search, VectorSearchOnTenantWithoutEmbeddingsIsEmpty) {
  GS_ASSERT_OK(store().add_entity("plain", make_entity("x")));
  for_each_mode([&] {
    std::vector<ScoredEntity> out;
    GS_EXPECT_OK(store().vector_search("plain", vector_query({1, 2, 3}), &out));
    EXPECT_TRUE(out.empty());
    GS_EXPECT_OK(store().vector_search("never-used", vector_query({1, 2, 3}), &out));
    EXPECT_TRUE(out.empty());
  });
}

const char* const kTextDocs[][3] = {
    {"t1", "Doc", R"({"title":"graph databases","body":"a graph is made of nodes and edges"})"},
    {"t2", "Doc", R"({"title":"Graph theory","tags":["math","graph"]})"},
    {"t3", "Doc", R"({"title":"cooking pasta","meta":{"lang":"it"}})"},
    {"t4", "Note", R"({"note":"nodes nodes nodes","n":3})"},
    {"t5", "Note", R"({"n":5,"ok":true})"},
    {"t6", "Doc", R"({"title":"Graph Theory"})"},
    {"t7", "Doc", R"({"title":"日本語 グラフ","body":"グラフ"})"},
};

// What sdk::rank_text says for the docs above: "id=score" per hit.
std::vector<std::pair<std::string, double>> expected_text(const TextQuery& q) {
  std::vector<sdk::TextDoc> docs;
  for (const auto& d : kTextDocs)
    if (q.entity_type.empty() || q.entity_type == d[1]) docs.push_back({d[0], d[2]});
  std::vector<std::pair<size_t, double>> ranked;
  EXPECT_TRUE(sdk::rank_text(q.text, static_cast<int32_t>(q.method), docs, q.k, q.min_score, &ranked));
  std::vector<std::pair<std::string, double>> out;
  for (auto [i, score] : ranked) out.emplace_back(std::string(docs[i].id), score);
  return out;
}

TEST_P(Search, TextSearchEqualsRankText) {
  for (const auto& d : kTextDocs) GS_ASSERT_OK(store().add_entity("", make_entity(d[0], d[1], d[2])));
  const char* queries[] = {"graph", "Graph theory", "nodes edges", "pasta", "grpah", "グラフ", "zzz", ""};
  for_each_mode([&] {
    for (auto method : {TextMethod::kBm25, TextMethod::kJaccard, TextMethod::kCosine, TextMethod::kLevenshtein})
      for (const char* text : queries)
        for (uint32_t k : {1u, 3u, 10u})
          for (const char* type : {"", "Doc"})
            for (double min_score : {0.0, 0.4}) {
              TextQuery q{text, method, k, type, min_score};
              SCOPED_TRACE("method " + std::to_string(static_cast<int>(method)) + " query '" + text + "' k " +
                           std::to_string(k) + " type '" + type + "' min " + std::to_string(min_score));
              std::vector<ScoredEntity> out;
              GS_ASSERT_OK(store().text_search("", q, &out));
              auto want = expected_text(q);
              ASSERT_EQ(out.size(), want.size());
              for (size_t i = 0; i < out.size(); ++i) {
                EXPECT_EQ(out[i].entity.id, want[i].first);
                EXPECT_NEAR(out[i].score, want[i].second, 1e-9);
              }
            }
  });
}

TEST_P(Search, TextSearchFindsTheObviousMatch) {
  for (const auto& d : kTextDocs) GS_ASSERT_OK(store().add_entity("", make_entity(d[0], d[1], d[2])));
  for_each_mode([&] {
    std::vector<ScoredEntity> out;
    GS_ASSERT_OK(store().text_search("", text_query("cooking pasta", TextMethod::kJaccard), &out));
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out[0].entity.id, "t3");
    GS_ASSERT_OK(store().text_search("", text_query("Graph Theory", TextMethod::kLevenshtein, 1), &out));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].entity.id, "t2") << "t2 and t6 both score 1 (case-folded); the lower id wins";
    EXPECT_DOUBLE_EQ(out[0].score, 1.0);
  });
}

constexpr TextMethod kTextMethods[] = {TextMethod::kBm25, TextMethod::kJaccard, TextMethod::kCosine,
                                       TextMethod::kLevenshtein};

TEST_P(Search, TextSearchRefusesAQueryPastTheLengthLimit) {
  GS_ASSERT_OK(store().add_entity("", make_entity("d", "Doc", R"({"t":"graph"})")));
  const std::string at_limit = "graph " + std::string(sdk::kMaxTextQueryBytes - 6, 'x');
  for_each_mode([&] {
    for (TextMethod method : kTextMethods) {
      SCOPED_TRACE("method " + std::to_string(static_cast<int>(method)));
      std::vector<ScoredEntity> out;
      GS_EXPECT_OK(store().text_search("", text_query(at_limit, method), &out));
      Status s = store().text_search("", text_query(at_limit + "x", method), &out);
      GS_EXPECT_CODE(s, kInvalidArgument);
      EXPECT_NE(s.message().find(std::to_string(sdk::kMaxTextQueryBytes)), std::string::npos) << s.message();
      EXPECT_TRUE(out.empty());
    }
  });
}

// An entity's text counts up to sdk::kMaxTextBytesPerEntity bytes of string
// values; a word past it is not found, one within it is.
TEST_P(Search, TextSearchReadsAnEntityWithinThePerEntityLimit) {
  const size_t limit = sdk::kMaxTextBytesPerEntity;
  // One long token keeps the test cheap under the sanitizers; what counts is
  // where the limit falls, not how many tokens precede it.
  const std::string filler(limit - 8, 'x');
  // "near" ends with " zebra" 2 bytes before the limit; "cut" has the word
  // straddle it, "far" has it in a value after the limit.
  GS_ASSERT_OK(store().add_entity("", make_entity("near", "Doc", R"({"t":")" + filler + R"( zebra"})")));
  GS_ASSERT_OK(store().add_entity("", make_entity("cut", "Doc", R"({"t":")" + filler + R"(    zebra"})")));
  GS_ASSERT_OK(store().add_entity("", make_entity("far", "Doc", R"({"t":")" + filler + R"(      ","u":"zebra"})")));
  // Levenshtein compares the value cut at the limit: 5 equal bytes of limit.
  GS_ASSERT_OK(
      store().add_entity("", make_entity("long", "Note", R"({"t":"zebra)" + std::string(limit, 'q') + R"("})")));
  for_each_mode([&] {
    for (TextMethod method : {TextMethod::kBm25, TextMethod::kJaccard, TextMethod::kCosine}) {
      SCOPED_TRACE("method " + std::to_string(static_cast<int>(method)));
      std::vector<ScoredEntity> out;
      GS_ASSERT_OK(store().text_search("", text_query("zebra", method), &out));
      ASSERT_EQ(out.size(), 1u);
      EXPECT_EQ(out[0].entity.id, "near");
    }
    TextQuery q = text_query("zebra", TextMethod::kLevenshtein, 1);
    q.entity_type = "Note";
    std::vector<ScoredEntity> out;
    GS_ASSERT_OK(store().text_search("", q, &out));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_DOUBLE_EQ(out[0].score, 5.0 / double(limit));
  });
}

}  // namespace
}  // namespace graphstore::conformance
