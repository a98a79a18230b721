// The pool (eager minimum, waiting, RESOURCE_EXHAUSTED naming
// the size, shared by name), broken connections replaced, and a server
// restart costing only the calls in flight.
#include <chrono>
#include <thread>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {
namespace {

using namespace std::chrono_literals;

// Waits until n backends of application_name wait for a lock.
bool wait_for_lock_waiters(const Server& s, const std::string& app, int n) {
  pqxx::connection c(s.admin_conninfo());
  for (int i = 0; i < 200; ++i) {
    pqxx::nontransaction tx(c);
    int waiting = tx.exec_params("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
                                 "AND wait_event_type = 'Lock'",
                                 app)[0][0]
                      .as<int>();
    if (waiting >= n) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

int backend_pid(const Server& s, const std::string& app) {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  pqxx::result r = tx.exec_params("SELECT pid FROM pg_stat_activity WHERE application_name = $1", app);
  return r.empty() ? 0 : r[0][0].as<int>();
}

void terminate(const Server& s, int pid) {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  tx.exec_params("SELECT pg_terminate_backend($1)", pid);
}

TEST(PostgresPool, MinPoolSizeConnectionsAreOpenAfterOpen) {
  Server s = shared_server();
  std::string schema = unique_name("pool_min_");
  std::unique_ptr<Store> store;
  Status st = open_store(options_for(s, schema, ",\"min_pool_size\":4,\"application_name\":\"" + schema + "\""), &store);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(count_connections(s, schema), 4);
  store.reset();
  EXPECT_EQ(count_connections_when_settled(s, schema, 0), 0) << "closing the store closes its connections";
}

TEST(PostgresPool, DefaultMinimumIsFive) {
  Server s = shared_server();
  std::string schema = unique_name("pool_default_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(s, schema, ",\"application_name\":\"" + schema + "\""), &store).ok());
  EXPECT_EQ(count_connections(s, schema), 5);
}

TEST(PostgresPool, ExhaustedPoolWaitsAcquireTimeoutThenNamesItsSize) {
  Server s = shared_server();
  std::string schema = unique_name("pool_full_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(s, schema,
                                     ",\"min_pool_size\":0,\"max_pool_size\":2,\"acquire_timeout\":0.5,"
                                     "\"application_name\":\"" +
                                         schema + "\""),
                         &store)
                  .ok());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());

  // Two calls hold both connections, blocked on a lock another session holds.
  pqxx::connection admin(s.admin_conninfo());
  pqxx::work lock(admin);
  lock.exec("LOCK TABLE " + schema + ".entities IN ACCESS EXCLUSIVE MODE");
  std::vector<Status> blocked(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      Entity e;
      blocked[i] = store->get_entity("", "a", &e);
    });
  ASSERT_TRUE(wait_for_lock_waiters(s, schema, 2));

  auto t0 = std::chrono::steady_clock::now();
  Entity e;
  Status st = store->get_entity("", "a", &e);
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(st.code(), Code::kResourceExhausted) << st.to_string();
  EXPECT_NE(st.message().find("connection pool exhausted"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("max_pool_size 2"), std::string::npos) << st.message();
  EXPECT_GE(waited, 0.45);
  EXPECT_LT(waited, 5.0);

  lock.commit();
  for (auto& t : threads) t.join();
  for (const Status& b : blocked) EXPECT_TRUE(b.ok()) << b.to_string();
  EXPECT_TRUE(store->get_entity("", "a", &e).ok()) << "the pool serves again once a connection comes back";
}

