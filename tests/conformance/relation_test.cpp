// Tier 1 relation calls and neighbours: endpoints, duplicates, cascades,
// parallel edges and self-loops.
#include <algorithm>

#include "conformance.hpp"
#include "random_graph.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Relations);

// a, b, c and d, with knows a->b (r1), likes a->b (r2, parallel), knows
// b->c (r3), self-loop knows c->c (r4), knows d->a (r5).
void build_graph(Store& s) {
  for (const char* id : {"a", "b", "c", "d"}) ASSERT_TRUE(IsOk(s.add_entity("", make_entity(id))));
  ASSERT_TRUE(IsOk(s.add_relation("", make_relation("r1", "a", "b", "KNOWS", 0.5))));
  ASSERT_TRUE(IsOk(s.add_relation("", make_relation("r2", "a", "b", "LIKES", 0.25))));
  ASSERT_TRUE(IsOk(s.add_relation("", make_relation("r3", "b", "c", "KNOWS"))));
  ASSERT_TRUE(IsOk(s.add_relation("", make_relation("r4", "c", "c", "KNOWS", 0.0))));
  ASSERT_TRUE(IsOk(s.add_relation("", make_relation("r5", "d", "a", "KNOWS"))));
}

// "relation id>neighbour id" for each neighbour, in the returned order.
std::vector<std::string> steps(Store& s, std::string_view id, Direction d, std::string_view type = "") {
  std::vector<Neighbor> out;
  Status st = s.get_neighbors("", id, d, type, &out);
  EXPECT_TRUE(IsOk(st));
  std::vector<std::string> r;
  for (const auto& n : out) r.push_back(n.relation.id + ">" + n.entity.id);
  return r;
}

TEST_P(Relations, AddThenGetReturnsEveryField) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("", make_entity("b")));
  Relation r = make_relation("r", "a", "b", "KNOWS", 0.375);
  r.properties = R"({"since":2019,"via":["x","y"]})";
  r.created_at = 1'000;
  r.updated_at = 2'000;
  r.source = "crm";
  GS_ASSERT_OK(store().add_relation("", r));
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "r", &got));
  EXPECT_EQ(got, r);
}

TEST_P(Relations, WeightBoundsZeroAndOneAreKept) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_relation("", make_relation("w0", "a", "a", "T", 0.0)));
  GS_ASSERT_OK(store().add_relation("", make_relation("w1", "a", "a", "T", 1.0)));
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "w0", &got));
  EXPECT_EQ(got.weight, 0.0);
  GS_ASSERT_OK(store().get_relation("", "w1", &got));
  EXPECT_EQ(got.weight, 1.0);
}

TEST_P(Relations, MissingEndpointIsNotFoundAndNothingIsStored) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("t1", make_entity("b")));
  GS_EXPECT_CODE(store().add_relation("", make_relation("r", "a", "nobody")), kNotFound);
  GS_EXPECT_CODE(store().add_relation("", make_relation("r", "nobody", "a")), kNotFound);
  // b exists, but in another tenant.
  GS_EXPECT_CODE(store().add_relation("", make_relation("r", "a", "b")), kNotFound);
  EXPECT_TRUE(all_relations(store(), "").empty());
  Relation got;
  GS_EXPECT_CODE(store().get_relation("", "r", &got), kNotFound);
}

TEST_P(Relations, AFailedGetLeavesNoEarlierRecordInTheOutput) {
  build_graph(store());
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "r1", &got));
  GS_EXPECT_CODE(store().get_relation("", "ghost", &got), kNotFound);
  EXPECT_EQ(got, Relation{});
}

TEST_P(Relations, DuplicateIdIsAlreadyExistsAndKeepsTheOriginal) {
  build_graph(store());
  GS_EXPECT_CODE(store().add_relation("", make_relation("r1", "c", "d", "OTHER")), kAlreadyExists);
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "r1", &got));
  EXPECT_EQ(got.source_id, "a");
  EXPECT_EQ(got.relation_type, "KNOWS");
}

TEST_P(Relations, MissingIdIsNotFoundForGetUpdateDelete) {
  build_graph(store());
  Relation got;
  GS_EXPECT_CODE(store().get_relation("", "nope", &got), kNotFound);
  GS_EXPECT_CODE(store().update_relation("", make_relation("nope", "a", "b")), kNotFound);
  GS_EXPECT_CODE(store().delete_relation("", "nope"), kNotFound);
  EXPECT_EQ(all_relations(store(), "").size(), 5u);
}

TEST_P(Relations, UpdateReplacesEverythingButIdAndCreatedAtAndMayMoveEndpoints) {
  build_graph(store());
  Relation before;
  GS_ASSERT_OK(store().get_relation("", "r1", &before));
  Relation u = make_relation("r1", "c", "d", "MENTORS", 0.875);
  u.properties = R"({"k":"v"})";
  u.updated_at = before.created_at + 7;
  u.source = "s";
  GS_ASSERT_OK(store().update_relation("", u));
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "r1", &got));
  Relation want = u;
  want.created_at = before.created_at;
  EXPECT_EQ(got, want);
  EXPECT_EQ(steps(store(), "a", Direction::kOut), (std::vector<std::string>{"r2>b"}));
  EXPECT_EQ(steps(store(), "c", Direction::kOut), (std::vector<std::string>{"r1>d", "r4>c"}));
  EXPECT_EQ(steps(store(), "d", Direction::kIn), (std::vector<std::string>{"r1>c"}));
}

