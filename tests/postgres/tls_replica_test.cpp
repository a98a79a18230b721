// TLS against a server with a self-signed certificate,
// and read replicas (a streaming standby made with pg_basebackup -R).
#include <chrono>
#include <thread>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

using namespace std::chrono_literals;

bool ssl_in_use(const Server& s, const std::string& app) {
  pqxx::connection c(s.admin_conninfo() + " sslmode=disable");
  pqxx::nontransaction tx(c);
  pqxx::result r = tx.exec_params(
      "SELECT bool_and(l.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl l ON l.pid = a.pid "
      "WHERE a.application_name = $1",
      app);
  return !r[0][0].is_null() && r[0][0].as<bool>();
}

TEST(PostgresTls, RequireAndVerifyFullConnectAWrongCaFailsClearly) {
  PrivateCluster cluster("--ssl");
  ASSERT_TRUE(cluster.ok()) << "could not start a TLS cluster";
  const Server& s = cluster.server();
  std::unique_ptr<Store> store;
  Status st = open_store(
      options_for(s, "tls_require", ",\"sslmode\":\"require\",\"min_pool_size\":1,\"application_name\":\"tls_req\""),
      &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  EXPECT_TRUE(ssl_in_use(s, "tls_req"));
  store.reset();

  st = open_store(options_for(s, "tls_verify",
                              ",\"sslmode\":\"verify-full\",\"sslrootcert\":\"" + s.tls_dir +
                                  "/ca.crt\",\"min_pool_size\":1,\"application_name\":\"tls_full\""),
                  &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  Entity e;
  EXPECT_TRUE(store->add_entity("", entity("b")).ok());
  EXPECT_TRUE(ssl_in_use(s, "tls_full"));
  store.reset();

  st = open_store(options_for(s, "tls_wrong",
                              ",\"ssl\":true,\"sslmode\":\"verify-full\",\"sslrootcert\":\"" + s.tls_dir +
                                  "/wrong-ca.crt\""),
                  &store);
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.to_string();
  EXPECT_NE(st.message().find("certificate verify failed"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("verify-full"), std::string::npos) << st.message();
}

// Waits until the standby's replay has an entity (true) or gives up.
bool replicated(const Server& standby, const std::string& schema, const std::string& id) {
  for (int i = 0; i < 200; ++i) {
    try {
      pqxx::connection c(standby.admin_conninfo());
      pqxx::nontransaction tx(c);
      if (tx.exec_params("SELECT to_regclass($1) IS NOT NULL", schema + ".entities")[0][0].as<bool>() &&
          tx.exec_params("SELECT count(*) FROM " + schema + ".entities WHERE id = $1", id)[0][0].as<int>() == 1)
        return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(PostgresReplicas, ReadsGoToTheReplicaWritesToThePrimaryAndFallBack) {
  PrivateCluster primary;
  ASSERT_TRUE(primary.ok());
  PrivateCluster standby("--standby-of " + std::to_string(primary.server().port));
  ASSERT_TRUE(standby.ok()) << "could not start the standby";
  const Server& p = primary.server();
  const Server& r = standby.server();
  std::string replicas = ",\"read_replicas\":[{\"port\":" + std::to_string(r.port) + "}]";
  std::unique_ptr<Store> store;
  Status st = open_store(options_for(p, "repl", replicas + ",\"min_pool_size\":1,\"application_name\":\"repl_app\""),
                         &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  ASSERT_TRUE(store->add_entity("", entity("x")).ok()) << "writes go to the primary";
  ASSERT_TRUE(replicated(r, "repl", "x"));
  Entity e;
  ASSERT_TRUE(store->get_entity("", "x", &e).ok());
  {
    // The store's reading connection is on the standby, which is in recovery.
    pqxx::connection c(r.admin_conninfo());
    pqxx::nontransaction tx(c);
    EXPECT_TRUE(tx.exec("SELECT pg_is_in_recovery()")[0][0].as<bool>());
    EXPECT_GE(tx.exec("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'repl_app'")[0][0].as<int>(),
              1);
    tx.exec("SELECT pg_wal_replay_pause()");
  }
  // With replay paused a new write is on the primary only: a read that does
  // not see it was served by the replica (eventual consistency).
  ASSERT_TRUE(store->add_entity("", entity("y")).ok());
  Status stale = store->get_entity("", "y", &e);
  EXPECT_EQ(stale.code(), Code::kNotFound) << "the read went to the paused replica: " << stale.to_string();

  // read_your_writes: a read after this store's own write goes to the
  // primary until the replica has replayed it.
  std::unique_ptr<Store> ryw;
  ASSERT_TRUE(open_store(options_for(p, "repl", replicas + ",\"min_pool_size\":1,\"read_consistency\":\"read_your_writes\""),
                         &ryw)
                  .ok());
  ASSERT_TRUE(ryw->add_entity("", entity("z")).ok());
  Status fresh = ryw->get_entity("", "z", &e);
  EXPECT_TRUE(fresh.ok()) << fresh.to_string();
  {
    pqxx::connection c(r.admin_conninfo());
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_wal_replay_resume()");
  }
  ASSERT_TRUE(replicated(r, "repl", "y"));
  EXPECT_TRUE(store->get_entity("", "y", &e).ok());

  // Replica gone: reads fall back to the primary.
  standby.stop();
  for (const char* id : {"x", "y", "z"}) {
    Status st2 = store->get_entity("", id, &e);
    EXPECT_TRUE(st2.ok()) << id << ": " << st2.to_string();
  }
  std::vector<Entity> all;
  EXPECT_TRUE(store->for_each_entity("", [&](const Entity& x) { return all.push_back(x), true; }).ok());
  EXPECT_EQ(all.size(), 3u);
}

}  // namespace
}  // namespace graphstore::pgtest
