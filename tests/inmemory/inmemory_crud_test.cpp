// Tier 1 semantics of the inmemory plugin: descriptor, options, records,
// status codes, neighbours, tenants.
#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.hpp"

namespace gs_test {
namespace {

std::vector<std::string> ids_of(const std::vector<Neighbor>& ns) {
  std::vector<std::string> ids;
  for (const auto& n : ns) ids.push_back(n.relation.id + ">" + n.entity.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(InMemoryDescriptor, DeclaresItselfAndFillsEverySlot) {
  const gs_plugin_descriptor* d = descriptor();
  EXPECT_EQ(std::string(d->id), "inmemory");
  EXPECT_EQ(std::string(d->name), "In-memory graph store");
  EXPECT_EQ(std::string(d->version), "0.1.0");
  EXPECT_EQ(d->abi_major, GS_ABI_MAJOR);
  EXPECT_EQ(d->threading, GS_THREADING_CONCURRENT);
  EXPECT_EQ(d->capabilities, GS_CAP_NONBLOCKING);
  const gs_store_api* a = d->api;
  EXPECT_EQ(a->struct_size, sizeof(gs_store_api));
  EXPECT_TRUE(a->traverse && a->find_paths && a->subgraph && a->scan_entities && a->scan_relations &&
              a->vector_search && a->text_search && a->add_entities_bulk && a->add_relations_bulk && a->get_stats);
}

TEST(InMemoryOptions, AcceptsEmptyAndMemoryLimit) {
  EXPECT_TRUE(Client("").open_result().ok());
  EXPECT_TRUE(Client("{}").open_result().ok());
  EXPECT_TRUE(Client(R"({"max_memory_mb": 0})").open_result().ok());
  EXPECT_TRUE(Client(R"({"max_memory_mb": 64})").open_result().ok());
}

TEST(InMemoryOptions, RejectsUnknownKeyNamingIt) {
  Client c(R"({"max_memory": 64})");
  EXPECT_EQ(c.open_result().status, GS_INVALID_ARGUMENT);
  EXPECT_NE(c.open_result().message.find("option 'max_memory'"), std::string::npos) << c.open_result().message;
  EXPECT_NE(c.open_result().message.find("max_memory_mb"), std::string::npos);  // the suggestion
}

TEST(InMemoryOptions, RejectsBadMemoryLimits) {
  for (const char* bad :
       {R"({"max_memory_mb": -1})", R"({"max_memory_mb": "64 MB"})", R"({"max_memory_mb": 1.5})", "[1]", "{not json"}) {
    Client c(bad);
    EXPECT_EQ(c.open_result().status, GS_INVALID_ARGUMENT) << bad;
  }
}

TEST(InMemoryEntity, RoundTripsEveryField) {
  Client c;
  Entity e = entity("alice", "person", R"({"name":"Alice","age":30})");
  e.embedding = {0.5f, -1.0f, 2.0f};
  e.created_at = 1700000000000000;
  e.updated_at = 1700000000000001;
  e.source = "import.jsonl";
  ASSERT_TRUE(c.add(e).ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("alice", &got).ok());
  EXPECT_EQ(got, e);
}

TEST(InMemoryEntity, DistinguishesAbsentAndEmptySource) {
  Client c;
  Entity a = entity("a"), b = entity("b");
  b.source = "";
  ASSERT_TRUE(c.add(a).ok());
  ASSERT_TRUE(c.add(b).ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("a", &got).ok());
  EXPECT_FALSE(got.source.has_value());
  ASSERT_TRUE(c.get_entity("b", &got).ok());
  ASSERT_TRUE(got.source.has_value());
  EXPECT_EQ(*got.source, "");
}

TEST(InMemoryEntity, EmptyPropertiesComeBackAsAnObject) {
  Client c;
  ASSERT_TRUE(c.add(entity("a", "thing", "")).ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("a", &got).ok());
  EXPECT_EQ(got.properties, "{}");
}

TEST(InMemoryEntity, StatusCodes) {
  Client c;
  ASSERT_TRUE(c.add(entity("a")).ok());
  Result dup = c.add(entity("a", "other"));
  EXPECT_EQ(dup.status, GS_ALREADY_EXISTS);
  EXPECT_NE(dup.message.find("'a'"), std::string::npos);
  Entity got;
  Result missing = c.get_entity("zzz", &got);
  EXPECT_EQ(missing.status, GS_NOT_FOUND);
  EXPECT_NE(missing.message.find("'zzz'"), std::string::npos);
  EXPECT_EQ(c.update(entity("zzz")).status, GS_NOT_FOUND);
  EXPECT_EQ(c.delete_entity("zzz").status, GS_NOT_FOUND);
  EXPECT_EQ(c.add(entity("")).status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(c.add(entity("x", "")).status, GS_INVALID_ARGUMENT);
  ASSERT_TRUE(c.get_entity("a", &got).ok());
  EXPECT_EQ(got.type, "thing");
}

TEST(InMemoryEntity, UpdateReplacesAllButIdAndCreatedAt) {
  Client c;
  Entity e = entity("a", "person", R"({"v":1})");
  e.created_at = 100;
  e.updated_at = 100;
  e.source = "s1";
  e.embedding = {1, 2};
  ASSERT_TRUE(c.add(e).ok());
  Entity u = entity("a", "robot", R"({"v":2})");
  u.created_at = 999;  // ignored
  u.updated_at = 200;
  ASSERT_TRUE(c.update(u).ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("a", &got).ok());
  EXPECT_EQ(got.type, "robot");
  EXPECT_EQ(got.properties, R"({"v":2})");
  EXPECT_EQ(got.created_at, 100);
  EXPECT_EQ(got.updated_at, 200);
  EXPECT_FALSE(got.source.has_value());
  EXPECT_TRUE(got.embedding.empty());
}

TEST(InMemoryEntity, DeleteThenReAddReusesNothingVisible) {
  Client c;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(c.add(entity(cat("e", i))).ok());
  for (int i = 0; i < 50; i += 2) ASSERT_TRUE(c.delete_entity(cat("e", i)).ok());
  for (int i = 0; i < 50; i += 2) ASSERT_TRUE(c.add(entity(cat("n", i), "fresh")).ok());
  std::vector<Entity> all;
  ASSERT_TRUE(c.entities(&all).ok());
  EXPECT_EQ(all.size(), 50u);
  Entity got;
  EXPECT_EQ(c.get_entity("e0", &got).status, GS_NOT_FOUND);
  ASSERT_TRUE(c.get_entity("e1", &got).ok());
  EXPECT_EQ(got.type, "thing");
  ASSERT_TRUE(c.get_entity("n0", &got).ok());
  EXPECT_EQ(got.type, "fresh");
}

// Type names are interned and compared by length and first word first:
// names that share either, or both, must stay apart.
TEST(InMemoryTypes, NamesSharingALengthOrAPrefixStayDistinct) {
  Client c;
  const std::vector<std::string> types = {"a",
                                          "ab",
                                          "abc",
                                          "abcd",
                                          "abcde",
                                          "abce",
                                          "abcdefg",
                                          "abcdefgh",
                                          "abcdefgi",
                                          "abcdefgh1",
                                          "abcdefgh2",
                                          "\xc3\xa9t\xc3\xa9",
                                          "\xc3\xa9t\xc3\xa8",
                                          "b",
                                          "ba"};
  StatsMap expected;
  for (size_t i = 0; i < types.size(); ++i) {
    for (size_t k = 0; k <= i; ++k) {  // type i gets i + 1 entities
      ASSERT_TRUE(c.add(entity("e" + std::to_string(i) + "-" + std::to_string(k), types[i])).ok());
    }
    expected[{GS_KIND_ENTITY, types[i]}] = i + 1;
  }
  StatsMap stats;
  ASSERT_TRUE(c.stats(&stats).ok());
  EXPECT_EQ(stats, expected);
  Entity got;
  ASSERT_TRUE(c.get_entity("e9-3", &got).ok());
  EXPECT_EQ(got.type, "abcdefgh1");
}

TEST(InMemoryEmbedding, OneDimensionPerTenant) {
  Client c;
  ASSERT_TRUE(c.add(embedded("a", {1, 0, 0})).ok());
  ASSERT_TRUE(c.add(entity("plain")).ok());  // no embedding: always fine
  Result bad = c.add(embedded("b", {1, 0}));
  EXPECT_EQ(bad.status, GS_INVALID_ARGUMENT);
  EXPECT_NE(bad.message.find("dimension"), std::string::npos);
  EXPECT_EQ(c.update(embedded("plain", {1, 0})).status, GS_INVALID_ARGUMENT);
  EXPECT_TRUE(c.add(embedded("b", {1, 0}), "other").ok());  // another tenant: its own dimension
  ASSERT_TRUE(c.add(embedded("c", {0, 1, 0})).ok());
  // Once no embedding is left, any dimension may start again.
  ASSERT_TRUE(c.delete_entity("a").ok());
  ASSERT_TRUE(c.update(entity("c")).ok());
  EXPECT_TRUE(c.add(embedded("d", {1, 2, 3, 4})).ok());
}

TEST(InMemoryEmbedding, SoleEmbeddingMayChangeDimensionOnUpdate) {
  Client c;
  ASSERT_TRUE(c.add(embedded("a", {1, 0, 0})).ok());
  EXPECT_TRUE(c.update(embedded("a", {1, 0})).ok());
  ASSERT_TRUE(c.add(embedded("b", {0, 1})).ok());
  EXPECT_EQ(c.update(embedded("a", {1, 0, 0})).status, GS_INVALID_ARGUMENT);
}

TEST(InMemoryEmbedding, NullEmbeddingWithDimensionIsInvalid) {
  Client c;
  Entity e = entity("a");
  gs_entity v = view(e);
  v.embedding_dim = 3;
  char buf[256];
  gs_errbuf err{buf, sizeof buf};
  EXPECT_EQ(c.api()->add_entity(c.raw(), gs_str{"", 0}, &v, &err), GS_INVALID_ARGUMENT);
}

TEST(InMemoryRelation, RoundTripsAndChecksEndpoints) {
  Client c;
  ASSERT_TRUE(c.add(entity("a")).ok());
  ASSERT_TRUE(c.add(entity("b")).ok());
  Relation r = relation("r1", "a", "b", "knows");
  r.properties = R"({"since":2020})";
  r.weight = 0.25;
  r.created_at = 5;
  r.updated_at = 6;
  r.source = "src";
  ASSERT_TRUE(c.add(r).ok());
  Relation got;
  ASSERT_TRUE(c.get_relation("r1", &got).ok());
  EXPECT_EQ(got, r);

  Result missing_source = c.add(relation("r2", "x", "b"));
  EXPECT_EQ(missing_source.status, GS_NOT_FOUND);
  EXPECT_NE(missing_source.message.find("source entity 'x' not found in the global tenant"), std::string::npos)
      << missing_source.message;
  Result missing_target = c.add(relation("r2", "a", "y"));
  EXPECT_EQ(missing_target.status, GS_NOT_FOUND);
  EXPECT_NE(missing_target.message.find("target entity 'y'"), std::string::npos);
  EXPECT_EQ(c.add(relation("r1", "b", "a")).status, GS_ALREADY_EXISTS);
  EXPECT_EQ(c.get_relation("r2", &got).status, GS_NOT_FOUND);
  EXPECT_EQ(c.delete_relation("r2").status, GS_NOT_FOUND);
  EXPECT_EQ(c.update(relation("r2", "a", "b")).status, GS_NOT_FOUND);
}

TEST(InMemoryRelation, UpdateMovesEndpointsAndKeepsCreatedAt) {
  Client c;
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(c.add(entity(id)).ok());
  Relation r = relation("r", "a", "b", "old");
  r.created_at = 10;
  ASSERT_TRUE(c.add(r).ok());
  Relation u = relation("r", "c", "a", "new");
  u.created_at = 99;
  u.updated_at = 20;
  u.weight = 0.5;
  ASSERT_TRUE(c.update(u).ok());
  Relation got;
  ASSERT_TRUE(c.get_relation("r", &got).ok());
  EXPECT_EQ(got.source_id, "c");
  EXPECT_EQ(got.target_id, "a");
  EXPECT_EQ(got.type, "new");
  EXPECT_EQ(got.created_at, 10);
  EXPECT_EQ(got.updated_at, 20);
  EXPECT_EQ(got.weight, 0.5);
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_OUT, "", &ns).ok());
  EXPECT_TRUE(ns.empty());
  ASSERT_TRUE(c.neighbors("c", GS_DIRECTION_OUT, "new", &ns).ok());
  EXPECT_EQ(ids_of(ns), std::vector<std::string>{"r>a"});
  ASSERT_TRUE(c.neighbors("c", GS_DIRECTION_OUT, "old", &ns).ok());
  EXPECT_TRUE(ns.empty());
  EXPECT_EQ(c.update(relation("r", "c", "nobody")).status, GS_NOT_FOUND);
  ASSERT_TRUE(c.get_relation("r", &got).ok());
  EXPECT_EQ(got.target_id, "a");
}

TEST(InMemoryRelation, ParallelRelationsStayDistinct) {
  Client c;
  ASSERT_TRUE(c.add(entity("a")).ok());
  ASSERT_TRUE(c.add(entity("b")).ok());
  for (const char* id : {"p1", "p2", "p3"}) ASSERT_TRUE(c.add(relation(id, "a", "b", "same")).ok());
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_OUT, "", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"p1>b", "p2>b", "p3>b"}));
  ASSERT_TRUE(c.delete_relation("p2").ok());
  ASSERT_TRUE(c.neighbors("b", GS_DIRECTION_IN, "same", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"p1>a", "p3>a"}));
}

