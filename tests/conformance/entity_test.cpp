// Tier 1 entity calls: add, get, update, delete, for_each, and their statuses.
#include <algorithm>
#include <chrono>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Entities);

Timestamp now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Entity full_entity() {
  Entity e = make_entity("alice", "Person", R"({"name":"Alice","age":30,"tags":["a","b"],"nested":{"x":null}})",
                         {0.25f, -1.5f, 3.0f});
  e.created_at = 1'600'000'000'000'000;
  e.updated_at = 1'600'000'000'000'123;
  e.source = "import.jsonl";
  return e;
}

TEST_P(Entities, AddThenGetReturnsEveryField) {
  Entity e = full_entity();
  GS_ASSERT_OK(store().add_entity("", e));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  EXPECT_EQ(got, e);
}

TEST_P(Entities, TenantIdOfTheResultIsTheCallsTenant) {
  Entity e = full_entity();
  GS_ASSERT_OK(store().add_entity("acme", e));
  Entity got;
  GS_ASSERT_OK(store().get_entity("acme", "alice", &got));
  e.tenant_id = "acme";
  EXPECT_EQ(got, e);
}

TEST_P(Entities, ZeroTimestampsBecomeNowAndUpdatedAtEqualsCreatedAt) {
  Timestamp before = now_us();
  GS_ASSERT_OK(store().add_entity("", make_entity("bob")));
  Timestamp after = now_us();
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "bob", &got));
  EXPECT_GE(got.created_at, before);
  EXPECT_LE(got.created_at, after);
  EXPECT_EQ(got.updated_at, got.created_at);
}

TEST_P(Entities, AbsentAndEmptySourceStayDistinct) {
  Entity none = make_entity("none");
  Entity empty = make_entity("empty");
  empty.source = "";
  GS_ASSERT_OK(store().add_entity("", none));
  GS_ASSERT_OK(store().add_entity("", empty));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "none", &got));
  EXPECT_FALSE(got.source.has_value());
  GS_ASSERT_OK(store().get_entity("", "empty", &got));
  ASSERT_TRUE(got.source.has_value());
  EXPECT_EQ(*got.source, "");
}

TEST_P(Entities, DuplicateIdIsAlreadyExistsAndKeepsTheOriginal) {
  Entity e = full_entity();
  GS_ASSERT_OK(store().add_entity("", e));
  Entity other = make_entity("alice", "Robot", R"({"v":2})");
  GS_EXPECT_CODE(store().add_entity("", other), kAlreadyExists);
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  EXPECT_EQ(got, e);
}

TEST_P(Entities, MissingIdIsNotFoundForGetUpdateDelete) {
  Entity got;
  GS_EXPECT_CODE(store().get_entity("", "ghost", &got), kNotFound);
  GS_EXPECT_CODE(store().update_entity("", make_entity("ghost")), kNotFound);
  GS_EXPECT_CODE(store().delete_entity("", "ghost"), kNotFound);
  GS_EXPECT_CODE(store().get_entity("tenant-x", "ghost", &got), kNotFound);
  EXPECT_TRUE(all_entities(store(), "").empty());
}

TEST_P(Entities, AFailedGetLeavesNoEarlierRecordInTheOutput) {
  GS_ASSERT_OK(store().add_entity("", full_entity()));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  GS_EXPECT_CODE(store().get_entity("", "ghost", &got), kNotFound);
  EXPECT_EQ(got, Entity{});
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  GS_EXPECT_CODE(store().get_entity("", "", &got), kInvalidArgument);
  EXPECT_EQ(got, Entity{});
}

TEST_P(Entities, UpdateReplacesEveryFieldButIdAndCreatedAt) {
  Entity e = full_entity();
  GS_ASSERT_OK(store().add_entity("", e));
  Entity u = make_entity("alice", "Robot", R"({"model":"T-1000"})", {9.0f, 8.0f, 7.0f});
  u.created_at = 42;  // must be ignored
  u.updated_at = 1'700'000'000'000'000;
  u.source = "manual";
  GS_ASSERT_OK(store().update_entity("", u));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  Entity want = u;
  want.created_at = e.created_at;
  EXPECT_EQ(got, want);
}

