// Health and metrics of the postgres plugin: the pool's gauges in valid
// Prometheus text, and a probe that turns UNAVAILABLE (and is counted so)
// when the server goes away, and OK again when it is back.
#include <gtest/gtest.h>

#include "pg_test_support.hpp"
#include "prometheus_text.hpp"

namespace graphstore::pgtest {
namespace {

test::Exposition scrape(Store& store) {
  std::string text;
  Status s = store.metrics_text(&text);
  EXPECT_TRUE(s.ok()) << s.to_string();
  test::Exposition e;
  EXPECT_EQ(test::parse_prometheus(text, &e), "") << text;
  return e;
}

TEST(PostgresMetrics, PoolGaugesFollowThePool) {
  Server s = shared_server();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(
      open_store(options_for(s, unique_name("metrics_"), ",\"min_pool_size\":2,\"max_pool_size\":7"), &store).ok());
  test::Exposition e = scrape(*store);
  EXPECT_EQ(e.value("graphstore_backend_pool_connections_max", {{"backend", "postgres"}}), 7);
  EXPECT_GE(e.value("graphstore_backend_pool_connections_open", {}), 2);
  EXPECT_EQ(e.value("graphstore_backend_pool_connections_in_use", {}), 0);
  EXPECT_EQ(e.value("graphstore_backend_replica_pools", {}), 0);
}

TEST(PostgresMetrics, ProbeFollowsTheServerDownAndUp) {
  PrivateCluster cluster;
  ASSERT_TRUE(cluster.ok()) << "could not start a private PostgreSQL cluster";
  std::unique_ptr<Store> store;
  ASSERT_TRUE(
      open_store(options_for(cluster.server(), "probe", ",\"min_pool_size\":1,\"max_pool_size\":2"), &store).ok());
  store->enable_metrics();
  double seconds = 0;
  Status st = store->probe(&seconds);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_GT(seconds, 0);

  cluster.stop();
  st = store->probe();
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.to_string();
  test::Exposition e = scrape(*store);
  EXPECT_EQ(e.value("graphstore_backend_calls_total", {{"op", "get_entity"}, {"status", "NOT_FOUND"}}), 1);
  EXPECT_EQ(e.value("graphstore_backend_calls_total", {{"op", "get_entity"}, {"status", "UNAVAILABLE"}}), 1);
}

}  // namespace
}  // namespace graphstore::pgtest
