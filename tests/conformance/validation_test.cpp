// Invalid input is INVALID_ARGUMENT and stores nothing, on every write path.
#include <cmath>
#include <limits>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Validation);

const char* const kBadProperties[] = {
    R"({"a":)",    // truncated
    R"({'a':1})",  // not JSON
    "",            // empty text
    "[1,2]",       // not an object
    R"("text")",
    "42",
    "null",
    R"({"a":1} {"b":2})",  // trailing garbage
};

const char* const kBadTenants[] = {"has space", "semi;colon", "slash/", "dot.dot", "é", "quote'"};

void expect_empty(Store& s) {
  EXPECT_TRUE(all_entities(s, "").empty());
  EXPECT_TRUE(all_relations(s, "").empty());
}

TEST_P(Validation, EmptyIdOrTypeIsInvalid) {
  GS_EXPECT_CODE(store().add_entity("", make_entity("")), kInvalidArgument);
  GS_EXPECT_CODE(store().add_entity("", make_entity("x", "")), kInvalidArgument);
  expect_empty(store());
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_EXPECT_CODE(store().add_relation("", make_relation("", "a", "a")), kInvalidArgument);
  GS_EXPECT_CODE(store().add_relation("", make_relation("r", "a", "a", "")), kInvalidArgument);
  GS_EXPECT_CODE(store().add_relation("", make_relation("r", "", "a")), kInvalidArgument);
  GS_EXPECT_CODE(store().update_entity("", make_entity("")), kInvalidArgument);
  EXPECT_TRUE(all_relations(store(), "").empty());
}

TEST_P(Validation, MalformedOrNonObjectPropertiesAreInvalid) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  for (const char* props : kBadProperties) {
    SCOPED_TRACE(std::string("properties: ") + props);
    GS_EXPECT_CODE(store().add_entity("", make_entity("x", "T", props)), kInvalidArgument);
    GS_EXPECT_CODE(store().update_entity("", make_entity("a", "T", props)), kInvalidArgument);
    Relation r = make_relation("r", "a", "a");
    r.properties = props;
    GS_EXPECT_CODE(store().add_relation("", r), kInvalidArgument);
  }
  EXPECT_EQ(ids_of(all_entities(store(), "")), (std::vector<std::string>{"a"}));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "a", &got));
  EXPECT_EQ(got.properties, "{}");
  EXPECT_TRUE(all_relations(store(), "").empty());
}

TEST_P(Validation, WeightOutsideZeroOneIsInvalid) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_relation("", make_relation("ok", "a", "a", "T", 0.5)));
  for (double w : {-0.001, 1.001, -1.0, 2.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    SCOPED_TRACE("weight " + std::to_string(w));
    GS_EXPECT_CODE(store().add_relation("", make_relation("r", "a", "a", "T", w)), kInvalidArgument);
    GS_EXPECT_CODE(store().update_relation("", make_relation("ok", "a", "a", "T", w)), kInvalidArgument);
  }
  EXPECT_EQ(ids_of(all_relations(store(), "")), (std::vector<std::string>{"ok"}));
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "ok", &got));
  EXPECT_EQ(got.weight, 0.5);
}

TEST_P(Validation, NonFiniteEmbeddingIsInvalid) {
  for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity()}) {
    GS_EXPECT_CODE(store().add_entity("", make_entity("x", "T", "{}", {1.0f, bad})), kInvalidArgument);
  }
  expect_empty(store());
}

TEST_P(Validation, InvalidUtf8IdIsInvalid) {
  GS_EXPECT_CODE(store().add_entity("", make_entity("bad\xff\xfe")), kInvalidArgument);
  GS_EXPECT_CODE(store().add_entity("", make_entity("half\xe6\x97")), kInvalidArgument);
  expect_empty(store());
}

TEST_P(Validation, RecordTenantDifferentFromTheCallsIsInvalid) {
  Entity e = make_entity("x");
  e.tenant_id = "other";
  GS_EXPECT_CODE(store().add_entity("mine", e), kInvalidArgument);
  e.tenant_id = "mine";
  GS_EXPECT_OK(store().add_entity("mine", e));
}

