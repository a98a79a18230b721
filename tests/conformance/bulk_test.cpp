// Bulk adds: items added one by one, skips reported with index and status,
// and the native slot reporting exactly what the default reports. The same
// input goes to two tenants, one per mode, and the outcomes are compared.
#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Bulk);

using Skips = std::vector<std::pair<size_t, Code>>;

Skips skips_of(const BulkResult& r) {
  Skips out;
  for (const auto& s : r.skipped) out.emplace_back(s.index, s.status.code());
  return out;
}

Entity stamped(Entity e) {
  e.created_at = 7'000;
  e.updated_at = 8'000;
  return e;
}

// Index: what it is.
std::vector<Entity> entity_input() {
  std::vector<Entity> in;
  in.push_back(stamped(make_entity("b1", "T", R"({"i":0})", {1, 0, 0, 0})));  // 0 ok
  in.push_back(stamped(make_entity("pre", "T")));                             // 1 exists in the store
  in.push_back(stamped(make_entity("b2", "T", "{}", {0, 1, 0, 0})));          // 2 ok
  in.push_back(stamped(make_entity("b1", "T", R"({"i":3})")));                // 3 repeats item 0
  in.push_back(stamped(make_entity("", "T")));                                // 4 empty id
  in.push_back(stamped(make_entity("b5", "T", "[1]")));                       // 5 properties not an object
  in.push_back(stamped(make_entity("b6", "T", "{}", {1, 2, 3})));             // 6 dimension 3, stored 4
  in.push_back(stamped(make_entity("b7", "U", R"({"t":"ok"})")));             // 7 ok, no embedding
  for (int i = 0; i < 40; ++i) in.push_back(stamped(make_entity("m" + std::to_string(i), "M")));  // 8.. ok
  return in;
}

std::vector<Relation> relation_input() {
  auto rel = [](std::string id, std::string from, std::string to, double w = 0.5) {
    Relation r = make_relation(std::move(id), std::move(from), std::move(to), "L", w);
    r.created_at = 7'000;
    r.updated_at = 7'000;
    return r;
  };
  std::vector<Relation> in;
  in.push_back(rel("q1", "b1", "b2"));       // 0 ok
  in.push_back(rel("q2", "b1", "ghost"));    // 1 missing target
  in.push_back(rel("pre-r", "b1", "b2"));    // 2 exists in the store
  in.push_back(rel("q1", "b2", "b1"));       // 3 repeats item 0
  in.push_back(rel("q4", "b1", "b1"));       // 4 ok, self-loop
  in.push_back(rel("q5", "b1", "b2"));       // 5 ok, parallel to q1
  in.push_back(rel("q6", "b1", "b2", 1.5));  // 6 weight out of range
  in.push_back(rel("q7", "nobody", "b2"));   // 7 missing source
  in.push_back(rel("", "b1", "b2"));         // 8 empty id
  in.push_back(rel("q9", "m1", "m2"));       // 9 ok
  return in;
}

// Prepares tenant with the pre-existing records the inputs collide with.
void prepare(Store& s, const std::string& tenant) {
  ASSERT_TRUE(IsOk(s.add_entity(tenant, stamped(make_entity("pre", "T", "{}", {0, 0, 1, 0})))));
  ASSERT_TRUE(IsOk(s.add_entity(tenant, stamped(make_entity("pre2", "T")))));
  Relation r = make_relation("pre-r", "pre", "pre2", "L");
  r.created_at = r.updated_at = 1;
  ASSERT_TRUE(IsOk(s.add_relation(tenant, r)));
}

// Records of a tenant with the tenant field cleared, for comparing tenants.
template <class T>
std::vector<T> untenanted(std::vector<T> records) {
  for (auto& r : records) r.tenant_id.clear();
  return records;
}

TEST_P(Bulk, EntitiesSkipWhatCannotBeAddedAndReportIt) {
  const Skips want{{1, Code::kAlreadyExists},
                   {3, Code::kAlreadyExists},
                   {4, Code::kInvalidArgument},
                   {5, Code::kInvalidArgument},
                   {6, Code::kInvalidArgument}};
  auto input = entity_input();
  BulkResult result[2];
  for (int defaults : {0, 1}) {
    std::string tenant = defaults ? "bulk_default" : "bulk_native";
    SCOPED_TRACE(tenant);
    prepare(store(), tenant);
    store().set_force_defaults(defaults != 0);
    GS_ASSERT_OK(store().add_entities_bulk(tenant, input, &result[defaults]));
    EXPECT_EQ(result[defaults].added, input.size() - want.size());
    EXPECT_EQ(skips_of(result[defaults]), want);
    Entity got;
    GS_ASSERT_OK(store().get_entity(tenant, "b1", &got));
    EXPECT_EQ(got.properties, R"({"i":0})") << "the first of two equal ids wins";
    GS_ASSERT_OK(store().get_entity(tenant, "pre", &got));
    EXPECT_EQ(got.embedding, (std::vector<float>{0, 0, 1, 0})) << "a skipped duplicate changes nothing";
    GS_EXPECT_CODE(store().get_entity(tenant, "b6", &got), kNotFound);
  }
  store().set_force_defaults(false);
  EXPECT_EQ(untenanted(all_entities(store(), "bulk_native")), untenanted(all_entities(store(), "bulk_default")));
  for (size_t i = 0; i < result[0].skipped.size(); ++i)
    EXPECT_FALSE(result[0].skipped[i].status.message().empty()) << "skip " << i << " has no message";
}

