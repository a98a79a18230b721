// Store::probe, Store::enable_metrics and Store::metrics_text over the
// embedded backends: exact call counts by op and status, valid Prometheus
// text (parsed strictly), the plugins' gauges, and concurrent recording.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "prometheus_text.hpp"

namespace graphstore {
namespace {

using test::Exposition;
using test::parse_prometheus;

Registry& registry() {
  static Registry* r = new Registry({GRAPHSTORE_TEST_PLUGIN_DIR});
  return *r;
}

std::unique_ptr<Store> open(const std::string& id, const std::string& options = "{}") {
  std::unique_ptr<Store> store;
  Status s = registry().open(id, options, &store);
  EXPECT_TRUE(s.ok()) << s.to_string();
  return store;
}

Entity entity(const std::string& id) {
  Entity e;
  e.id = id;
  e.entity_type = "T";
  e.properties = R"({"name":"x"})";
  return e;
}

Exposition scrape(Store& store) {
  std::string text;
  Status s = store.metrics_text(&text);
  EXPECT_TRUE(s.ok()) << s.to_string();
  Exposition e;
  std::string problem = parse_prometheus(text, &e);
  EXPECT_EQ(problem, "") << text;
  return e;
}

double calls(const Exposition& e, const std::string& op, const std::string& status) {
  return e.value("graphstore_backend_calls_total", {{"op", op}, {"status", status}});
}

TEST(PrometheusText, TheCheckerRefusesBrokenExpositions) {
  Exposition e;
  const std::string head = "# TYPE h histogram\n";
  for (const std::string& bad : {
           std::string("x 1\n"),                                                          // no TYPE
           std::string("# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n"),                   // duplicate series
           std::string("# TYPE g gauge\ng{a=\"\\q\"} 1\n"),                               // bad escape
           std::string("# TYPE g gauge\ng 1"),                                            // no final newline
           std::string("# TYPE 9g gauge\n"),                                              // bad name
           head + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  // not cumulative
           head + "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                           // no +Inf
           head + "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",                        // count differs
       })
    EXPECT_NE(parse_prometheus(bad, &e), "") << bad;
  EXPECT_EQ(parse_prometheus(head + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3.5\nh_count 2\n", &e), "");
}

TEST(Metrics, EveryCallIsCountedByOpAndStatus) {
  auto store = open("inmemory");
  store->enable_metrics();
  ASSERT_TRUE(store->metrics_enabled());
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  ASSERT_TRUE(store->add_entity("", entity("b")).ok());
  ASSERT_EQ(store->add_entity("", entity("a")).code(), Code::kAlreadyExists);
  Entity out;
  ASSERT_TRUE(store->get_entity("", "a", &out).ok());
  ASSERT_EQ(store->get_entity("", "zz", &out).code(), Code::kNotFound);
  ASSERT_EQ(store->get_entity("t1", "a", &out).code(), Code::kNotFound);
  // Refused by the host before the plugin: no backend call to count.
  ASSERT_EQ(store->add_entity("", entity("")).code(), Code::kInvalidArgument);

  Exposition e = scrape(*store);
  EXPECT_EQ(calls(e, "add_entity", "OK"), 2);
  EXPECT_EQ(calls(e, "add_entity", "ALREADY_EXISTS"), 1);
  EXPECT_EQ(calls(e, "get_entity", "OK"), 1);
  EXPECT_EQ(calls(e, "get_entity", "NOT_FOUND"), 2);
  EXPECT_EQ(e.value("graphstore_backend_call_seconds_count", {{"op", "add_entity"}}), 3);
  EXPECT_EQ(e.value("graphstore_backend_call_seconds_count", {{"op", "get_entity"}}), 3);
  EXPECT_GT(e.value("graphstore_backend_call_seconds_sum", {{"op", "get_entity"}}), 0);
  EXPECT_TRUE(std::isnan(e.value("graphstore_backend_call_seconds_count", {{"op", "delete_entity"}})))
      << "ops never called are left out";
  for (const auto& s : e.samples) EXPECT_EQ(s.labels.at("backend"), "inmemory") << s.name;
  EXPECT_EQ(e.types.at("graphstore_backend_call_seconds"), "histogram");
  EXPECT_EQ(e.types.at("graphstore_backend_calls_total"), "counter");
}

TEST(Metrics, TierTwoDefaultsAreMeasuredAsTheCallsTheyMake) {
  auto store = open("inmemory");
  store->enable_metrics();
  store->set_force_defaults(true);
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  TraverseResult steps;
  ASSERT_TRUE(store->traverse("", "a", TraverseOptions{}, &steps).ok());
  Exposition e = scrape(*store);
  EXPECT_TRUE(std::isnan(calls(e, "traverse", "OK")));
  EXPECT_GE(calls(e, "get_neighbors", "OK") + calls(e, "get_entity", "OK"), 1);

  store->set_force_defaults(false);
  ASSERT_TRUE(store->traverse("", "a", TraverseOptions{}, &steps).ok());
  EXPECT_EQ(calls(scrape(*store), "traverse", "OK"), 1);  // the plugin's own slot
}

TEST(Metrics, WithoutMetricsOnlyTheGaugesAppear) {
  auto store = open("inmemory");
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  Exposition e = scrape(*store);
  EXPECT_EQ(e.types.count("graphstore_backend_call_seconds"), 1u);
  for (const auto& s : e.samples) EXPECT_EQ(s.name.find("graphstore_backend_call"), std::string::npos) << s.name;
  EXPECT_GT(e.value("graphstore_backend_memory_used_bytes", {}), 0);
  EXPECT_EQ(e.value("graphstore_backend_memory_limit_bytes", {}), 0);
  auto limited = open("inmemory", R"({"max_memory_mb": 64})");
  EXPECT_EQ(scrape(*limited).value("graphstore_backend_memory_limit_bytes", {}), 64.0 * 1024 * 1024);
}

TEST(Metrics, ConcurrentCallsAreAllCounted) {
  auto store = open("inmemory");
  store->enable_metrics();
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  constexpr int kThreads = 4, kCalls = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      Entity out;
      for (int i = 0; i < kCalls; ++i) (void)store->get_entity("", i % 2 ? "a" : "missing", &out);
    });
  for (auto& t : threads) t.join();
  Exposition e = scrape(*store);
  EXPECT_EQ(calls(e, "get_entity", "OK"), kThreads * kCalls / 2);
  EXPECT_EQ(calls(e, "get_entity", "NOT_FOUND"), kThreads * kCalls / 2);
  EXPECT_EQ(e.value("graphstore_backend_call_seconds_count", {{"op", "get_entity"}}), kThreads * kCalls);
}

TEST(Probe, EveryEmbeddedBackendAnswers) {
  auto dir = std::filesystem::temp_directory_path() / ("graphstore_health_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::pair<std::string, std::string>> backends = {
      {"inmemory", "{}"},
      {"sqlite", R"({"path": ":memory:"})"},
      {"sqlite", R"({"path": ")" + (dir / "h.db").string() + "\"}"}};
  for (const auto& [id, options] : backends) {
    auto store = open(id, options);
    ASSERT_NE(store, nullptr);
    double seconds = -1;
    Status s = store->probe(&seconds);
    EXPECT_TRUE(s.ok()) << id << " " << options << ": " << s.to_string();
    EXPECT_GT(seconds, 0) << id;
    EXPECT_LT(seconds, 1) << id;
  }
  std::filesystem::remove_all(dir);
}

TEST(Metrics, SqliteReportsItsReaderConnections) {
  auto dir = std::filesystem::temp_directory_path() / ("graphstore_health_sq_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = open("sqlite", R"({"path": ")" + (dir / "m.db").string() + "\"}");
  ASSERT_TRUE(store->add_entity("", entity("a")).ok());
  Entity out;
  ASSERT_TRUE(store->get_entity("", "a", &out).ok());  // a reader connection, returned to the pool
  Exposition e = scrape(*store);
  EXPECT_GE(e.value("graphstore_backend_reader_connections_idle", {}), 1);
  EXPECT_EQ(e.value("graphstore_backend_reader_connections_in_use", {}), 0);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace graphstore