TEST(InMemoryNeighbors, DirectionsTypesAndSelfLoops) {
  Client c;
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(c.add(entity(id)).ok());
  ASSERT_TRUE(c.add(relation("ab", "a", "b", "x")).ok());
  ASSERT_TRUE(c.add(relation("ca", "c", "a", "y")).ok());
  ASSERT_TRUE(c.add(relation("aa", "a", "a", "x")).ok());
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_OUT, "", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"aa>a", "ab>b"}));
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_IN, "", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"aa>a", "ca>c"}));
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_BOTH, "", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"aa>a", "ab>b", "ca>c"}));
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_BOTH, "x", &ns).ok());
  EXPECT_EQ(ids_of(ns), (std::vector<std::string>{"aa>a", "ab>b"}));
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_BOTH, "never-used", &ns).ok());
  EXPECT_TRUE(ns.empty());
  EXPECT_EQ(c.neighbors("nobody", GS_DIRECTION_OUT, "", &ns).status, GS_NOT_FOUND);
  EXPECT_EQ(c.neighbors("nobody", GS_DIRECTION_OUT, "", &ns, "tenant-without-data").status, GS_NOT_FOUND);
  EXPECT_EQ(c.neighbors("a", 7, "", &ns).status, GS_INVALID_ARGUMENT);
  // The neighbour comes as a full record.
  ASSERT_TRUE(c.neighbors("c", GS_DIRECTION_OUT, "", &ns).ok());
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_EQ(ns[0].entity.type, "thing");
  EXPECT_EQ(ns[0].relation.source_id, "c");
}

