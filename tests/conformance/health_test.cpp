// Health and metrics on every backend: the probe answers whether or not its
// id exists, and metrics_text is valid Prometheus text holding gauges
// exactly when the plugin claims the "gauges" capability (and, with metrics
// on, the calls just made).
#include <algorithm>

#include "conformance.hpp"
#include "prometheus_text.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Health);

TEST_P(Health, ProbeAnswersWhetherOrNotItsIdExists) {
  double seconds = -1;
  GS_ASSERT_OK(store().probe(&seconds));
  EXPECT_GE(seconds, 0);
  GS_ASSERT_OK(store().add_entity("", make_entity("graphstore:health-probe")));
  GS_ASSERT_OK(store().probe());
}

TEST_P(Health, MetricsTextIsValidWithTheClaimedGauges) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  std::string text;
  GS_ASSERT_OK(store().metrics_text(&text));
  test::Exposition e;
  ASSERT_EQ(test::parse_prometheus(text, &e), "") << text;
  const auto& caps = store().plugin().capabilities;
  bool claims_gauges = std::find(caps.begin(), caps.end(), "gauges") != caps.end();
  size_t gauges = std::count_if(e.types.begin(), e.types.end(), [](const auto& t) { return t.second == "gauge"; });
  EXPECT_EQ(gauges > 0, claims_gauges) << text;
  double added = e.value("graphstore_backend_calls_total", {{"op", "add_entity"}, {"status", "OK"}});
  if (store().metrics_enabled())
    EXPECT_EQ(added, 1) << text;
  else
    EXPECT_TRUE(std::isnan(added)) << text;
}

TEST_P(Health, StateIsGivenExactlyWhenClaimed) {
  std::vector<std::pair<std::string, std::string>> state;
  GS_ASSERT_OK(store().state(&state));
  const auto& caps = store().plugin().capabilities;
  bool claims_state = std::find(caps.begin(), caps.end(), "state") != caps.end();
  EXPECT_EQ(!state.empty(), claims_state);
  for (const auto& [key, value] : state) EXPECT_FALSE(key.empty()) << value;
}

}  // namespace
}  // namespace graphstore::conformance
