// Every allocation of each in-memory plugin write, failed in turn: the call
// returns RESOURCE_EXHAUSTED naming itself and leaves the store as it was
// (no half batch), or absorbs the failure and completes; either way the
// store keeps serving what it held and takes later writes
// (plugin_calls.hpp). Also that the test's operator new is the one the
// plugin calls, and that a throwing allocation never crosses the ABI.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "failing_new.hpp"
#include "plugin_calls.hpp"

namespace alloc_failure {
namespace {

using gs_test::cat;
using gs_test::Client;
using gs_test::Entity;
using gs_test::Op;
using gs_test::Relation;

Entity rich(std::string id, std::string type, std::vector<float> embedding, std::string props = "{}") {
  Entity e = gs_test::entity(std::move(id), std::move(type), std::move(props));
  e.embedding = std::move(embedding);
  e.source = "doc-1";
  e.created_at = 10;
  e.updated_at = 20;
  return e;
}

Relation rel(std::string id, std::string source, std::string target, std::string type = "knows") {
  Relation r = gs_test::relation(std::move(id), std::move(source), std::move(target), std::move(type));
  r.properties = R"({"since": 2024})";
  r.weight = 0.5;
  r.created_at = 30;
  r.updated_at = 40;
  return r;
}

// A small graph in the global tenant and in tenant t1: embeddings, sources,
// a self-loop, a cycle and parallel edges, so that a cascade touches both
// edge lists of several entities.
void fill(Client& c) {
  for (const Entity& e : {rich("a", "Person", {1, 0, 0}, R"({"name": "alpha one"})"),
                          rich("b", "Person", {0, 1, 0}), rich("c", "Company", {0, 0, 1}, R"({"text": "alpha beta"})"),
                          gs_test::entity("d", "Place")})
    ASSERT_TRUE(c.add(e).ok());
  for (const Relation& r : {rel("r1", "a", "b"), rel("r2", "b", "c", "works_at"), rel("r3", "a", "c"),
                            rel("r4", "c", "a"), rel("r5", "a", "a", "self"), rel("r6", "a", "b", "likes")})
    ASSERT_TRUE(c.add(r).ok());
  ASSERT_TRUE(c.add(rich("x", "Person", {1, 1, 0}, R"({"name": "alpha x"})"), "t1").ok());
  ASSERT_TRUE(c.add(gs_test::entity("y", "Person"), "t1").ok());
  ASSERT_TRUE(c.add(rel("rx", "x", "y"), "t1").ok());
}

// Calls that keep their inputs alive in a shared state.
template <class State>
RawCall raw_call(std::shared_ptr<State> state, gs_status (*fn)(const gs_store_api*, gs_store*, gs_errbuf*, State&)) {
  return [state, fn](const gs_store_api* api, gs_store* store, gs_errbuf* err) { return fn(api, store, err, *state); };
}

struct EntityCall {
  std::string tenant;
  Entity entity;
  gs_entity view;
};
struct RelationCall {
  std::string tenant;
  Relation relation;
  gs_relation view;
};
struct IdCall {
  std::string tenant;
  std::string id;
};

Workload add_entity(std::string tenant, Entity e, std::string options = "{}") {
  return Workload{options, fill,
                  [tenant, e](Client&) {
                    auto s = std::make_shared<EntityCall>(EntityCall{tenant, e, {}});
                    s->view = gs_test::view(s->entity);
                    return raw_call<EntityCall>(s, [](const gs_store_api* api, gs_store* st, gs_errbuf* err, EntityCall& x) {
                      return api->add_entity(st, gs_test::str(x.tenant), &x.view, err);
                    });
                  },
                  "add_entity"};
}

Workload update_entity(Entity e, std::string options = "{}", std::function<void(Client&)> setup = fill) {
  return Workload{options, setup,
                  [e](Client&) {
                    auto s = std::make_shared<EntityCall>(EntityCall{"", e, {}});
                    s->view = gs_test::view(s->entity);
                    return raw_call<EntityCall>(s, [](const gs_store_api* api, gs_store* st, gs_errbuf* err, EntityCall& x) {
                      return api->update_entity(st, gs_test::str(x.tenant), &x.view, err);
                    });
                  },
                  "update_entity"};
}

Workload add_relation(Relation r) {
  return Workload{"{}", fill,
                  [r](Client&) {
                    auto s = std::make_shared<RelationCall>(RelationCall{"", r, {}});
                    s->view = gs_test::view(s->relation);
                    return raw_call<RelationCall>(s,
                                              [](const gs_store_api* api, gs_store* st, gs_errbuf* err, RelationCall& x) {
                                                return api->add_relation(st, gs_test::str(x.tenant), &x.view, err);
                                              });
                  },
                  "add_relation"};
}

Workload update_relation(Relation r) {
  return Workload{"{}", fill,
                  [r](Client&) {
                    auto s = std::make_shared<RelationCall>(RelationCall{"", r, {}});
                    s->view = gs_test::view(s->relation);
                    return raw_call<RelationCall>(s,
                                              [](const gs_store_api* api, gs_store* st, gs_errbuf* err, RelationCall& x) {
                                                return api->update_relation(st, gs_test::str(x.tenant), &x.view, err);
                                              });
                  },
                  "update_relation"};
}

Workload delete_entity(std::string id, std::string options = "{}") {
  return Workload{options, fill,
                  [id](Client&) {
                    return raw_call<IdCall>(std::make_shared<IdCall>(IdCall{"", id}),
                                        [](const gs_store_api* api, gs_store* st, gs_errbuf* err, IdCall& x) {
                                          return api->delete_entity(st, gs_test::str(x.tenant), gs_test::str(x.id),
                                                                    err);
                                        });
                  },
                  "delete_entity"};
}

Workload delete_relation(std::string id) {
  return Workload{"{}", fill,
                  [id](Client&) {
                    return raw_call<IdCall>(std::make_shared<IdCall>(IdCall{"", id}),
                                        [](const gs_store_api* api, gs_store* st, gs_errbuf* err, IdCall& x) {
                                          return api->delete_relation(st, gs_test::str(x.tenant), gs_test::str(x.id),
                                                                      err);
                                        });
                  },
                  "delete_relation"};
}

struct BatchCall {
  std::vector<Op> ops;
  std::vector<gs_entity> entities;
  std::vector<gs_relation> relations;
  std::vector<gs_write_op> raw;
  std::vector<const gs_write_op*> ptrs;
  size_t failed = 0;
};

Workload apply_batch(std::vector<Op> ops, std::string options = "{}") {
  return Workload{options, fill,
                  [ops](Client&) {
                    auto s = std::make_shared<BatchCall>();
                    s->ops = ops;
                    size_t n = ops.size();
                    s->entities.resize(n);
                    s->relations.resize(n);
                    s->raw.resize(n);
                    for (size_t i = 0; i < n; ++i) {
                      s->entities[i] = gs_test::view(s->ops[i].entity);
                      s->relations[i] = gs_test::view(s->ops[i].relation);
                      s->raw[i] = gs_write_op{};
                      s->raw[i].struct_size = sizeof(gs_write_op);
                      s->raw[i].kind = s->ops[i].kind;
                      s->raw[i].entity = &s->entities[i];
                      s->raw[i].relation = &s->relations[i];
                      s->raw[i].id = gs_test::str(s->ops[i].id);
                      s->ptrs.push_back(&s->raw[i]);
                    }
                    return raw_call<BatchCall>(s, [](const gs_store_api* api, gs_store* st, gs_errbuf* err, BatchCall& x) {
                      return api->apply_batch(st, gs_test::str(""), x.ptrs.data(), x.ptrs.size(), &x.failed, err);
                    });
                  },
                  "apply_batch"};
}

// The skip sink only counts: it runs inside the armed call and must not
// allocate.
int32_t count_skip(void* ctx, size_t, gs_status, gs_str) {
  ++*static_cast<size_t*>(ctx);
  return 0;
}

struct EntityBulkCall {
  std::vector<Entity> items;
  std::vector<gs_entity> views;
  std::vector<const gs_entity*> ptrs;
  size_t skips = 0;
  uint64_t added = 0;
};

Workload entities_bulk(std::vector<Entity> items, std::string options = "{}") {
  return Workload{options, fill,
                  [items](Client&) {
                    auto s = std::make_shared<EntityBulkCall>();
                    s->items = items;
                    for (const Entity& e : s->items) s->views.push_back(gs_test::view(e));
                    for (const gs_entity& v : s->views) s->ptrs.push_back(&v);
                    return raw_call<EntityBulkCall>(
                        s, [](const gs_store_api* api, gs_store* st, gs_errbuf* err, EntityBulkCall& x) {
                          return api->add_entities_bulk(st, gs_test::str(""), x.ptrs.data(), x.ptrs.size(), count_skip,
                                                        &x.skips, &x.added, err);
                        });
                  },
                  "add_entities_bulk"};
}

struct RelationBulkCall {
  std::vector<Relation> items;
  std::vector<gs_relation> views;
  std::vector<const gs_relation*> ptrs;
  size_t skips = 0;
  uint64_t added = 0;
};

Workload relations_bulk(std::vector<Relation> items) {
  return Workload{"{}", fill,
                  [items](Client&) {
                    auto s = std::make_shared<RelationBulkCall>();
                    s->items = items;
                    for (const Relation& r : s->items) s->views.push_back(gs_test::view(r));
                    for (const gs_relation& v : s->views) s->ptrs.push_back(&v);
                    return raw_call<RelationBulkCall>(
                        s, [](const gs_store_api* api, gs_store* st, gs_errbuf* err, RelationBulkCall& x) {
                          return api->add_relations_bulk(st, gs_test::str(""), x.ptrs.data(), x.ptrs.size(),
                                                         count_skip, &x.skips, &x.added, err);
                        });
                  },
                  "add_relations_bulk"};
}

std::vector<Op> mixed_batch() {
  return {Op::add(rich("n1", "Robot", {0.5f, 0.5f, 0})),
          Op::add(gs_test::entity("n2", "Robot", R"({"text": "alpha gamma"})")),
          Op::add(rel("nr1", "n1", "n2", "builds")),
          Op::update(rich("b", "Android", {0, 0.5f, 0.5f}, R"({"name": "alpha bee"})")),
          Op::update(rel("r2", "b", "d", "visits")),
          Op::delete_relation("r3"),
          Op::delete_entity("c"),
          Op::add(rich("n3", "Person", {0.2f, 0.1f, 0}))};
}

std::vector<Entity> bulk_entities() {
  std::vector<Entity> items;
  for (int i = 0; i < 10; ++i)
    items.push_back(rich(cat("bulk", i), i % 3 == 0 ? "Robot" : cat("Kind", i % 4), {float(i), 1, 0},
                         R"({"text": "alpha )" + std::to_string(i) + "\"}"));
  items.push_back(rich("a", "Person", {1, 0, 0}));  // a duplicate: skipped
  items.push_back(gs_test::entity("bulk_plain", "Plain"));
  return items;
}

std::vector<Relation> bulk_relations() {
  std::vector<Relation> items;
  const char* ends[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 10; ++i) items.push_back(rel(cat("br", i), ends[i % 4], ends[(i + 1) % 4], cat("T", i % 3)));
  items.push_back(rel("r1", "a", "b"));               // a duplicate: skipped
  items.push_back(rel("dangling", "a", "nowhere"));  // missing endpoint: skipped
  return items;
}

const std::string kHnsw = R"({"vector_index": "hnsw", "hnsw_m": 4, "hnsw_ef_construction": 8})";

TEST(AllocFailure, ReplacementReachesThePlugin) {
  // The plugin's operator new calls bind to this executable's replacement:
  // a plugin call counts allocations, and failing one changes its outcome.
  Client c;
  ASSERT_TRUE(c.open_result().ok());
  gs_test::Entity e = rich("counted", "Person", {1, 2, 3}, R"({"k": "v"})");
  gs_entity v = gs_test::view(e);
  char buf[256] = {0};
  gs_errbuf err{buf, sizeof buf};
  arm(1);
  gs_status st = c.api()->add_entity(c.raw(), gs_test::str(""), &v, &err);
  Outcome o = disarm();
  EXPECT_TRUE(o.failed);
  EXPECT_EQ(st, GS_RESOURCE_EXHAUSTED) << buf;
  arm(0);
  st = c.api()->add_entity(c.raw(), gs_test::str(""), &v, &err);
  o = disarm();
  EXPECT_EQ(st, GS_OK) << buf;
  EXPECT_GT(o.allocations, 0u);
  EXPECT_FALSE(o.failed);
}

TEST(AllocFailure, NothrowFormsReturnNull) {
  arm(1);
  void* p = ::operator new(16, std::nothrow);
  Outcome o = disarm();
  EXPECT_EQ(p, nullptr);
  EXPECT_TRUE(o.failed);
  arm(2);
  bool threw = false;
  void* q = ::operator new(8);
  try {
    (void)::operator new[](8, std::align_val_t(64));
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  o = disarm();
  ::operator delete(q);
  EXPECT_TRUE(threw);
  EXPECT_EQ(o.allocations, 2u);
}

TEST(AllocFailure, AddEntity) { fail_every_allocation(add_entity("", rich("n", "Robot", {0, 0, 1}, R"({"text": "alpha"})"))); }

TEST(AllocFailure, AddEntityToANewTenant) {
  fail_every_allocation(add_entity("t2", rich("n", "Robot", {0, 0, 1}, R"({"text": "alpha"})")));
}

TEST(AllocFailure, AddEntityWithVectorIndex) {
  fail_every_allocation(add_entity("", rich("n", "Robot", {0, 0, 1}), kHnsw));
}

TEST(AllocFailure, AddRelation) { fail_every_allocation(add_relation(rel("r9", "c", "d", "owns"))); }

TEST(AllocFailure, UpdateEntity) {
  fail_every_allocation(update_entity(rich("a", "Robot", {0, 1, 1}, R"({"name": "alpha two"})")));
}

TEST(AllocFailure, UpdateEntityWithVectorIndex) {
  fail_every_allocation(update_entity(rich("a", "Robot", {0, 1, 1}, R"({"name": "alpha two"})"), kHnsw));
}

TEST(AllocFailure, UpdateEntityThatCompacts) {
  // The update frees a blob large enough (> 64 KiB, more than all else
  // held) for the write to end with a compaction, which allocates.
  auto setup = [](Client& c) {
    fill(c);
    ASSERT_TRUE(c.add(rich("big", "Blob", {}, R"({"pad": ")" + std::string(100000, 'p') + "\"}")).ok());
  };
  fail_every_allocation(update_entity(rich("big", "Blob", {}, R"({"pad": "small"})"), "{}", setup));
}

TEST(AllocFailure, UpdateRelation) { fail_every_allocation(update_relation(rel("r1", "b", "d", "visits"))); }

TEST(AllocFailure, DeletesAllocateNothing) {
  // Nothing to fail half way: a delete, cascade and vector index included,
  // makes no allocation (the batch form, which keeps an undo log, does).
  for (const Workload& w : {delete_entity("a"), delete_entity("a", kHnsw), delete_relation("r2")}) {
    Client c(w.options);
    w.fill(c);
    Snapshot before = snapshot(c);
    RawCall call = w.prepare(c);
    char buf[256] = {0};
    gs_errbuf err{buf, sizeof buf};
    arm(0);
    gs_status st = call(c.api(), c.raw(), &err);
    Outcome o = disarm();
    EXPECT_EQ(st, GS_OK) << w.operation << ": " << buf;
    EXPECT_EQ(o.allocations, 0u) << w.operation;
    EXPECT_FALSE(snapshot(c) == before) << w.operation;
  }
}

TEST(AllocFailure, ApplyBatchDeletingWithItsRelations) {
  fail_every_allocation(apply_batch({Op::delete_entity("a"), Op::delete_relation("r2")}));
}

TEST(AllocFailure, ApplyBatchDeletingWithVectorIndex) {
  fail_every_allocation(apply_batch({Op::delete_entity("a"), Op::delete_entity("b")}, kHnsw));
}

TEST(AllocFailure, ApplyBatch) { fail_every_allocation(apply_batch(mixed_batch())); }

TEST(AllocFailure, ApplyBatchWithVectorIndex) { fail_every_allocation(apply_batch(mixed_batch(), kHnsw)); }

TEST(AllocFailure, AddEntitiesBulk) { fail_every_allocation(entities_bulk(bulk_entities())); }

TEST(AllocFailure, AddEntitiesBulkWithVectorIndex) { fail_every_allocation(entities_bulk(bulk_entities(), kHnsw)); }

TEST(AllocFailure, AddRelationsBulk) { fail_every_allocation(relations_bulk(bulk_relations())); }

}  // namespace
}  // namespace alloc_failure