TEST(InMemoryNeighbors, SinkStopEndsTheCall) {
  Client c;
  ASSERT_TRUE(c.add(entity("hub")).ok());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(c.add(entity(cat("n", i))).ok());
    ASSERT_TRUE(c.add(relation(cat("r", i), "hub", cat("n", i))).ok());
  }
  int calls = 0;
  auto fn = +[](void* ctx, const gs_relation*, const gs_entity*) -> int32_t { return ++*static_cast<int*>(ctx) == 3; };
  char buf[128];
  gs_errbuf err{buf, sizeof buf};
  EXPECT_EQ(
      c.api()->get_neighbors(c.raw(), gs_str{"", 0}, str("hub"), GS_DIRECTION_OUT, gs_str{"", 0}, fn, &calls, &err),
      GS_OK);
  EXPECT_EQ(calls, 3);
}

TEST(InMemoryDelete, EntityTakesItsRelationsAlong) {
  Client c;
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(c.add(entity(id)).ok());
  ASSERT_TRUE(c.add(relation("ab", "a", "b")).ok());
  ASSERT_TRUE(c.add(relation("ab2", "a", "b")).ok());
  ASSERT_TRUE(c.add(relation("ba", "b", "a")).ok());
  ASSERT_TRUE(c.add(relation("bb", "b", "b")).ok());
  ASSERT_TRUE(c.add(relation("ac", "a", "c")).ok());
  ASSERT_TRUE(c.delete_entity("b").ok());
  std::vector<Relation> rels;
  ASSERT_TRUE(c.relations(&rels).ok());
  ASSERT_EQ(rels.size(), 1u);
  EXPECT_EQ(rels[0].id, "ac");
  std::vector<Neighbor> ns;
  ASSERT_TRUE(c.neighbors("a", GS_DIRECTION_BOTH, "", &ns).ok());
  EXPECT_EQ(ids_of(ns), std::vector<std::string>{"ac>c"});
  // The ids are free again.
  ASSERT_TRUE(c.add(entity("b")).ok());
  EXPECT_TRUE(c.add(relation("ab", "a", "b")).ok());
}

