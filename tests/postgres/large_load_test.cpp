// Large loads on the postgres plugin. The secondary indexes a large load
// leaves out (plugins/postgres/deferred_indexes.hpp): which loads defer them,
// that the schema records them in the loading transaction, that the next
// other call (or closing the store, or another store opened meanwhile)
// builds them and refreshes the statistics, and that reads and judging stay
// exact while they are absent. And relation loads whose endpoints are
// counted on other connections beside the COPY: a missing endpoint is still
// skipped exactly, with or without a free connection to count on.
#include <gtest/gtest.h>

#include "graphstore/write_batch.hpp"
#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

std::string deid(int i) { return "e" + std::to_string(100000 + i); }

std::vector<Entity> things(int first, int n) {
  std::vector<Entity> out;
  for (int i = first; i < first + n; ++i)
    out.push_back(entity(deid(i), "Thing", "{\"name\":\"thing " + std::to_string(i) + "\"}"));
  return out;
}

std::vector<Relation> chain(int n_entities, int n, const std::string& prefix = "r") {
  std::vector<Relation> out;
  for (int i = 0; i < n; ++i) {
    Relation r;
    r.id = prefix + std::to_string(i);
    r.relation_type = "NEXT";
    r.source_id = deid(i % n_entities);
    r.target_id = deid((i + 1) % n_entities);
    r.weight = 1.0;
    out.push_back(std::move(r));
  }
  return out;
}

class PostgresLargeLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = shared_server();
    schema_ = unique_name("deferred_");
    ASSERT_TRUE(open_store(options_for(server_, schema_), &store_).ok());
  }
  // The schema's secondary indexes that exist now, of the nine a load may
  // leave out.
  int secondary_indexes() {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    return tx
        .exec_params("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname = ANY($2::text[])", schema_,
                     "{entities_by_type,entities_properties,entities_text,entities_source,relations_out,"
                     "relations_in,relations_by_type,relations_properties,relations_source}")[0][0]
        .as<int>();
  }
  int recorded() {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT count(*) FROM " + schema_ + ".meta WHERE key LIKE 'deferred_index:%'")[0][0].as<int>();
  }
  bool analyzed(const std::string& table) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    return !tx.exec_params("SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2",
                           schema_, table)[0][0]
                .is_null();
  }
  void load(int n_entities, int n_relations) {
    BulkResult r;
    ASSERT_TRUE(store_->add_entities_bulk("", things(0, n_entities), &r).ok());
    ASSERT_EQ(r.added, uint64_t(n_entities));
    ASSERT_TRUE(store_->add_relations_bulk("", chain(n_entities, n_relations), &r).ok());
    ASSERT_EQ(r.added, uint64_t(n_relations));
  }

  Server server_;
  std::string schema_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresLargeLoad, ALargeLoadIntoAnEmptySchemaLeavesThemOutAndTheFirstReadBuildsThem) {
  ASSERT_EQ(secondary_indexes(), 9);
  load(20000, 30000);
  EXPECT_EQ(secondary_indexes(), 0);
  EXPECT_EQ(recorded(), 9);
  std::vector<Neighbor> out;
  ASSERT_TRUE(store_->get_neighbors("", deid(5), Direction::kBoth, "", &out).ok());
  ASSERT_EQ(out.size(), 4u);  // r5 and r2005 out; r4 and r2004 in
  EXPECT_EQ(secondary_indexes(), 9);
  EXPECT_EQ(recorded(), 0);
  EXPECT_TRUE(analyzed("entities"));
  EXPECT_TRUE(analyzed("relations"));
}