TEST_P(Entities, UpdateCanRemoveEmbeddingAndSource) {
  GS_ASSERT_OK(store().add_entity("", full_entity()));
  Entity u = make_entity("alice", "Person", "{}");
  u.updated_at = 5;
  GS_ASSERT_OK(store().update_entity("", u));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  EXPECT_TRUE(got.embedding.empty());
  EXPECT_FALSE(got.source.has_value());
  EXPECT_EQ(got.properties, "{}");
  EXPECT_EQ(got.updated_at, 5);
}

TEST_P(Entities, UpdateWithZeroUpdatedAtStampsNow) {
  Entity e = full_entity();
  GS_ASSERT_OK(store().add_entity("", e));
  Timestamp before = now_us();
  GS_ASSERT_OK(store().update_entity("", make_entity("alice")));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "alice", &got));
  EXPECT_GE(got.updated_at, before);
  EXPECT_EQ(got.created_at, e.created_at);
}

TEST_P(Entities, DeleteRemovesOnlyThatEntityAndTheIdCanBeReused) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("", make_entity("b")));
  GS_ASSERT_OK(store().delete_entity("", "a"));
  Entity got;
  GS_EXPECT_CODE(store().get_entity("", "a", &got), kNotFound);
  GS_EXPECT_OK(store().get_entity("", "b", &got));
  GS_EXPECT_CODE(store().delete_entity("", "a"), kNotFound);
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "Org", R"({"second":true})")));
  GS_ASSERT_OK(store().get_entity("", "a", &got));
  EXPECT_EQ(got.entity_type, "Org");
  EXPECT_EQ(got.properties, R"({"second":true})");
}

TEST_P(Entities, ForEachVisitsEveryEntityOnceAndStopsWhenAsked) {
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    ids.push_back("e" + std::to_string(i));
    GS_ASSERT_OK(store().add_entity("", make_entity(ids.back())));
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids_of(all_entities(store(), "")), ids);
  int visits = 0;
  GS_EXPECT_OK(store().for_each_entity("", [&](const Entity&) { return ++visits < 3; }));
  EXPECT_EQ(visits, 3);
}

TEST_P(Entities, EmptyStoreHasNothing) {
  EXPECT_TRUE(all_entities(store(), "").empty());
  EXPECT_TRUE(all_relations(store(), "").empty());
  std::vector<std::string> tenants;
  GS_EXPECT_OK(store().list_tenants(&tenants));
  EXPECT_TRUE(tenants.empty());
  Stats stats;
  GS_EXPECT_OK(store().get_stats("", &stats));
  EXPECT_EQ(stats, Stats{});
}

TEST_P(Entities, ListTenantsNamesNonGlobalTenantsHoldingDataSorted) {
  GS_ASSERT_OK(store().add_entity("", make_entity("g")));
  GS_ASSERT_OK(store().add_entity("zeta", make_entity("z")));
  GS_ASSERT_OK(store().add_entity("Alpha_1", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("beta-2", make_entity("b")));
  std::vector<std::string> tenants;
  GS_ASSERT_OK(store().list_tenants(&tenants));
  EXPECT_EQ(tenants, (std::vector<std::string>{"Alpha_1", "beta-2", "zeta"}));
}

TEST_P(Entities, UnknownOptionIsInvalidArgumentNamingTheKey) {
  std::unique_ptr<Store> other;
  Status s = open_with_extra_options(R"({"no_such_option_xyz":1})", &other);
  EXPECT_TRUE(HasCode(s, Code::kInvalidArgument));
  EXPECT_NE(s.message().find("no_such_option_xyz"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace graphstore::conformance
