// Security and the options: row-level security for a
// non-superuser role, bound parameters and validated identifiers, no password
// in messages, concurrent initialisation, pgvector's clear failure.
#include <thread>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

TEST(PostgresSecurity, WrongPasswordIsPermissionDeniedWithoutThePassword) {
  Server s = shared_server();
  const std::string secret = "Wr0ng-Pa55word-XYZ";
  std::unique_ptr<Store> store;
  Status st = open_store(options_for(s, "pw", ",\"password\":\"" + secret + "\"", "gs_app"), &store);
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.to_string();
  EXPECT_NE(st.message().find("password authentication failed"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find(secret), std::string::npos) << st.message();

  const std::string in_dsn = "Secret-In-Dsn-123";
  st = open_store("{\"dsn\":\"postgresql://gs_app:" + in_dsn + "@" + s.host + ":" + std::to_string(s.port) +
                      "/graphstore\"}",
                  &store);
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.to_string();
  EXPECT_EQ(st.message().find(in_dsn), std::string::npos) << st.message();
}

TEST(PostgresSecurity, RightPasswordAndDsnConnect) {
  Server s = shared_server();
  std::unique_ptr<Store> store;
  Status st = open_store(app_options(s, unique_name("pw_ok_")), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  st = open_store("{\"dsn\":\"postgresql://gs_app:" + std::string(kAppPassword) + "@" + s.host + ":" +
                      std::to_string(s.port) + "/graphstore\",\"schema\":\"" + unique_name("dsn_") + "\"}",
                  &store);
  EXPECT_TRUE(st.ok()) << st.to_string();
}

TEST(PostgresSecurity, SchemaMustBeAValidIdentifier) {
  Server s = shared_server();
  std::unique_ptr<Store> store;
  for (const char* bad : {"x\\\"; DROP SCHEMA public; --", "1abc", "", "a-b", "toolong_toolong_toolong_toolong_toolong_toolong_toolong_toolong_"}) {
    Status st = open_store(options_for(s, bad), &store);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find("option 'schema'"), std::string::npos) << st.message();
  }
}

TEST(PostgresSecurity, ValuesAreBoundNeverSpliced) {
  Server s = shared_server();
  std::string schema = unique_name("inject_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(s, schema), &store).ok());
  const std::string evil = "x'); DROP TABLE " + schema + ".entities; --";
  Entity e = entity(evil, "T'ype\"", R"({"q":"' OR 1=1 --","b":"\\"})");
  e.source = "$1 $$ \\ '";
  e.created_at = e.updated_at = 5;
  ASSERT_TRUE(store->add_entity("", e).ok());
  ASSERT_TRUE(store->add_entity("", entity("y")).ok());
  Relation r;
  r.id = "r'); --";
  r.relation_type = "K'";
  r.source_id = evil;
  r.target_id = "y";
  ASSERT_TRUE(store->add_relation("", r).ok());
  Entity got;
  ASSERT_TRUE(store->get_entity("", evil, &got).ok());
  EXPECT_EQ(got, e);
  std::vector<ScoredEntity> hits;
  ASSERT_TRUE(store->text_search("", TextQuery{"' OR 1=1 --", TextMethod::kJaccard, 10, "", 0.0}, &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, evil);
}

TEST(PostgresSecurity, UnknownAndBadOptionsNameTheKey) {
  Server s = shared_server();
  std::unique_ptr<Store> store;
  Status st = open_store("{\"hots\":\"127.0.0.1\"}", &store);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_NE(st.message().find("option 'hots'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("did you mean 'host'"), std::string::npos) << st.message();
  st = open_store(options_for(s, "x", ",\"sslmode\":\"sometimes\""), &store);
  EXPECT_NE(st.message().find("option 'sslmode'"), std::string::npos) << st.message();
  st = open_store(options_for(s, "x", ",\"min_pool_size\":30,\"max_pool_size\":20"), &store);
  EXPECT_NE(st.message().find("option 'min_pool_size'"), std::string::npos) << st.message();
  st = open_store(options_for(s, "x", ",\"read_replicas\":[{\"hots\":\"a\"}]"), &store);
  EXPECT_NE(st.message().find("option 'read_replicas[0].hots'"), std::string::npos) << st.message();
}

TEST(PostgresSecurity, PgvectorMissingFailsInitializeSayingSo) {
  Server s = shared_server();
  std::unique_ptr<Store> store;
  Status st = open_store(options_for(s, unique_name("vec_"), ",\"enable_pgvector\":true"), &store);
  EXPECT_EQ(st.code(), Code::kUnsupported) << st.to_string();
  EXPECT_NE(st.message().find("pgvector"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("enable_pgvector"), std::string::npos) << st.message();
}

TEST(PostgresSchema, ManyStoresInitialiseOneSchemaAtOnce) {
  Server s = shared_server();
  std::string schema = unique_name("init_");
  std::vector<std::thread> threads;
  std::vector<Status> results(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      std::unique_ptr<Store> store;
      results[i] = open_store(options_for(s, schema, ",\"min_pool_size\":1"), &store);
    });
  for (auto& t : threads) t.join();
  for (const Status& r : results) EXPECT_TRUE(r.ok()) << r.to_string();
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec("SELECT value FROM " + schema + ".meta WHERE key = 'schema_version'")[0][0].as<std::string>(), "5");
  // 15 on the tables of version 3, and text_stats_by_tenant of version 4.
  EXPECT_EQ(tx.exec_params("SELECT count(*) FROM pg_indexes WHERE schemaname = $1", schema)[0][0].as<int>(), 16);
}

TEST(PostgresSchema, EveryFieldIsKeptInItsColumn) {
  Server s = shared_server();
  std::string schema = unique_name("cols_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(s, schema), &store).ok());
  Entity a = entity("a", "P", R"({"k": [1, "two"],  "k": 3})");
  a.created_at = 1600000000000001;
  a.updated_at = 1600000000000002;
  a.source = "src";
  ASSERT_TRUE(store->add_entity("acme", a).ok());
  ASSERT_TRUE(store->add_entity("acme", entity("b")).ok());
  Relation r;
  r.id = "r";
  r.relation_type = "K";
  r.source_id = "a";
  r.target_id = "b";
  r.weight = 0.0;
  ASSERT_TRUE(store->add_relation("acme", r).ok());
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  pqxx::row e = tx.exec1("SELECT tenant_id, properties, properties_jsonb::text, created_at, updated_at, source FROM " +
                         schema + ".entities WHERE id = 'a'");
  EXPECT_EQ(e[0].as<std::string>(), "acme");
  EXPECT_EQ(e[1].as<std::string>(), a.properties) << "the text is kept byte for byte";
  EXPECT_EQ(e[2].as<std::string>(), "{\"k\": 3}") << "jsonb keeps the last duplicate key";
  EXPECT_EQ(e[3].as<int64_t>(), a.created_at);
  EXPECT_EQ(e[5].as<std::string>(), "src");
  pqxx::row rel = tx.exec1("SELECT weight, pg_typeof(weight)::text FROM " + schema + ".relations WHERE id = 'r'");
  EXPECT_EQ(rel[0].as<double>(), 0.0);
  EXPECT_EQ(rel[1].as<std::string>(), "double precision");
  Relation got;
  ASSERT_TRUE(store->get_relation("acme", "r", &got).ok());
  EXPECT_EQ(got.weight, 0.0);
}

TEST(PostgresRls, TenantsSeeOnlyTheirOwnRowsAsANonSuperuser) {
  Server s = shared_server();
  std::string schema = unique_name("rls_");
  std::unique_ptr<Store> store;
  Status st = open_store(app_options(s, schema, ",\"row_level_security\":true,\"min_pool_size\":1"), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  ASSERT_TRUE(store->add_entity("a", entity("a1")).ok());
  ASSERT_TRUE(store->add_entity("a", entity("a2")).ok());
  ASSERT_TRUE(store->add_entity("b", entity("b1")).ok());
  ASSERT_TRUE(store->add_entity("", entity("g1")).ok());
  Relation r;
  r.id = "ra";
  r.relation_type = "K";
  r.source_id = "a1";
  r.target_id = "a2";
  ASSERT_TRUE(store->add_relation("a", r).ok());
  Entity e;
  EXPECT_TRUE(store->get_entity("a", "a1", &e).ok());
  EXPECT_EQ(store->get_entity("a", "b1", &e).code(), Code::kNotFound);
  EXPECT_TRUE(store->get_entity("", "g1", &e).ok());
  std::vector<std::string> tenants;
  ASSERT_TRUE(store->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"a", "b"}));

  // The policies themselves, on a raw session of the same role.
  pqxx::connection c("host=" + s.host + " port=" + std::to_string(s.port) +
                     " user=gs_app dbname=graphstore password=" + kAppPassword);
  pqxx::nontransaction tx(c);
  EXPECT_FALSE(tx.exec("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")[0][0].as<bool>());
  auto count = [&](const std::string& where) {
    return tx.exec("SELECT count(*) FROM " + schema + ".entities " + where)[0][0].as<int>();
  };
  EXPECT_EQ(count(""), 0) << "no tenant set: nothing visible";
  tx.exec_params("SELECT set_config('graphstore.tenant', $1, false)", "a");
  EXPECT_EQ(count(""), 2);
  EXPECT_EQ(count("WHERE tenant_id = 'b'"), 0) << "a query naming another tenant still sees nothing of it";
  EXPECT_EQ(tx.exec("SELECT count(*) FROM " + schema + ".relations")[0][0].as<int>(), 1);
  tx.exec_params("SELECT set_config('graphstore.include_global', $1, false)", "on");
  EXPECT_EQ(count(""), 3) << "the global namespace only when asked";
  EXPECT_THROW(tx.exec("INSERT INTO " + schema +
                       ".entities (tenant_id, id, entity_type, properties, created_at, updated_at) "
                       "VALUES ('b', 'sneak', 'T', '{}', 0, 0)"),
               pqxx::sql_error)
      << "a row for another tenant is refused";
}

// Under row-level security a session sees one tenant: clearing one tenant
// leaves the others, and clearing every tenant reaches each of them.
TEST(PostgresRls, ClearReachesEveryTenantUnderRowLevelSecurity) {
  Server s = shared_server();
  std::string schema = unique_name("rls_clear_");
  std::unique_ptr<Store> store;
  Status st = open_store(app_options(s, schema, ",\"row_level_security\":true,\"min_pool_size\":1"), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  for (const char* t : {"", "a", "b"}) {
    ASSERT_TRUE(store->add_entity(t, entity("x")).ok());
    ASSERT_TRUE(store->add_entity(t, entity("y")).ok());
  }
  Removed removed;
  ASSERT_TRUE(store->clear("a", ClearScope::kTenant, &removed).ok());
  EXPECT_EQ(removed, (Removed{2, 0}));
  Entity e;
  EXPECT_TRUE(store->get_entity("b", "x", &e).ok());
  EXPECT_TRUE(store->get_entity("", "x", &e).ok());
  st = store->clear("", ClearScope::kAllTenants, &removed);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(removed, (Removed{4, 0}));
  EXPECT_EQ(store->get_entity("b", "x", &e).code(), Code::kNotFound);
  EXPECT_EQ(store->get_entity("", "y", &e).code(), Code::kNotFound);
}

}  // namespace
}  // namespace graphstore::pgtest