TEST(InMemoryTenants, AreSeparateNamespaces) {
  Client c;
  ASSERT_TRUE(c.add(entity("x", "global-type")).ok());
  ASSERT_TRUE(c.add(entity("x", "acme-type"), "acme").ok());
  ASSERT_TRUE(c.add(entity("y"), "acme").ok());
  ASSERT_TRUE(c.add(relation("r", "x", "y"), "acme").ok());
  Entity got;
  ASSERT_TRUE(c.get_entity("x", &got).ok());
  EXPECT_EQ(got.type, "global-type");
  EXPECT_EQ(got.tenant, "");
  ASSERT_TRUE(c.get_entity("x", &got, "acme").ok());
  EXPECT_EQ(got.type, "acme-type");
  EXPECT_EQ(got.tenant, "acme");
  EXPECT_EQ(c.get_entity("y", &got).status, GS_NOT_FOUND);
  EXPECT_EQ(c.get_entity("x", &got, "other").status, GS_NOT_FOUND);
  Relation r;
  EXPECT_EQ(c.get_relation("r", &r).status, GS_NOT_FOUND);
  ASSERT_TRUE(c.get_relation("r", &r, "acme").ok());
  EXPECT_EQ(r.tenant, "acme");
  // Endpoints are looked up in the call's tenant only.
  EXPECT_EQ(c.add(relation("r2", "x", "y")).status, GS_NOT_FOUND);
  ASSERT_TRUE(c.delete_entity("x", "acme").ok());
  ASSERT_TRUE(c.get_entity("x", &got).ok());
}

