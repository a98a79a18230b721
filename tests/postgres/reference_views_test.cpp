// The reference's table names as views over the postgres plugin's tables
// (plugins/postgres/reference_views.hpp): what they show, what writes
// through them do, and when they are not created.
#include <cstring>
#include <thread>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

// The bytes the reference wrote for an embedding: float32 little-endian.
std::string float32_le(const std::vector<float>& v) {
  std::string out;
  for (float f : v) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i) out.push_back(char((bits >> (8 * i)) & 0xff));
  }
  return out;
}

Relation relation(const std::string& id, const std::string& from, const std::string& to, double weight = 1.0) {
  Relation r;
  r.id = id;
  r.relation_type = "K";
  r.source_id = from;
  r.target_id = to;
  r.weight = weight;
  return r;
}

std::string columns_of(pqxx::transaction_base& tx, const std::string& schema, const std::string& table) {
  pqxx::result r = tx.exec_params(
      "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
      "FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
      schema, table);
  return r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
}

std::string relkind(pqxx::transaction_base& tx, const std::string& schema, const std::string& name) {
  pqxx::result r = tx.exec_params("SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)",
                                  schema + "." + name);
  return r.empty() ? std::string("none") : r[0][0].as<std::string>();
}

TEST(PostgresReferenceViews, ShowTheReferenceColumnsOverOurRows) {
  Server s = shared_server();
  std::string schema = unique_name("refv_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  Entity a = entity("a", "Person", R"({"name": "Ada", "n": [1, 2]})");
  a.embedding = {1.0f, -2.5f, 0.1f};
  a.created_at = 1600000000000001;
  a.updated_at = 1600000000654321;
  ASSERT_TRUE(store->add_entity("acme", a).ok());
  ASSERT_TRUE(store->add_entity("acme", entity("b")).ok());
  ASSERT_TRUE(store->add_entity("", entity("g", "Global")).ok());
  Relation r = relation("r", "a", "b", 0.25);
  r.properties = R"({"since": 2020})";
  ASSERT_TRUE(store->add_relation("acme", r).ok());
  ASSERT_TRUE(store->add_relation("acme", relation("z", "b", "a", 0.0)).ok());

  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(columns_of(tx, schema, "graph_entities"),
            "id text, tenant_id text, entity_type text, properties jsonb, embedding bytea, "
            "created_at timestamp without time zone, updated_at timestamp without time zone");
  EXPECT_EQ(columns_of(tx, schema, "graph_relations"),
            "id text, tenant_id text, relation_type text, source_id text, target_id text, properties jsonb, "
            "weight real, created_at timestamp without time zone, updated_at timestamp without time zone");

  pqxx::row e = tx.exec1("SELECT tenant_id, entity_type, properties::text, embedding, created_at::text, "
                         "updated_at::text, properties->>'name' FROM " + schema + ".graph_entities WHERE id = 'a'");
  EXPECT_EQ(e[0].as<std::string>(), "acme");
  EXPECT_EQ(e[1].as<std::string>(), "Person");
  EXPECT_EQ(e[2].as<std::string>(), R"({"n": [1, 2], "name": "Ada"})");
  EXPECT_EQ(pqxx::binarystring(e[3]).str(), float32_le(a.embedding));
  EXPECT_EQ(e[4].as<std::string>(), "2020-09-13 12:26:40.000001");
  EXPECT_EQ(e[5].as<std::string>(), "2020-09-13 12:26:40.654321");
  EXPECT_EQ(e[6].as<std::string>(), "Ada");
  EXPECT_TRUE(tx.exec1("SELECT embedding IS NULL FROM " + schema + ".graph_entities WHERE id = 'b'")[0].as<bool>());
  // The global namespace is '' as in the reference.
  EXPECT_EQ(tx.exec1("SELECT tenant_id FROM " + schema + ".graph_entities WHERE id = 'g'")[0].as<std::string>(), "");

  pqxx::row rel = tx.exec1("SELECT tenant_id, source_id, target_id, properties::text, weight, pg_typeof(weight)::text "
                           "FROM " + schema + ".graph_relations WHERE id = 'r'");
  EXPECT_EQ(rel[0].as<std::string>(), "acme");
  EXPECT_EQ(rel[1].as<std::string>(), "a");
  EXPECT_EQ(rel[2].as<std::string>(), "b");
  EXPECT_EQ(rel[3].as<std::string>(), R"({"since": 2020})");
  EXPECT_EQ(rel[4].as<float>(), 0.25f);
  EXPECT_EQ(rel[5].as<std::string>(), "real");
  EXPECT_EQ(tx.exec1("SELECT weight FROM " + schema + ".graph_relations WHERE id = 'z'")[0].as<float>(), 0.0f)
      << "a weight of 0 stays 0";
  // A report the reference's users ran: counts per tenant and type.
  pqxx::result report = tx.exec("SELECT tenant_id, entity_type, count(*) FROM " + schema +
                                ".graph_entities GROUP BY 1, 2 ORDER BY 1, 2");
  ASSERT_EQ(report.size(), 3u);
  EXPECT_EQ(report[0][0].as<std::string>(), "");
  EXPECT_EQ(report[1][1].as<std::string>(), "Person");
}

TEST(PostgresReferenceViews, DeleteFromGraphEntitiesAlsoDeletesItsRelations) {
  Server s = shared_server();
  std::string schema = unique_name("refdel_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  for (const char* tenant : {"acme", "other"}) {
    for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store->add_entity(tenant, entity(id)).ok());
    ASSERT_TRUE(store->add_relation(tenant, relation("ab", "a", "b")).ok());
    ASSERT_TRUE(store->add_relation(tenant, relation("ca", "c", "a")).ok());
    ASSERT_TRUE(store->add_relation(tenant, relation("bc", "b", "c")).ok());
  }
  pqxx::connection c(s.admin_conninfo());
  {
    pqxx::work tx(c);
    pqxx::result r = tx.exec("DELETE FROM " + schema + ".graph_entities WHERE tenant_id = 'acme' AND id = 'a'");
    EXPECT_EQ(r.affected_rows(), 1u);
    tx.commit();
  }
  Entity got;
  EXPECT_EQ(store->get_entity("acme", "a", &got).code(), Code::kNotFound);
  Relation rel;
  EXPECT_EQ(store->get_relation("acme", "ab", &rel).code(), Code::kNotFound) << "no relation left dangling";
  EXPECT_EQ(store->get_relation("acme", "ca", &rel).code(), Code::kNotFound);
  EXPECT_TRUE(store->get_relation("acme", "bc", &rel).ok());
  EXPECT_TRUE(store->get_entity("other", "a", &got).ok()) << "another tenant's entity of that id stays";
  EXPECT_TRUE(store->get_relation("other", "ab", &rel).ok());

  // A clean-up script's bulk delete, and a relation deleted on its own.
  {
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec("DELETE FROM " + schema + ".graph_relations WHERE tenant_id = 'other' AND id = 'bc'")
                  .affected_rows(),
              1u);
    EXPECT_EQ(tx.exec("DELETE FROM " + schema + ".graph_entities WHERE tenant_id = 'other'").affected_rows(), 3u);
    tx.commit();
  }
  Stats stats;
  ASSERT_TRUE(store->get_stats("other", &stats).ok());
  EXPECT_EQ(stats.entity_count, 0u);
  EXPECT_EQ(stats.relation_count, 0u);
}

