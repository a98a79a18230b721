// Timestamps given on write are stored exactly on every write path: 0
// (1970-01-01T00:00:00) and times before 1970 included. Only an absent
// timestamp (kNoTimestamp, the default) is stamped with the time of the write.
#include <chrono>

#include "conformance.hpp"
#include "graphstore/write_batch.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Timestamps);

// 1900-01-01T00:00:00 and the last microsecond of 1969.
constexpr Timestamp k1900 = -2'208'988'800'000'000;
constexpr Timestamp kJustBefore1970 = -1;

Timestamp wall_clock_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Entity entity_at(std::string id, Timestamp created, Timestamp updated) {
  Entity e = make_entity(std::move(id));
  e.created_at = created;
  e.updated_at = updated;
  return e;
}

Relation relation_at(std::string id, Timestamp created, Timestamp updated) {
  Relation r = make_relation(std::move(id), "a", "b");
  r.created_at = created;
  r.updated_at = updated;
  return r;
}

// Reads the entity back by get and by scan; both must hold the times.
void expect_entity_times(Store& store, const std::string& id, Timestamp created, Timestamp updated) {
  Entity got;
  ASSERT_TRUE(IsOk(store.get_entity("", id, &got))) << id;
  EXPECT_EQ(got.created_at, created) << id;
  EXPECT_EQ(got.updated_at, updated) << id;
  for (const Entity& e : all_entities(store, "")) {
    if (e.id == id) {
      EXPECT_EQ(std::make_pair(e.created_at, e.updated_at), std::make_pair(created, updated)) << id;
    }
  }
}

void expect_relation_times(Store& store, const std::string& id, Timestamp created, Timestamp updated) {
  Relation got;
  ASSERT_TRUE(IsOk(store.get_relation("", id, &got))) << id;
  EXPECT_EQ(got.created_at, created) << id;
  EXPECT_EQ(got.updated_at, updated) << id;
  for (const Relation& r : all_relations(store, "")) {
    if (r.id == id) {
      EXPECT_EQ(std::make_pair(r.created_at, r.updated_at), std::make_pair(created, updated)) << id;
    }
  }
}

TEST_P(Timestamps, TheEpochIsStoredAsGivenNotAsNow) {
  GS_ASSERT_OK(store().add_entity("", entity_at("a", 0, 0)));
  GS_ASSERT_OK(store().add_entity("", entity_at("b", 0, 0)));
  GS_ASSERT_OK(store().add_relation("", relation_at("r", 0, 0)));
  expect_entity_times(store(), "a", 0, 0);
  expect_relation_times(store(), "r", 0, 0);
}

TEST_P(Timestamps, TimesBefore1970RoundTrip) {
  GS_ASSERT_OK(store().add_entity("", entity_at("a", k1900, kJustBefore1970)));
  GS_ASSERT_OK(store().add_entity("", entity_at("b", kJustBefore1970, 0)));
  GS_ASSERT_OK(store().add_relation("", relation_at("r", k1900, kJustBefore1970)));
  expect_entity_times(store(), "a", k1900, kJustBefore1970);
  expect_entity_times(store(), "b", kJustBefore1970, 0);
  expect_relation_times(store(), "r", k1900, kJustBefore1970);
}

TEST_P(Timestamps, EveryWritePathKeepsTheEpoch) {
  WriteBatch batch;
  batch.add_entity(entity_at("a", 0, 0));
  batch.add_entity(entity_at("b", k1900, 0));
  batch.add_relation(relation_at("r1", 0, kJustBefore1970));
  GS_ASSERT_OK(store().apply("", batch));
  expect_entity_times(store(), "a", 0, 0);
  expect_entity_times(store(), "b", k1900, 0);
  expect_relation_times(store(), "r1", 0, kJustBefore1970);

  std::vector<Entity> entities = {entity_at("c", 0, 0), entity_at("d", kJustBefore1970, k1900)};
  BulkResult bulk;
  GS_ASSERT_OK(store().add_entities_bulk("", entities, &bulk));
  EXPECT_EQ(bulk.added, 2u);
  std::vector<Relation> relations = {relation_at("r2", 0, 0)};
  relations[0].source_id = "c";
  relations[0].target_id = "d";
  GS_ASSERT_OK(store().add_relations_bulk("", relations, &bulk));
  EXPECT_EQ(bulk.added, 1u);
  expect_entity_times(store(), "c", 0, 0);
  expect_entity_times(store(), "d", kJustBefore1970, k1900);
  expect_relation_times(store(), "r2", 0, 0);
}

TEST_P(Timestamps, UpdatesKeepAGivenEpochAndStampAnAbsentOne) {
  GS_ASSERT_OK(store().add_entity("", entity_at("a", k1900, k1900)));
  GS_ASSERT_OK(store().add_entity("", entity_at("b", k1900, k1900)));
  GS_ASSERT_OK(store().add_relation("", relation_at("r", k1900, k1900)));
  GS_ASSERT_OK(store().update_entity("", entity_at("a", kNoTimestamp, 0)));
  GS_ASSERT_OK(store().update_relation("", relation_at("r", kNoTimestamp, 0)));
  expect_entity_times(store(), "a", k1900, 0);
  expect_relation_times(store(), "r", k1900, 0);

  WriteBatch batch;
  batch.update_entity(entity_at("a", kNoTimestamp, kJustBefore1970));
  Timestamp before = wall_clock_us();
  batch.update_entity(entity_at("b", kNoTimestamp, kNoTimestamp));
  GS_ASSERT_OK(store().apply("", batch));
  Timestamp after = wall_clock_us();
  expect_entity_times(store(), "a", k1900, kJustBefore1970);
  Entity b;
  GS_ASSERT_OK(store().get_entity("", "b", &b));
  EXPECT_EQ(b.created_at, k1900);
  EXPECT_GE(b.updated_at, before);
  EXPECT_LE(b.updated_at, after);
}

TEST_P(Timestamps, AbsentTimestampsAreStampedWithTheTimeOfTheWrite) {
  Timestamp before = wall_clock_us();
  GS_ASSERT_OK(store().add_entity("", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("", entity_at("b", 0, kNoTimestamp)));
  Timestamp after = wall_clock_us();
  Entity a;
  GS_ASSERT_OK(store().get_entity("", "a", &a));
  EXPECT_GE(a.created_at, before);
  EXPECT_LE(a.created_at, after);
  EXPECT_EQ(a.updated_at, a.created_at);
  Entity b;
  GS_ASSERT_OK(store().get_entity("", "b", &b));
  EXPECT_EQ(b.created_at, 0);
  EXPECT_GE(b.updated_at, before);  // a given created_at, an absent updated_at: the write's time
  EXPECT_LE(b.updated_at, after);
}

}  // namespace
}  // namespace graphstore::conformance