TEST(InMemoryTenants, ListsNonGlobalTenantsHoldingData) {
  Client c;
  ASSERT_TRUE(c.add(entity("a")).ok());
  ASSERT_TRUE(c.add(entity("a"), "t1").ok());
  ASSERT_TRUE(c.add(entity("a"), "t2").ok());
  ASSERT_TRUE(c.add(entity("a"), "t3").ok());
  ASSERT_TRUE(c.delete_entity("a", "t3").ok());
  Entity got;
  EXPECT_EQ(c.get_entity("a", &got, "t4").status, GS_NOT_FOUND);  // reading creates nothing
  std::vector<std::string> ts;
  ASSERT_TRUE(c.tenants(&ts).ok());
  std::sort(ts.begin(), ts.end());
  EXPECT_EQ(ts, (std::vector<std::string>{"t1", "t2"}));
}

TEST(InMemoryTenants, InvalidTenantIdIsRejected) {
  Client c;
  Entity got;
  EXPECT_EQ(c.add(entity("a"), "bad tenant").status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(c.get_entity("a", &got, "bad/tenant").status, GS_INVALID_ARGUMENT);
  EXPECT_EQ(c.add(entity("a"), std::string(256, 'x')).status, GS_INVALID_ARGUMENT);
  EXPECT_TRUE(c.add(entity("a"), std::string(255, 'x')).ok());
}

TEST(InMemoryIteration, ForEachVisitsEverythingOnce) {
  Client c;
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(c.add(entity(cat("e", i))).ok());
  for (int i = 0; i < 299; ++i) ASSERT_TRUE(c.add(relation(cat("r", i), cat("e", i), cat("e", i + 1))).ok());
  std::vector<Entity> es;
  std::vector<Relation> rs;
  ASSERT_TRUE(c.entities(&es).ok());
  ASSERT_TRUE(c.relations(&rs).ok());
  EXPECT_EQ(es.size(), 300u);
  EXPECT_EQ(rs.size(), 299u);
  std::vector<std::string> ids;
  for (const auto& e : es) ids.push_back(e.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  ASSERT_TRUE(c.entities(&es, "nobody").ok());
  EXPECT_TRUE(es.empty());
}

}  // namespace
}  // namespace gs_test

namespace gs_test {
namespace {

struct ReentryCtx {
  Client* c;
  int reads_ok = 0;
  gs_status write_status = GS_OK;
  gs_status other_tenant_write = -1;
};

TEST(InMemoryReentry, SinkMayReadButNotWriteTheTenantItReads) {
  Client c;
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(c.add(entity(id)).ok());
  ReentryCtx ctx{&c};
  auto fn = +[](void* p, const gs_entity* e) -> int32_t {
    auto* x = static_cast<ReentryCtx*>(p);
    Entity got;
    if (x->c->get_entity(std::string(e->id.data, e->id.len), &got).ok()) ++x->reads_ok;
    std::vector<std::string> ids;
    if (x->c->scan_entities("", "", 0, GS_NO_LIMIT, &ids).ok() && ids.size() == 3) ++x->reads_ok;
    x->write_status = x->c->add(entity("new-" + std::string(e->id.data, e->id.len))).status;
    x->other_tenant_write = x->c->add(entity("x"), cat("elsewhere-", x->reads_ok)).status;
    return 0;
  };
  char buf[256];
  gs_errbuf err{buf, sizeof buf};
  ASSERT_EQ(c.api()->for_each_entity(c.raw(), gs_str{"", 0}, fn, &ctx, &err), GS_OK);
  EXPECT_EQ(ctx.reads_ok, 6);
  EXPECT_EQ(ctx.write_status, GS_UNSUPPORTED);
  EXPECT_EQ(ctx.other_tenant_write, GS_OK);  // another tenant has its own lock
  // Once the read is over, writing works again.
  EXPECT_TRUE(c.add(entity("d")).ok());
}

}  // namespace
}  // namespace gs_test