TEST_P(Bulk, RelationsSkipWhatCannotBeAddedAndReportIt) {
  const Skips want{{1, Code::kNotFound},        {2, Code::kAlreadyExists}, {3, Code::kAlreadyExists},
                   {6, Code::kInvalidArgument}, {7, Code::kNotFound},      {8, Code::kInvalidArgument}};
  auto entities = entity_input();
  auto input = relation_input();
  BulkResult result[2];
  for (int defaults : {0, 1}) {
    std::string tenant = defaults ? "bulk_default" : "bulk_native";
    SCOPED_TRACE(tenant);
    prepare(store(), tenant);
    BulkResult ignored;
    GS_ASSERT_OK(store().add_entities_bulk(tenant, entities, &ignored));
    store().set_force_defaults(defaults != 0);
    GS_ASSERT_OK(store().add_relations_bulk(tenant, input, &result[defaults]));
    EXPECT_EQ(result[defaults].added, input.size() - want.size());
    EXPECT_EQ(skips_of(result[defaults]), want);
    Relation got;
    GS_ASSERT_OK(store().get_relation(tenant, "q1", &got));
    EXPECT_EQ(got.source_id, "b1") << "the first of two equal ids wins";
    GS_ASSERT_OK(store().get_relation(tenant, "pre-r", &got));
    EXPECT_EQ(got.source_id, "pre") << "a skipped duplicate changes nothing";
  }
  store().set_force_defaults(false);
  EXPECT_EQ(untenanted(all_relations(store(), "bulk_native")), untenanted(all_relations(store(), "bulk_default")));
}

TEST_P(Bulk, EmptyAndAllSkippedInputsAddNothing) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  for_each_mode([&] {
    BulkResult r;
    GS_ASSERT_OK(store().add_entities_bulk("", {}, &r));
    EXPECT_EQ(r.added, 0u);
    EXPECT_TRUE(r.skipped.empty());
    std::vector<Entity> dups{make_entity("a"), make_entity("a")};
    GS_ASSERT_OK(store().add_entities_bulk("", dups, &r));
    EXPECT_EQ(r.added, 0u);
    EXPECT_EQ(skips_of(r), (Skips{{0, Code::kAlreadyExists}, {1, Code::kAlreadyExists}}));
    std::vector<Relation> dangling{make_relation("r", "a", "x"), make_relation("s", "y", "a")};
    GS_ASSERT_OK(store().add_relations_bulk("", dangling, &r));
    EXPECT_EQ(r.added, 0u);
    EXPECT_EQ(skips_of(r), (Skips{{0, Code::kNotFound}, {1, Code::kNotFound}}));
  });
  EXPECT_EQ(ids_of(all_entities(store(), "")), std::vector<std::string>{"a"});
  EXPECT_TRUE(all_relations(store(), "").empty());
}

TEST_P(Bulk, RelationsMayUseEntitiesOfTheSameEarlierBulk) {
  int round = 0;
  for_each_mode([&] {
    std::string t = "round" + std::to_string(round++);
    std::vector<Entity> es{make_entity("x"), make_entity("y")};
    BulkResult r;
    GS_ASSERT_OK(store().add_entities_bulk(t, es, &r));
    EXPECT_EQ(r.added, 2u);
    std::vector<Relation> rs{make_relation("xy", "x", "y")};
    GS_ASSERT_OK(store().add_relations_bulk(t, rs, &r));
    EXPECT_EQ(r.added, 1u);
    std::vector<Neighbor> n;
    GS_ASSERT_OK(store().get_neighbors(t, "x", Direction::kOut, "", &n));
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].entity.id, "y");
  });
}

// Large inputs are checked in parts (the core checks their second half on
// another thread): skips from every part come back once each, in input order.
TEST_P(Bulk, LargeInputsReportEverySkipInOrder) {
  constexpr size_t kItems = 20'000;
  std::vector<Entity> entities;
  Skips want_entities;
  for (size_t i = 0; i < kItems; ++i) {
    Entity e = make_entity("n" + std::to_string(i), "N");
    if (i % 997 == 5) {  // each kind of skip, in both halves
      switch (i / 997 % 4) {
        case 0:
          e.id.clear();
          break;
        case 1:
          e.properties = "{\"unclosed\":";
          break;
        case 2:
          e.entity_type = "bad\xff";
          break;
        default:
          e.id = "n0";  // a duplicate of item 0
      }
      want_entities.emplace_back(i, i / 997 % 4 == 3 ? Code::kAlreadyExists : Code::kInvalidArgument);
    }
    entities.push_back(std::move(e));
  }
  std::vector<Relation> relations;
  Skips want_relations;
  for (size_t i = 0; i < kItems; ++i) {
    // Endpoints among n10..n89, none of them a skipped entity.
    Relation r =
        make_relation("l" + std::to_string(i), "n" + std::to_string(10 + i % 80), "n" + std::to_string(20 + i % 70));
    if (i % 1009 == 3) {
      bool core = i / 1009 % 2 == 0;
      if (core)
        r.weight = 2.0;  // refused by the core's checks
      else
        r.target_id = "nowhere";  // refused by the backend
      want_relations.emplace_back(i, core ? Code::kInvalidArgument : Code::kNotFound);
    }
    relations.push_back(std::move(r));
  }
  BulkResult r;
  GS_ASSERT_OK(store().add_entities_bulk("", entities, &r));
  EXPECT_EQ(skips_of(r), want_entities);
  EXPECT_EQ(r.added, kItems - want_entities.size());
  GS_ASSERT_OK(store().add_relations_bulk("", relations, &r));
  EXPECT_EQ(skips_of(r), want_relations);
  EXPECT_EQ(r.added, kItems - want_relations.size());
  Stats stats;
  GS_ASSERT_OK(store().get_stats("", &stats));
  EXPECT_EQ(stats.entity_count, kItems - want_entities.size());
  EXPECT_EQ(stats.relation_count, kItems - want_relations.size());
}

}  // namespace
}  // namespace graphstore::conformance