TEST_P(Relations, UpdateToMissingEndpointIsNotFoundAndKeepsTheRelation) {
  build_graph(store());
  GS_EXPECT_CODE(store().update_relation("", make_relation("r1", "a", "ghost")), kNotFound);
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "r1", &got));
  EXPECT_EQ(got.target_id, "b");
  EXPECT_EQ(steps(store(), "a", Direction::kOut), (std::vector<std::string>{"r1>b", "r2>b"}));
}

TEST_P(Relations, DeleteRelationRemovesItFromNeighbours) {
  build_graph(store());
  GS_ASSERT_OK(store().delete_relation("", "r1"));
  Relation got;
  GS_EXPECT_CODE(store().get_relation("", "r1", &got), kNotFound);
  EXPECT_EQ(steps(store(), "a", Direction::kOut), (std::vector<std::string>{"r2>b"}));
  EXPECT_EQ(steps(store(), "b", Direction::kIn), (std::vector<std::string>{"r2>a"}));
  GS_ASSERT_OK(store().add_relation("", make_relation("r1", "d", "c")));
  EXPECT_EQ(steps(store(), "d", Direction::kOut), (std::vector<std::string>{"r1>c", "r5>a"}));
}

TEST_P(Relations, DeleteEntityRemovesEveryRelationTouchingIt) {
  build_graph(store());
  GS_ASSERT_OK(store().delete_entity("", "b"));
  EXPECT_EQ(ids_of(all_relations(store(), "")), (std::vector<std::string>{"r4", "r5"}));
  Relation got;
  for (const char* id : {"r1", "r2", "r3"}) GS_EXPECT_CODE(store().get_relation("", id, &got), kNotFound);
  EXPECT_EQ(steps(store(), "a", Direction::kBoth), (std::vector<std::string>{"r5>d"}));
  EXPECT_EQ(steps(store(), "c", Direction::kBoth), (std::vector<std::string>{"r4>c"}));
  // Re-adding the id does not bring the old relations back.
  GS_ASSERT_OK(store().add_entity("", make_entity("b")));
  EXPECT_TRUE(steps(store(), "b", Direction::kBoth).empty());
}

TEST_P(Relations, DeleteEntityWithSelfLoopRemovesTheLoop) {
  build_graph(store());
  GS_ASSERT_OK(store().delete_entity("", "c"));
  EXPECT_EQ(ids_of(all_relations(store(), "")), (std::vector<std::string>{"r1", "r2", "r5"}));
}

TEST_P(Relations, NeighboursByDirectionAndType) {
  build_graph(store());
  EXPECT_EQ(steps(store(), "a", Direction::kOut), (std::vector<std::string>{"r1>b", "r2>b"}));
  EXPECT_EQ(steps(store(), "a", Direction::kIn), (std::vector<std::string>{"r5>d"}));
  EXPECT_EQ(steps(store(), "a", Direction::kBoth), (std::vector<std::string>{"r1>b", "r2>b", "r5>d"}));
  EXPECT_EQ(steps(store(), "a", Direction::kOut, "LIKES"), (std::vector<std::string>{"r2>b"}));
  EXPECT_EQ(steps(store(), "b", Direction::kIn, "KNOWS"), (std::vector<std::string>{"r1>a"}));
  EXPECT_TRUE(steps(store(), "a", Direction::kOut, "NOPE").empty());
  EXPECT_TRUE(steps(store(), "d", Direction::kIn).empty());
}

TEST_P(Relations, SelfLoopIsReportedOnceInEveryDirection) {
  build_graph(store());
  EXPECT_EQ(steps(store(), "c", Direction::kOut), (std::vector<std::string>{"r4>c"}));
  EXPECT_EQ(steps(store(), "c", Direction::kIn), (std::vector<std::string>{"r3>b", "r4>c"}));
  EXPECT_EQ(steps(store(), "c", Direction::kBoth), (std::vector<std::string>{"r3>b", "r4>c"}));
}

TEST_P(Relations, NeighboursCarryWholeRecords) {
  build_graph(store());
  std::vector<Neighbor> out;
  GS_ASSERT_OK(store().get_neighbors("", "a", Direction::kOut, "LIKES", &out));
  ASSERT_EQ(out.size(), 1u);
  Relation r;
  Entity b;
  GS_ASSERT_OK(store().get_relation("", "r2", &r));
  GS_ASSERT_OK(store().get_entity("", "b", &b));
  EXPECT_EQ(out[0].relation, r);
  EXPECT_EQ(out[0].entity, b);
}