TEST_P(Validation, InvalidTenantIsInvalidOnEveryCall) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  std::vector<std::string> tenants(std::begin(kBadTenants), std::end(kBadTenants));
  tenants.push_back(std::string(256, 'a'));
  for (const auto& t : tenants) {
    SCOPED_TRACE("tenant '" + t.substr(0, 20) + "'");
    Entity e;
    Relation r;
    std::vector<Neighbor> n;
    TraverseResult tr;
    PathResult pr;
    Subgraph sg;
    std::vector<ScoredEntity> scored;
    Stats stats;
    BulkResult bulk;
    WriteBatch batch;
    batch.add_entity(make_entity("b"));
    std::vector<Entity> one{make_entity("b")};
    auto any_entity = [](const Entity&) { return true; };
    auto any_relation = [](const Relation&) { return true; };
    GS_EXPECT_CODE(store().add_entity(t, make_entity("b")), kInvalidArgument);
    GS_EXPECT_CODE(store().get_entity(t, "a", &e), kInvalidArgument);
    GS_EXPECT_CODE(store().update_entity(t, make_entity("a")), kInvalidArgument);
    GS_EXPECT_CODE(store().delete_entity(t, "a"), kInvalidArgument);
    GS_EXPECT_CODE(store().add_relation(t, make_relation("r", "a", "a")), kInvalidArgument);
    GS_EXPECT_CODE(store().get_relation(t, "r", &r), kInvalidArgument);
    GS_EXPECT_CODE(store().update_relation(t, make_relation("r", "a", "a")), kInvalidArgument);
    GS_EXPECT_CODE(store().delete_relation(t, "r"), kInvalidArgument);
    GS_EXPECT_CODE(store().get_neighbors(t, "a", Direction::kBoth, "", &n), kInvalidArgument);
    GS_EXPECT_CODE(store().for_each_entity(t, any_entity), kInvalidArgument);
    GS_EXPECT_CODE(store().for_each_relation(t, any_relation), kInvalidArgument);
    GS_EXPECT_CODE(store().apply(t, batch), kInvalidArgument);
    GS_EXPECT_CODE(store().traverse(t, "a", {}, &tr), kInvalidArgument);
    GS_EXPECT_CODE(store().find_paths(t, "a", "a", {}, &pr), kInvalidArgument);
    GS_EXPECT_CODE(store().subgraph(t, {"a"}, &sg), kInvalidArgument);
    GS_EXPECT_CODE(store().scan_entities(t, {}, any_entity), kInvalidArgument);
    GS_EXPECT_CODE(store().scan_relations(t, {}, any_relation), kInvalidArgument);
    GS_EXPECT_CODE(store().vector_search(t, vector_query({1.0f}), &scored), kInvalidArgument);
    GS_EXPECT_CODE(store().text_search(t, text_query("a"), &scored), kInvalidArgument);
    GS_EXPECT_CODE(store().add_entities_bulk(t, one, &bulk), kInvalidArgument);
    GS_EXPECT_CODE(store().get_stats(t, &stats), kInvalidArgument);
  }
  std::vector<std::string> listed;
  GS_ASSERT_OK(store().list_tenants(&listed));
  EXPECT_TRUE(listed.empty());
  EXPECT_EQ(ids_of(all_entities(store(), "")), (std::vector<std::string>{"a"}));
}

TEST_P(Validation, LongestValidTenantWorks) {
  std::string t(255, 'T');
  GS_ASSERT_OK(store().add_entity(t, make_entity("a")));
  Entity got;
  GS_ASSERT_OK(store().get_entity(t, "a", &got));
  EXPECT_EQ(got.tenant_id, t);
  std::vector<std::string> listed;
  GS_ASSERT_OK(store().list_tenants(&listed));
  EXPECT_EQ(listed, std::vector<std::string>{t});
}

TEST_P(Validation, UnknownTextMethodIsInvalid) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "T", R"({"t":"word"})")));
  std::vector<ScoredEntity> out;
  for_each_mode([&] {
    for (int32_t m : {0, 5, -1}) {
      TextQuery q = text_query("word");
      q.method = static_cast<TextMethod>(m);
      GS_EXPECT_CODE(store().text_search("", q, &out), kInvalidArgument);
    }
  });
}

}  // namespace
}  // namespace graphstore::conformance
