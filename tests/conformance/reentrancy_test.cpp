// A callback must not call the store whose call runs it (store.hpp): the
// Store refuses such a call with INVALID_ARGUMENT on every backend, whatever
// the plugin's threading. Under a GS_THREADING_SERIAL plugin (the old_abi
// registration) the same call used to wait for the mutex its own thread
// held, forever; here it comes back at once.
#include <string>
#include <vector>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Reentrancy);

constexpr const char* kRefusal = "called from inside a callback of the same store";

::testing::AssertionResult IsRefusal(const Status& s, const std::string& op) {
  if (s.is_invalid_argument() && s.message().find(op + " " + kRefusal) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected INVALID_ARGUMENT \"" << op << " " << kRefusal << "\", got "
                                       << s.to_string();
}

void add_three(Store& store) {
  for (const char* id : {"a", "b", "c"}) GS_ASSERT_OK(store.add_entity("", make_entity(id)));
  GS_ASSERT_OK(store.add_relation("", make_relation("ab", "a", "b")));
}

TEST_P(Reentrancy, ReadsFromAForEachCallbackAreRefusedAndTheWalkGoesOn) {
  add_three(store());
  std::vector<Status> inner;
  size_t visited = 0;
  GS_ASSERT_OK(store().for_each_entity("", [&](const Entity& e) {
    ++visited;
    Entity got;
    got.id = "stale";
    inner.push_back(store().get_entity("", e.id, &got));
    EXPECT_EQ(got, Entity{}) << "a refused read leaves its output empty";
    std::vector<Neighbor> neighbors;
    inner.push_back(store().get_neighbors("", e.id, Direction::kBoth, "", &neighbors));
    return true;
  }));
  EXPECT_EQ(visited, 3u);
  ASSERT_EQ(inner.size(), 6u);
  for (size_t i = 0; i < inner.size(); i += 2) {
    EXPECT_TRUE(IsRefusal(inner[i], "get_entity"));
    EXPECT_TRUE(IsRefusal(inner[i + 1], "get_neighbors"));
  }
}

TEST_P(Reentrancy, WritesFromAScanCallbackAreRefusedAndChangeNothing) {
  add_three(store());
  std::vector<Entity> before = all_entities(store(), "");
  std::vector<Status> inner;
  GS_ASSERT_OK(store().scan_entities("", ScanOptions{}, [&](const Entity& e) {
    inner.push_back(store().add_entity("", make_entity(e.id + "-copy")));
    inner.push_back(store().delete_entity("", e.id));
    return true;
  }));
  ASSERT_EQ(inner.size(), 6u);
  for (size_t i = 0; i < inner.size(); i += 2) {
    EXPECT_TRUE(IsRefusal(inner[i], "add_entity"));
    EXPECT_TRUE(IsRefusal(inner[i + 1], "delete_entity"));
  }
  EXPECT_EQ(all_entities(store(), ""), before);
}

TEST_P(Reentrancy, Tier2AndHealthCallsFromARelationCallbackAreRefused) {
  add_three(store());
  std::vector<Status> inner;
  GS_ASSERT_OK(store().for_each_relation("", [&](const Relation&) {
    TraverseResult hits;
    inner.push_back(store().traverse("", "a", TraverseOptions{}, &hits));
    Stats stats;
    inner.push_back(store().get_stats("", &stats));
    std::string metrics = "stale";
    inner.push_back(store().metrics_text(&metrics));
    EXPECT_EQ(metrics, "") << "a refused metrics_text leaves its output empty";
    return true;
  }));
  ASSERT_EQ(inner.size(), 3u);
  EXPECT_TRUE(IsRefusal(inner[0], "traverse"));
  EXPECT_TRUE(IsRefusal(inner[1], "get_stats"));
  EXPECT_TRUE(IsRefusal(inner[2], "metrics_text"));
}

TEST_P(Reentrancy, TheStoreAnswersNormallyOnceTheCallbackHasReturned) {
  add_three(store());
  Status inner;
  GS_ASSERT_OK(store().for_each_entity("", [&](const Entity&) {
    inner = store().add_entity("", make_entity("late"));
    return false;
  }));
  EXPECT_TRUE(IsRefusal(inner, "add_entity"));
  GS_ASSERT_OK(store().add_entity("", make_entity("late")));
  Entity got;
  GS_EXPECT_OK(store().get_entity("", "late", &got));
}

TEST_P(Reentrancy, AnExceptionFromTheCallbackLeavesTheStoreUsable) {
  add_three(store());
  EXPECT_THROW((void)store().for_each_entity("", [](const Entity&) -> bool { throw std::runtime_error("stop"); }),
               std::runtime_error);
  GS_EXPECT_OK(store().add_entity("", make_entity("after")));
}

TEST_P(Reentrancy, ACallbackMayCallAnotherStore) {
  std::unique_ptr<Store> other;
  if (!registry_->open("inmemory", "{}", &other).ok()) GTEST_SKIP() << "no inmemory plugin to call";
  add_three(store());
  GS_ASSERT_OK(store().for_each_entity("", [&](const Entity& e) {
    GS_EXPECT_OK(other->add_entity("", make_entity(e.id)));
    return true;
  }));
  EXPECT_EQ(ids_of(all_entities(*other, "")), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_P(Reentrancy, ACallThroughAnotherStoresCallbackIsStillRefused) {
  std::unique_ptr<Store> other;
  if (!registry_->open("inmemory", "{}", &other).ok()) GTEST_SKIP() << "no inmemory plugin to call";
  add_three(store());
  GS_ASSERT_OK(other->add_entity("", make_entity("x")));
  Status inner;
  GS_ASSERT_OK(store().for_each_entity("", [&](const Entity&) {
    GS_EXPECT_OK(other->for_each_entity("", [&](const Entity&) {
      inner = store().add_entity("", make_entity("loop"));
      return false;
    }));
    return false;
  }));
  EXPECT_TRUE(IsRefusal(inner, "add_entity"));
}

}  // namespace
}  // namespace graphstore::conformance