TEST(PostgresReferenceViews, DeletesThroughTheViewRaceWritersWithoutDanglingRelations) {
  Server s = shared_server();
  std::string schema = unique_name("refrace_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":2,\"max_pool_size\":4"), &store).ok());
  constexpr int kRounds = 20, kPerRound = 10;
  // Each round: a hub entity, relations added to it one by one and in bulk
  // while another connection deletes the hub through the view.
  for (int round = 0; round < kRounds; ++round) {
    const std::string hub = "hub" + std::to_string(round);
    ASSERT_TRUE(store->add_entity("t", entity(hub)).ok());
    std::vector<Relation> bulk;
    for (int i = 0; i < kPerRound; ++i) {
      std::string leaf = hub + "_" + std::to_string(i);
      ASSERT_TRUE(store->add_entity("t", entity(leaf)).ok());
      bulk.push_back(relation(leaf + "_bulk", leaf, hub));
    }
    std::thread writer([&] {
      for (int i = 0; i < kPerRound; ++i) {
        std::string leaf = hub + "_" + std::to_string(i);
        Status st = store->add_relation("t", relation(leaf + "_one", hub, leaf));
        EXPECT_TRUE(st.ok() || st.code() == Code::kNotFound) << st.to_string();
      }
      BulkResult result;
      Status st = store->add_relations_bulk("t", bulk, &result);
      EXPECT_TRUE(st.ok() || st.code() == Code::kNotFound) << st.to_string();
    });
    {
      pqxx::connection c(s.admin_conninfo());
      pqxx::work tx(c);
      tx.exec_params("DELETE FROM " + schema + ".graph_entities WHERE tenant_id = 't' AND id = $1", hub);
      tx.commit();
    }
    writer.join();
  }
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  pqxx::result dangling = tx.exec(
      "SELECT r.id FROM " + schema + ".relations r WHERE NOT EXISTS (SELECT 1 FROM " + schema +
      ".entities e WHERE e.tenant_id = r.tenant_id AND e.id = r.source_id) OR NOT EXISTS (SELECT 1 FROM " + schema +
      ".entities e WHERE e.tenant_id = r.tenant_id AND e.id = r.target_id)");
  EXPECT_EQ(dangling.size(), 0u) << "first dangling relation: " << (dangling.empty() ? "" : dangling[0][0].c_str());
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM " + schema + ".entities WHERE id LIKE 'hub%' AND id NOT LIKE '%\\_%'")[0]
                .as<int>(),
            0);
}