TEST_F(PostgresLargeLoad, LaterLoadsGoOnWithoutThemAndJudgeExactly) {
  load(20000, 20000);
  ASSERT_EQ(secondary_indexes(), 0);
  // While they are absent: a stored id and a missing endpoint are still
  // skipped with their reasons, the rest added.
  std::vector<Relation> more = chain(20000, 1500, "s");
  more[10].id = "r3";           // stored by the first load
  more[20].target_id = "nope";  // no such entity
  BulkResult r;
  ASSERT_TRUE(store_->add_relations_bulk("", more, &r).ok());
  EXPECT_EQ(r.added, 1498u);
  ASSERT_EQ(r.skipped.size(), 2u);
  EXPECT_EQ(r.skipped[0].index, 10u);
  EXPECT_EQ(r.skipped[0].status.code(), Code::kAlreadyExists);
  EXPECT_EQ(r.skipped[1].index, 20u);
  EXPECT_EQ(r.skipped[1].status.code(), Code::kNotFound);
  EXPECT_EQ(secondary_indexes(), 0);
  Stats st;
  ASSERT_TRUE(store_->get_stats("", &st).ok());
  EXPECT_EQ(st.relation_count, 21498u);
  EXPECT_EQ(secondary_indexes(), 9);
}

TEST_F(PostgresLargeLoad, SmallRunsAndRunsIntoLargerTablesKeepThem) {
  BulkResult r;
  ASSERT_TRUE(store_->add_entities_bulk("", things(0, 19999), &r).ok());  // under the minimum
  EXPECT_EQ(secondary_indexes(), 9);
  Entity e;
  ASSERT_TRUE(store_->get_entity("", deid(0), &e).ok());  // another call ends the run
  ASSERT_TRUE(store_->add_entities_bulk("", things(19999, 15000), &r).ok());
  EXPECT_EQ(secondary_indexes(), 9);  // a run of 15,000
  ASSERT_TRUE(store_->get_entity("", deid(0), &e).ok());
  ASSERT_TRUE(store_->add_entities_bulk("", things(34999, 30000), &r).ok());  // 30,000 into 34,999
  EXPECT_EQ(r.added, 30000u);
  EXPECT_EQ(secondary_indexes(), 9);
  EXPECT_EQ(recorded(), 0);
}

TEST_F(PostgresLargeLoad, ARunOfSmallLoadsIntoASmallerTableLeavesThemOutOnceItIsLarge) {
  // As import and migration load: 5,000 records a call.
  BulkResult r;
  for (int k = 0; k < 3; ++k) ASSERT_TRUE(store_->add_entities_bulk("", things(k * 5000, 5000), &r).ok());
  EXPECT_EQ(secondary_indexes(), 9);  // 15,000 so far
  ASSERT_TRUE(store_->add_entities_bulk("", things(15000, 5000), &r).ok());
  EXPECT_EQ(secondary_indexes(), 5);  // the entities' four are out
  Entity e;
  ASSERT_TRUE(store_->get_entity("", deid(19999), &e).ok());
  EXPECT_EQ(secondary_indexes(), 9);
}

TEST_F(PostgresLargeLoad, TheOptionTurnsItOff) {
  std::unique_ptr<Store> plain;
  ASSERT_TRUE(open_store(options_for(server_, schema_, ",\"defer_indexes\":false"), &plain).ok());
  BulkResult r;
  ASSERT_TRUE(plain->add_entities_bulk("", things(0, 30000), &r).ok());
  EXPECT_EQ(r.added, 30000u);
  EXPECT_EQ(secondary_indexes(), 9);
}

TEST_F(PostgresLargeLoad, ABatchThatFailsKeepsThem) {
  ASSERT_TRUE(store_->add_entity("", entity(deid(15000))).ok());
  WriteBatch b;
  for (const Entity& e : things(0, 20000)) b.add_entity(e);
  size_t failed = 0;
  Status s = store_->apply("", b, &failed);
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.to_string();
  EXPECT_EQ(failed, 15000u);
  EXPECT_EQ(secondary_indexes(), 9);
  EXPECT_EQ(recorded(), 0);
  Stats st;
  ASSERT_TRUE(store_->get_stats("", &st).ok());
  EXPECT_EQ(st.entity_count, 1u);
}