TEST(PostgresPool, BrokenConnectionIsReplacedNotReused) {
  Server s = shared_server();
  std::string schema = unique_name("pool_broken_");
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(s, schema,
                                     ",\"min_pool_size\":1,\"max_pool_size\":1,\"application_name\":\"" + schema +
                                         "\""),
                         &store)
                  .ok());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  int first = backend_pid(s, schema);
  ASSERT_NE(first, 0);

  // An idle connection the server ended is noticed before it is lent.
  terminate(s, first);
  std::this_thread::sleep_for(200ms);
  Entity e;
  Status st = store->get_entity("", "a", &e);
  EXPECT_TRUE(st.ok()) << st.to_string();
  int second = backend_pid(s, schema);
  EXPECT_NE(second, first);
  EXPECT_NE(second, 0);

  // A connection that breaks under a call costs that call UNAVAILABLE; the
  // next call gets a new connection.
  pqxx::connection admin(s.admin_conninfo());
  pqxx::work lock(admin);
  lock.exec("LOCK TABLE " + schema + ".entities IN ACCESS EXCLUSIVE MODE");
  Status in_flight;
  std::thread t([&] {
    Entity x;
    in_flight = store->get_entity("", "a", &x);
  });
  ASSERT_TRUE(wait_for_lock_waiters(s, schema, 1));
  terminate(s, second);
  t.join();
  lock.commit();
  EXPECT_EQ(in_flight.code(), Code::kUnavailable) << in_flight.to_string();
  st = store->get_entity("", "a", &e);
  EXPECT_TRUE(st.ok()) << st.to_string();
  int third = backend_pid(s, schema);
  EXPECT_NE(third, second);
  EXPECT_EQ(count_connections_when_settled(s, schema, 1), 1);
}

TEST(PostgresPool, StoresNamingOnePoolShareItsConnections) {
  Server s = shared_server();
  std::string schema = unique_name("pool_shared_");
  std::string extra = ",\"min_pool_size\":2,\"pool\":\"" + schema + "\",\"application_name\":\"" + schema + "\"";
  std::unique_ptr<Store> a, b;
  ASSERT_TRUE(open_store(options_for(s, schema, extra), &a).ok());
  ASSERT_TRUE(open_store(options_for(s, schema, extra), &b).ok());
  EXPECT_EQ(count_connections(s, schema), 2);
  ASSERT_TRUE(a->add_entity("", entity("x")).ok());
  Entity e;
  EXPECT_TRUE(b->get_entity("", "x", &e).ok());
  std::unique_ptr<Store> c;
  Status st = open_store(options_for(s, schema, ",\"min_pool_size\":3,\"pool\":\"" + schema + "\""), &c);
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << "same pool name, other sizes: " << st.to_string();
}

TEST(PostgresPool, ServerRestartCostsOnlyTheCallsInFlight) {
  PrivateCluster cluster;
  ASSERT_TRUE(cluster.ok()) << "could not start a private PostgreSQL cluster";
  const Server& s = cluster.server();
  std::unique_ptr<Store> busy, idle;
  ASSERT_TRUE(open_store(options_for(s, "restart", ",\"min_pool_size\":2,\"max_pool_size\":4"), &busy).ok());
  ASSERT_TRUE(open_store(options_for(s, "restart", ",\"min_pool_size\":3,\"max_pool_size\":3"), &idle).ok());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(busy->add_entity("", entity("e" + std::to_string(i))).ok());

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, unavailable{0}, other{0};
  std::string other_message;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        Entity e;
        Status st = busy->get_entity("", "e" + std::to_string((i + t) % 50), &e);
        if (st.ok()) {
          ++ok;
        } else if (st.code() == Code::kUnavailable) {
          ++unavailable;
        } else {
          ++other;
          std::lock_guard<std::mutex> lock(mu);
          other_message = st.to_string();
        }
      }
    });
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(cluster.restart());
  std::this_thread::sleep_for(300ms);
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0) << other_message;
  EXPECT_GT(ok.load(), 0);

  // The idle store's three connections all died with the old server: every
  // call after the restart still succeeds.
  for (int i = 0; i < 10; ++i) {
    Entity e;
    Status st = idle->get_entity("", "e" + std::to_string(i), &e);
    EXPECT_TRUE(st.ok()) << "call " << i << " after the restart: " << st.to_string();
  }
  EXPECT_TRUE(busy->add_entity("", entity("after")).ok());
  std::vector<Entity> all;
  ASSERT_TRUE(busy->for_each_entity("", [&](const Entity& e) {
                    all.push_back(e);
                    return true;
                  }).ok());
  EXPECT_EQ(all.size(), 51u);
}

}  // namespace
}  // namespace graphstore::pgtest
