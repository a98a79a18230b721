// Text search over the FTS5 index: it follows every add, update, delete,
// batch and bulk, through the write buffer and after the buffer moves into
// the index, and its scores are sdk::rank_text's for every method.
#include <map>

#include "graphstore/scoring.hpp"
#include "test_util.hpp"

namespace graphstore::sqlite_test {
namespace {

class SqliteText : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    path_ = std::string(GetParam()) == "file" ? dir_.file("g.db") : ":memory:";
    ASSERT_TRUE(open_store(options_for(path_), &store_).ok());
  }

  // id -> properties of what the tenant should hold, mirrored by the test.
  void add(const std::string& id, const std::string& props, const std::string& type = "Doc") {
    ASSERT_TRUE(store_->add_entity("", entity(id, type, props)).ok());
    docs_[id] = props;
  }

  // Checks every method's answer for query against sdk::rank_text over the
  // mirror, and against the core's default search.
  void expect_exact(const std::string& query) {
    std::vector<std::string> ids;
    std::vector<std::string> props;
    for (const auto& [id, p] : docs_) {
      ids.push_back(id);
      props.push_back(p);
    }
    std::vector<sdk::TextDoc> docs;
    for (size_t i = 0; i < ids.size(); ++i) docs.push_back({ids[i], props[i]});
    for (int method = 1; method <= 4; ++method) {
      SCOPED_TRACE("method " + std::to_string(method) + " query '" + query + "'");
      std::vector<std::pair<size_t, double>> want;
      ASSERT_TRUE(sdk::rank_text(query, method, docs, 1000, 0.0, &want));
      TextQuery q;
      q.text = query;
      q.method = static_cast<TextMethod>(method);
      q.k = 1000;
      std::vector<ScoredEntity> got;
      ASSERT_TRUE(store_->text_search("", q, &got).ok());
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].entity.id, ids[want[i].first]);
        EXPECT_EQ(got[i].score, want[i].second) << got[i].entity.id;
      }
      store_->set_force_defaults(true);
      std::vector<ScoredEntity> defaults;
      ASSERT_TRUE(store_->text_search("", q, &defaults).ok());
      store_->set_force_defaults(false);
      EXPECT_EQ(defaults, got);
    }
  }

  std::vector<std::string> hits(const std::string& query) {
    TextQuery q;
    q.text = query;
    q.k = 1000;
    std::vector<ScoredEntity> got;
    EXPECT_TRUE(store_->text_search("", q, &got).ok());
    std::vector<std::string> ids;
    for (const auto& h : got) ids.push_back(h.entity.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> docs_;
};

TEST_P(SqliteText, SearchFollowsAddsUpdatesAndDeletes) {
  add("a", R"({"title":"Graph databases","body":"nodes and edges"})");
  add("b", R"({"title":"cooking pasta","tags":["graph","food"]})");
  add("c", R"({"n":1,"flag":true})");
  add("d", R"({"note":"Nodes nodes NODES"})", "Note");
  EXPECT_EQ(hits("graph"), (std::vector<std::string>{"a", "b"}));
  expect_exact("graph nodes");

  ASSERT_TRUE(store_->update_entity("", entity("b", "Doc", R"({"title":"cooking rice"})")).ok());
  docs_["b"] = R"({"title":"cooking rice"})";
  EXPECT_EQ(hits("graph"), std::vector<std::string>{"a"});
  EXPECT_EQ(hits("rice"), std::vector<std::string>{"b"});
  EXPECT_TRUE(hits("pasta").empty());

  ASSERT_TRUE(store_->delete_entity("", "a").ok());
  docs_.erase("a");
  EXPECT_TRUE(hits("graph").empty());
  EXPECT_EQ(hits("nodes"), std::vector<std::string>{"d"});
  expect_exact("nodes cooking");
  expect_exact("cookng rice");
}

TEST_P(SqliteText, BufferedAndIndexedTextAnswerAlike) {
  // Enough single writes to move the buffer into FTS5 several times, with
  // updates and deletes on both sides of the moves.
  for (int i = 0; i < 700; ++i)
    add("d" + std::to_string(i),
        R"({"t":"word)" + std::to_string(i % 7) + " common item" + std::to_string(i) + R"("})");
  for (int i = 0; i < 700; i += 50) {
    ASSERT_TRUE(store_->update_entity("", entity("d" + std::to_string(i), "Doc", R"({"t":"changed common"})")).ok());
    docs_["d" + std::to_string(i)] = R"({"t":"changed common"})";
  }
  for (int i = 5; i < 700; i += 97) {
    ASSERT_TRUE(store_->delete_entity("", "d" + std::to_string(i)).ok());
    docs_.erase("d" + std::to_string(i));
  }
  if (path_ != ":memory:") {
    RawDb raw(path_);
    EXPECT_LT(raw.integer("SELECT count(*) FROM text_pending"), 256);
    EXPECT_GT(raw.integer("SELECT count(*) FROM entity_text WHERE entity_text MATCH 'common'"), 400);
  }
  size_t with_word3 = 0;
  for (const auto& [id, p] : docs_) with_word3 += p.find("word3 ") != std::string::npos;
  EXPECT_GT(with_word3, 80u);
  EXPECT_EQ(hits("word3").size(), with_word3);
  expect_exact("word3 changed");
  expect_exact("item699 common");
}

TEST_P(SqliteText, BulkAndBatchAreSearchableAndRollbacksLeaveNoText) {
  std::vector<Entity> items;
  for (int i = 0; i < 300; ++i) items.push_back(entity("bulk" + std::to_string(i), "Doc", R"({"t":"bulky text"})"));
  BulkResult result;
  ASSERT_TRUE(store_->add_entities_bulk("", items, &result).ok());
  for (const auto& e : items) docs_[e.id] = e.properties;
  EXPECT_EQ(hits("bulky").size(), 300u);

  WriteBatch failing;
  failing.add_entity(entity("ghost", "Doc", R"({"t":"phantom words"})"));
  failing.add_entity(entity("bulk0"));  // ALREADY_EXISTS: the batch rolls back
  EXPECT_TRUE(store_->apply("", failing).is_already_exists());
  EXPECT_TRUE(hits("phantom").empty());

  WriteBatch ok;
  ok.add_entity(entity("real", "Doc", R"({"t":"phantom real"})"));
  ok.delete_entity("bulk1");
  ASSERT_TRUE(store_->apply("", ok).ok());
  docs_["real"] = R"({"t":"phantom real"})";
  docs_.erase("bulk1");
  EXPECT_EQ(hits("phantom"), std::vector<std::string>{"real"});
  EXPECT_EQ(hits("bulky").size(), 299u);
  expect_exact("bulky phantom");
}

TEST_P(SqliteText, LevenshteinSeesValuesWithoutTokens) {
  add("punct", R"({"t":"!!!"})");
  add("empty", R"({"t":""})");
  add("word", R"({"t":"word"})");
  expect_exact("!!");
  expect_exact("wor!");
}

TEST_P(SqliteText, TenantsAndTypesFilterTheCorpus) {
  add("x", R"({"t":"shared word"})");
  add("y", R"({"t":"shared"})", "Other");
  ASSERT_TRUE(store_->add_entity("t2", entity("x", "Doc", R"({"t":"shared shared shared"})")).ok());
  expect_exact("shared word");
  TextQuery q;
  q.text = "shared";
  q.entity_type = "Other";
  std::vector<ScoredEntity> got;
  ASSERT_TRUE(store_->text_search("", q, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].entity.id, "y");
  std::vector<std::pair<size_t, double>> want;
  ASSERT_TRUE(sdk::rank_text("shared", 1, {{"y", R"({"t":"shared"})"}}, 10, 0.0, &want));
  EXPECT_EQ(got[0].score, want[0].second);
}

INSTANTIATE_TEST_SUITE_P(Modes, SqliteText, ::testing::Values("file", "memory"));

}  // namespace
}  // namespace graphstore::sqlite_test