TEST_F(PostgresLargeLoad, ABatchOfAddsDefersThemLikeABulkAdd) {
  WriteBatch b;
  for (const Entity& e : things(0, 20000)) b.add_entity(e);
  ASSERT_TRUE(store_->apply("", b).ok());
  EXPECT_EQ(secondary_indexes(), 5);  // the entities' four stay out; the relations' five are there
  Entity e;
  ASSERT_TRUE(store_->get_entity("", deid(7), &e).ok());
  EXPECT_EQ(secondary_indexes(), 9);
}

TEST_F(PostgresLargeLoad, ClosingTheStoreBuildsThem) {
  load(20000, 20000);
  ASSERT_EQ(secondary_indexes(), 0);
  store_.reset();
  EXPECT_EQ(secondary_indexes(), 9);
  EXPECT_EQ(recorded(), 0);
}

TEST_F(PostgresLargeLoad, AStoreOpenedWhileTheyAreRecordedBuildsThemBeforeItsFirstRead) {
  load(20000, 20000);
  std::unique_ptr<Store> other;
  ASSERT_TRUE(open_store(options_for(server_, schema_), &other).ok());
  EXPECT_EQ(secondary_indexes(), 0);
  std::vector<Neighbor> out;
  ASSERT_TRUE(other->get_neighbors("", deid(1), Direction::kOut, "", &out).ok());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(secondary_indexes(), 9);
  // The loading store finds them built: nothing to do, no failure.
  ASSERT_TRUE(store_->get_neighbors("", deid(1), Direction::kIn, "", &out).ok());
  EXPECT_EQ(out.size(), 1u);
}

TEST_F(PostgresLargeLoad, RowLevelSecurityKeepsThem) {
  // Under its policies a session counts its own tenant's rows only, so a
  // load cannot tell that the table is smaller than what it adds.
  schema_ = unique_name("deferred_rls_");
  std::unique_ptr<Store> secure;
  ASSERT_TRUE(open_store(options_for(server_, schema_, ",\"row_level_security\":true"), &secure).ok());
  BulkResult r;
  ASSERT_TRUE(secure->add_entities_bulk("t1", things(0, 20000), &r).ok());
  EXPECT_EQ(r.added, 20000u);
  EXPECT_EQ(secondary_indexes(), 9);
}

TEST_F(PostgresLargeLoad, EndpointsCountedBesideTheCopyStillSkipAMissingOneExactly) {
  // 6,000 relations a call: counted beside, too few to defer the indexes.
  for (const char* pool : {"", ",\"max_pool_size\":1,\"min_pool_size\":1"}) {
    SCOPED_TRACE(*pool ? "one connection: counted inline" : "counted beside");
    schema_ = unique_name("beside_");
    ASSERT_TRUE(open_store(options_for(server_, schema_, pool), &store_).ok());
    BulkResult r;
    ASSERT_TRUE(store_->add_entities_bulk("", things(0, 3000), &r).ok());
    std::vector<Relation> rels = chain(3000, 6000);
    rels[4321].source_id = "missing";
    ASSERT_TRUE(store_->add_relations_bulk("", rels, &r).ok());
    EXPECT_EQ(r.added, 5999u);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_EQ(r.skipped[0].index, 4321u);
    EXPECT_EQ(r.skipped[0].status.code(), Code::kNotFound);
    EXPECT_NE(r.skipped[0].status.message().find("source entity 'missing' not found"), std::string::npos)
        << r.skipped[0].status.message();
    // Every endpoint there: all added in one go.
    ASSERT_TRUE(store_->add_relations_bulk("", chain(3000, 6000, "q"), &r).ok());
    EXPECT_EQ(r.added, 6000u);
    Stats st;
    ASSERT_TRUE(store_->get_stats("", &st).ok());
    EXPECT_EQ(st.relation_count, 11999u);
  }
}

}  // namespace
}  // namespace graphstore::pgtest
