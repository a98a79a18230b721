// BM25's corpus statistics on the postgres plugin (schema version 4,
// plugins/postgres/schema.cpp): the text_stats deltas the entity triggers
// append always sum to the tenant's entity count and token total, whatever
// wrote (single writes, bulk COPY, batches, removals, the reference views,
// an operator's SQL); text search folds them; an upgrade from version 3
// counts what was there.
#include <gtest/gtest.h>

#include "graphstore/write_batch.hpp"
#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

class PostgresTextStats : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = shared_server();
    schema_ = unique_name("textstats_");
    ASSERT_TRUE(open_store(options_for(server_, schema_), &store_).ok());
  }
  // (documents, tokens) of tenant as text_stats sums them and as the
  // entities table counts them.
  std::pair<std::string, std::string> sums(const std::string& tenant) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    pqxx::row stats = tx.exec_params1("SELECT coalesce(sum(documents), 0) || '/' || coalesce(sum(tokens), 0) FROM " +
                                          schema_ + ".text_stats WHERE tenant_id = $1",
                                      tenant);
    pqxx::row truth = tx.exec_params1(
        "SELECT count(*) || '/' || coalesce(sum(token_count), 0) FROM " + schema_ + ".entities WHERE tenant_id = $1",
        tenant);
    return {stats[0].c_str(), truth[0].c_str()};
  }
  int rows(const std::string& tenant) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec_params1("SELECT count(*) FROM " + schema_ + ".text_stats WHERE tenant_id = $1", tenant)[0].as<int>();
  }
  void admin(const std::string& sql) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }

  Server server_;
  std::string schema_;
  std::unique_ptr<Store> store_;
};

Entity doc(const std::string& id, const std::string& text, const std::string& type = "Doc") {
  return entity(id, type, "{\"text\":\"" + text + "\"}");
}

TEST_F(PostgresTextStats, EveryWayOfWritingKeepsTheSumsExact) {
  ASSERT_TRUE(store_->add_entity("t", doc("a", "alpha beta gamma")).ok());
  ASSERT_TRUE(store_->add_entity("t", doc("b", "beta", "Note")).ok());
  std::vector<Entity> many;
  for (int i = 0; i < 1500; ++i) many.push_back(doc("m" + std::to_string(i), "word " + std::to_string(i)));
  BulkResult r;
  ASSERT_TRUE(store_->add_entities_bulk("t", many, &r).ok());
  ASSERT_TRUE(store_->update_entity("t", doc("a", "one", "Note")).ok());
  ASSERT_TRUE(store_->delete_entity("t", "b").ok());
  WriteBatch b;
  b.add_entity(doc("c", "three words here"));
  b.update_entity(doc("m1", "a much longer text than before"));
  b.delete_entity("m2");
  ASSERT_TRUE(store_->apply("t", b).ok());
  ASSERT_TRUE(store_->add_entity("other", doc("x", "elsewhere")).ok());
  auto [stats, truth] = sums("t");
  EXPECT_EQ(stats, truth);
  EXPECT_EQ(stats.substr(0, stats.find('/')), "1501");  // a, c and 1,500 bulk; b, m2 gone

  // An operator's SQL and the reference views go through the triggers too.
  admin("UPDATE " + schema_ + ".entities SET token_count = token_count + 5 WHERE tenant_id = 't' AND id = 'c'");
  admin("DELETE FROM " + schema_ + ".graph_entities WHERE tenant_id = 't' AND id = 'm3'");
  std::tie(stats, truth) = sums("t");
  EXPECT_EQ(stats, truth);

  ASSERT_TRUE(store_->delete_by_source("t", "nobody").ok());
  ASSERT_TRUE(store_->clear("t", ClearScope::kTenant).ok());
  std::tie(stats, truth) = sums("t");
  EXPECT_EQ(stats, "0/0");
  EXPECT_EQ(truth, "0/0");
  std::tie(stats, truth) = sums("other");
  EXPECT_EQ(stats, truth);
  EXPECT_EQ(stats, "1/1");
}

TEST_F(PostgresTextStats, ATextSearchFoldsTheDeltasAndScoresAsBefore) {
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(store_->add_entity("", doc("d" + std::to_string(i), i % 2 ? "graph storage" : "graph")).ok());
  EXPECT_EQ(rows(""), 100);
  TextQuery q;
  q.text = "storage";
  std::vector<ScoredEntity> before;
  ASSERT_TRUE(store_->text_search("", q, &before).ok());
  ASSERT_EQ(before.size(), 10u);
  EXPECT_EQ(rows(""), 1);  // one type: one row
  std::vector<ScoredEntity> after;
  ASSERT_TRUE(store_->text_search("", q, &after).ok());
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].entity.id, before[i].entity.id);
    EXPECT_EQ(after[i].score, before[i].score);
  }
  auto [stats, truth] = sums("");
  EXPECT_EQ(stats, truth);
}

TEST_F(PostgresTextStats, AnUpgradeFromVersion3CountsWhatIsThere) {
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store_->add_entity("u", doc("d" + std::to_string(i), "some words")).ok());
  store_.reset();
  // The schema as version 3 left it: no text_stats, no triggers.
  admin("DROP TABLE " + schema_ + ".text_stats; DROP FUNCTION " + schema_ +
        ".graphstore_text_stats() CASCADE; UPDATE " + schema_ + ".meta SET value = '3' WHERE key = 'schema_version'");
  ASSERT_TRUE(open_store(options_for(server_, schema_), &store_).ok());
  auto [stats, truth] = sums("u");
  EXPECT_EQ(stats, truth);
  EXPECT_EQ(stats, "20/40");
  ASSERT_TRUE(store_->add_entity("u", doc("more", "one")).ok());
  std::tie(stats, truth) = sums("u");
  EXPECT_EQ(stats, "21/41");
}

}  // namespace
}  // namespace graphstore::pgtest