TEST(PostgresReferenceViews, UpdatesKeepInvariantsAndInsertsAreRefused) {
  Server s = shared_server();
  std::string schema = unique_name("refupd_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  ASSERT_TRUE(store->add_entity("t", entity("a", "Old")).ok());
  ASSERT_TRUE(store->add_entity("t", entity("b")).ok());
  ASSERT_TRUE(store->add_relation("t", relation("r", "a", "b", 0.75)).ok());
  Entity before;
  ASSERT_TRUE(store->get_entity("t", "a", &before).ok());

  pqxx::connection c(s.admin_conninfo());
  {
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec("UPDATE " + schema + ".graph_entities SET entity_type = 'New' WHERE id = 'a'").affected_rows(),
              1u);
    EXPECT_EQ(tx.exec("UPDATE " + schema + ".graph_relations SET weight = 0.5, properties = '{\"x\": 1}' "
                      "WHERE id = 'r'")
                  .affected_rows(),
              1u);
    tx.commit();
  }
  Entity after;
  ASSERT_TRUE(store->get_entity("t", "a", &after).ok());
  EXPECT_EQ(after.entity_type, "New");
  EXPECT_EQ(after.created_at, before.created_at);
  EXPECT_GE(after.updated_at, before.updated_at);
  Relation r;
  ASSERT_TRUE(store->get_relation("t", "r", &r).ok());
  EXPECT_EQ(r.weight, 0.5);
  EXPECT_EQ(r.properties, R"({"x": 1})");

  for (const std::string& sql :
       {"UPDATE " + schema + ".graph_entities SET properties = '{\"k\": 1}' WHERE id = 'a'",
        "UPDATE " + schema + ".graph_entities SET id = 'z' WHERE id = 'a'",
        "UPDATE " + schema + ".graph_relations SET target_id = 'nowhere' WHERE id = 'r'",
        "INSERT INTO " + schema + ".graph_entities (id, tenant_id, entity_type) VALUES ('n', 't', 'T')",
        "INSERT INTO " + schema + ".graph_relations (id, tenant_id, relation_type, source_id, target_id) "
        "VALUES ('n', 't', 'K', 'a', 'b')"}) {
    pqxx::work tx(c);
    try {
      tx.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const pqxx::sql_error& e) {
      EXPECT_EQ(e.sqlstate(), "0A000") << sql << ": " << e.what();
    }
  }
  ASSERT_TRUE(store->get_relation("t", "r", &r).ok());
  EXPECT_EQ(r.target_id, "b");
}