TEST_P(Relations, NeighboursOfMissingEntityIsNotFound) {
  build_graph(store());
  std::vector<Neighbor> out;
  GS_EXPECT_CODE(store().get_neighbors("", "zz", Direction::kBoth, "", &out), kNotFound);
}

// get_neighbor_entities is get_neighbors without the relations: the same
// entities in the same order; distinct keeps each entity at its first place.
TEST_P(Relations, NeighbourEntitiesMatchTheNeighboursOnARandomGraph) {
  RandomGraphSpec spec;
  spec.entities = 60;
  spec.relations = 240;
  std::vector<std::string> ids = load_random_graph(store(), "", spec);
  ASSERT_FALSE(ids.empty());
  size_t repeats = 0;
  for (const std::string& id : ids) {
    for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      for (std::string_view type : {std::string_view(), std::string_view(kRelationTypes[0])}) {
        std::vector<Neighbor> full;
        GS_ASSERT_OK(store().get_neighbors("", id, d, type, &full));
        std::vector<Entity> all, once;
        GS_ASSERT_OK(store().get_neighbor_entities("", id, d, type, false, &all));
        GS_ASSERT_OK(store().get_neighbor_entities("", id, d, type, true, &once));
        std::vector<Entity> expected_all, expected_once;
        for (const Neighbor& n : full) {
          expected_all.push_back(n.entity);
          bool seen = std::any_of(expected_once.begin(), expected_once.end(),
                                  [&](const Entity& e) { return e.id == n.entity.id; });
          if (!seen) expected_once.push_back(n.entity);
        }
        repeats += expected_all.size() - expected_once.size();
        EXPECT_EQ(all, expected_all) << id;
        EXPECT_EQ(once, expected_once) << id;
      }
    }
  }
  EXPECT_GT(repeats, 0u) << "the graph should reach some entity twice (parallel edges, both directions)";
}

TEST_P(Relations, NeighbourEntitiesDropRepeatsAtTheirLaterPlaces) {
  build_graph(store());
  std::vector<Entity> out;
  GS_ASSERT_OK(store().get_neighbor_entities("", "a", Direction::kBoth, "", false, &out));
  EXPECT_EQ(ids_of(out), (std::vector<std::string>{"b", "b", "d"}));
  GS_ASSERT_OK(store().get_neighbor_entities("", "a", Direction::kBoth, "", true, &out));
  EXPECT_EQ(ids_of(out), (std::vector<std::string>{"b", "d"}));
}

TEST_P(Relations, NeighbourEntitiesOfMissingEntityIsNotFoundAndEmpty) {
  build_graph(store());
  std::vector<Entity> out{make_entity("stale")};
  GS_EXPECT_CODE(store().get_neighbor_entities("", "zz", Direction::kBoth, "", true, &out), kNotFound);
  EXPECT_TRUE(out.empty());
  out.push_back(make_entity("stale"));
  GS_EXPECT_CODE(store().get_neighbor_entities("", "a", Direction::kBoth, std::string_view("\xff", 1), false, &out),
                 kInvalidArgument);
  EXPECT_TRUE(out.empty());
}

TEST_P(Relations, ParallelRelationsStayDistinct) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("", make_entity("b")));
  for (const char* id : {"p1", "p2", "p3"})
    GS_ASSERT_OK(store().add_relation("", make_relation(id, "a", "b", "SAME", 0.5)));
  EXPECT_EQ(ids_of(all_relations(store(), "")), (std::vector<std::string>{"p1", "p2", "p3"}));
  EXPECT_EQ(steps(store(), "b", Direction::kIn), (std::vector<std::string>{"p1>a", "p2>a", "p3>a"}));
  GS_ASSERT_OK(store().delete_relation("", "p2"));
  EXPECT_EQ(steps(store(), "a", Direction::kOut), (std::vector<std::string>{"p1>b", "p3>b"}));
}

TEST_P(Relations, ForEachRelationVisitsEveryRelationAndStopsWhenAsked) {
  build_graph(store());
  EXPECT_EQ(ids_of(all_relations(store(), "")), (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5"}));
  int visits = 0;
  GS_EXPECT_OK(store().for_each_relation("", [&](const Relation&) { return ++visits < 2; }));
  EXPECT_EQ(visits, 2);
}

TEST_P(Relations, StatsCountPerType) {
  build_graph(store());
  GS_ASSERT_OK(store().add_entity("", make_entity("o", "Org")));
  Stats stats;
  GS_ASSERT_OK(store().get_stats("", &stats));
  Stats want;
  want.entity_count = 5;
  want.relation_count = 5;
  want.entities_by_type = {{"Org", 1}, {"Person", 4}};
  want.relations_by_type = {{"KNOWS", 4}, {"LIKES", 1}};
  EXPECT_EQ(stats, want);
  store().set_force_defaults(true);
  GS_ASSERT_OK(store().get_stats("", &stats));
  EXPECT_EQ(stats, want);
}

}  // namespace
}  // namespace graphstore::conformance