TEST(PostgresReferenceViews, AnExistingTableOfThatNameIsNeverReplaced) {
  Server s = shared_server();
  std::string schema = unique_name("refkeep_");
  pqxx::connection c(s.admin_conninfo());
  {
    pqxx::work tx(c);
    tx.exec("CREATE SCHEMA " + schema);
    tx.exec("GRANT ALL ON SCHEMA " + schema + " TO gs_app");
    tx.exec("CREATE TABLE " + schema + ".graph_entities (id text, tenant_id text NOT NULL DEFAULT '', "
            "entity_type text NOT NULL, properties jsonb NOT NULL DEFAULT '{}', embedding bytea, "
            "PRIMARY KEY (id, tenant_id))");
    tx.exec("INSERT INTO " + schema + ".graph_entities (id, entity_type) VALUES ('legacy', 'T')");
    tx.exec("ALTER TABLE " + schema + ".graph_entities OWNER TO gs_app");
    tx.commit();
  }
  std::unique_ptr<Store> store;
  Status st = open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  pqxx::nontransaction tx(c);
  EXPECT_EQ(relkind(tx, schema, "graph_entities"), "r");
  EXPECT_EQ(relkind(tx, schema, "graph_relations"), "none") << "no half set of views beside the reference's table";
  EXPECT_EQ(tx.exec1("SELECT id FROM " + schema + ".graph_entities")[0].as<std::string>(), "legacy");
  // Opening again finds nothing to do.
  store.reset();
  st = open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store);
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(PostgresReferenceViews, OptionOffCreatesNoViews) {
  Server s = shared_server();
  std::string schema = unique_name("refoff_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1,\"reference_views\":false"), &store).ok());
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(relkind(tx, schema, "graph_entities"), "none");
  EXPECT_EQ(relkind(tx, schema, "graph_relations"), "none");
  // Asking for them later creates them.
  store.reset();
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  EXPECT_EQ(relkind(tx, schema, "graph_entities"), "v");
  EXPECT_EQ(relkind(tx, schema, "graph_relations"), "v");
}

TEST(PostgresReferenceViews, AVersion2SchemaIsUpgradedWithItsData) {
  Server s = shared_server();
  std::string schema = unique_name("refup_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  ASSERT_TRUE(store->add_entity("t", entity("kept")).ok());
  store.reset();
  pqxx::connection c(s.admin_conninfo());
  {
    // What version 2 left: no views, no functions.
    pqxx::work tx(c);
    tx.exec("DROP VIEW " + schema + ".graph_entities, " + schema + ".graph_relations");
    for (const char* fn : {"graphstore_ref_entities_write()", "graphstore_ref_relations_write()",
                           "graphstore_ref_float4_le(real[])", "graphstore_ref_timestamp(bigint)",
                           "graphstore_ref_microseconds(timestamp)"})
      tx.exec("DROP FUNCTION " + schema + "." + fn);
    tx.exec("UPDATE " + schema + ".meta SET value = '2' WHERE key = 'schema_version'");
    tx.commit();
  }
  ASSERT_TRUE(open_store(app_options(s, schema, ",\"min_pool_size\":1"), &store).ok());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT value FROM " + schema + ".meta WHERE key = 'schema_version'")[0].as<std::string>(), "5");
  EXPECT_EQ(tx.exec1("SELECT id FROM " + schema + ".graph_entities")[0].as<std::string>(), "kept");
}

TEST(PostgresReferenceViews, RowLevelSecurityAppliesThroughTheViews) {
  Server s = shared_server();
  std::string schema = unique_name("refrls_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(
      open_store(app_options(s, schema, ",\"min_pool_size\":1,\"row_level_security\":true"), &store).ok());
  ASSERT_TRUE(store->add_entity("a", entity("a1")).ok());
  ASSERT_TRUE(store->add_entity("b", entity("b1")).ok());
  ASSERT_TRUE(store->add_entity("b", entity("b2")).ok());
  pqxx::connection c("host=" + s.host + " port=" + std::to_string(s.port) +
                     " user=gs_app dbname=graphstore password=" + kAppPassword);
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM " + schema + ".graph_entities")[0].as<int>(), 0)
      << "no tenant set: nothing visible";
  tx.exec("SELECT set_config('graphstore.tenant', 'b', true)");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM " + schema + ".graph_entities")[0].as<int>(), 2);
  EXPECT_EQ(tx.exec("DELETE FROM " + schema + ".graph_entities WHERE id = 'a1'").affected_rows(), 0u)
      << "another tenant's rows cannot be deleted";
  tx.commit();
  Entity got;
  EXPECT_TRUE(store->get_entity("a", "a1", &got).ok());
}

}  // namespace
}  // namespace graphstore::pgtest
