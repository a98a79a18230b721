// traverse, find_paths and subgraph: hand-made cases for each rule, then
// random graphs compared with straightforward reference implementations
// written from the contract in abi.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "test_util.hpp"

namespace gs_test {
namespace {

// ---- Reference implementations over plain records ------------------------

struct Graph {
  std::vector<std::string> entities;
  std::vector<Relation> relations;
};

// Relations touching u in direction dir with type (empty: any), by id.
std::vector<const Relation*> touching(const Graph& g, const std::string& u, int32_t dir, const std::string& type) {
  std::vector<const Relation*> out;
  for (const auto& r : g.relations) {
    if (!type.empty() && r.type != type) continue;
    bool o = r.source_id == u, i = r.target_id == u;
    if ((dir == GS_DIRECTION_OUT && o) || (dir == GS_DIRECTION_IN && i) || (dir == GS_DIRECTION_BOTH && (o || i)))
      out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](const Relation* a, const Relation* b) { return a->id < b->id; });
  return out;
}

std::vector<Hit> ref_traverse(const Graph& g, const std::string& start, int32_t dir, const std::string& type,
                              uint32_t max_depth, uint64_t max_results, bool* truncated) {
  std::set<std::string> seen{start};
  std::vector<std::string> frontier{start};
  std::vector<Hit> hits;
  for (uint32_t depth = 1; depth <= max_depth && !frontier.empty(); ++depth) {
    std::sort(frontier.begin(), frontier.end());
    std::vector<Hit> level;
    for (const auto& u : frontier) {
      for (const Relation* r : touching(g, u, dir, type)) {
        std::string v = dir == GS_DIRECTION_OUT  ? r->target_id
                        : dir == GS_DIRECTION_IN ? r->source_id
                                                 : (r->source_id == u ? r->target_id : r->source_id);
        if (seen.insert(v).second) level.push_back(Hit{v, depth, r->id});
      }
    }
    std::sort(level.begin(), level.end(), [](const Hit& a, const Hit& b) { return a.id < b.id; });
    frontier.clear();
    for (const auto& h : level) {
      hits.push_back(h);
      frontier.push_back(h.id);
    }
  }
  *truncated = hits.size() > max_results;
  if (hits.size() > max_results) hits.resize(max_results);
  return hits;
}

std::vector<Path> ref_paths(const Graph& g, const std::string& source, const std::string& target,
                            const std::string& type, uint32_t max_depth, uint64_t max_paths, bool* truncated) {
  std::vector<Path> all;
  if (source == target) {
    all.push_back(Path{{source}, {}});
  } else {
    Path cur{{source}, {}};
    std::function<void()> dfs = [&] {
      const std::string& u = cur.entities.back();
      if (u == target) {
        all.push_back(cur);
        return;
      }
      if (cur.relations.size() == max_depth) return;
      for (const Relation* r : touching(g, u, GS_DIRECTION_OUT, type)) {
        if (std::find(cur.entities.begin(), cur.entities.end(), r->target_id) != cur.entities.end()) continue;
        cur.entities.push_back(r->target_id);
        cur.relations.push_back(r->id);
        dfs();
        cur.entities.pop_back();
        cur.relations.pop_back();
      }
    };
    dfs();
  }
  std::stable_sort(all.begin(), all.end(), [](const Path& a, const Path& b) {
    if (a.relations.size() != b.relations.size()) return a.relations.size() < b.relations.size();
    return a.relations < b.relations;
  });
  *truncated = all.size() > max_paths;
  if (all.size() > max_paths) all.resize(max_paths);
  return all;
}

// A random multigraph with parallel edges, self-loops, two relation types and
// ids of mixed length and case (so bytewise order matters).
Graph random_graph(std::mt19937& rng, int n, int m) {
  Graph g;
  std::uniform_int_distribution<int> pick(0, n - 1);
  const char* prefixes[] = {"n", "N", "node-", "z", "\xc3\xa9"};
  for (int i = 0; i < n; ++i) g.entities.push_back(cat(prefixes[i % 5], i * 7919 % 1000));
  for (int i = 0; i < m; ++i) {
    std::string s = g.entities[pick(rng)], t = g.entities[pick(rng)];
    if (i % 10 == 0 && i > 0) t = g.relations.back().target_id, s = g.relations.back().source_id;  // parallel
    std::string id = cat(i % 3 == 0 ? "R" : "r", rng() % 100000) + cat("_", i);
    g.relations.push_back(relation(id, s, t, i % 4 == 0 ? "b" : "a"));
  }
  return g;
}

void load(Client& c, const Graph& g, const std::string& tenant = "") {
  for (const auto& id : g.entities) ASSERT_TRUE(c.add(entity(id), tenant).ok()) << id;
  // Insert relations out of id order so sorted insertion is exercised.
  std::vector<const Relation*> order;
  for (const auto& r : g.relations) order.push_back(&r);
  std::reverse(order.begin(), order.end());
  for (const Relation* r : order) ASSERT_TRUE(c.add(*r, tenant).ok()) << r->id;
}

// ---- traverse -------------------------------------------------------------

class InMemoryTraverseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    //   a -r5-> c, a -r2-> b, b -r1-> d, c -r0-> d, d -r3-> e, e -r4-> a (type y)
    for (const char* id : {"a", "b", "c", "d", "e", "lonely"}) ASSERT_TRUE(c.add(entity(id)).ok());
    ASSERT_TRUE(c.add(relation("r5", "a", "c", "x")).ok());
    ASSERT_TRUE(c.add(relation("r2", "a", "b", "x")).ok());
    ASSERT_TRUE(c.add(relation("r1", "b", "d", "x")).ok());
    ASSERT_TRUE(c.add(relation("r0", "c", "d", "x")).ok());
    ASSERT_TRUE(c.add(relation("r3", "d", "e", "x")).ok());
    ASSERT_TRUE(c.add(relation("r4", "e", "a", "y")).ok());
  }
  Client c;
  std::vector<Hit> hits;
  bool truncated = true;
};

TEST_F(InMemoryTraverseTest, OrdersByDepthThenIdAndFirstDiscoveryWins) {
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 10, 100, &hits, &truncated).ok());
  // d is reached from b (the lower id of level 1) by r1, although r0 < r1.
  EXPECT_EQ(hits, (std::vector<Hit>{{"b", 1, "r2"}, {"c", 1, "r5"}, {"d", 2, "r1"}, {"e", 3, "r3"}}));
  EXPECT_FALSE(truncated);
}

TEST_F(InMemoryTraverseTest, DirectionsAndTypeFilter) {
  ASSERT_TRUE(c.traverse("d", GS_DIRECTION_IN, "", 2, 100, &hits, &truncated).ok());
  EXPECT_EQ(hits, (std::vector<Hit>{{"b", 1, "r1"}, {"c", 1, "r0"}, {"a", 2, "r2"}}));
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_BOTH, "", 1, 100, &hits, &truncated).ok());
  EXPECT_EQ(hits, (std::vector<Hit>{{"b", 1, "r2"}, {"c", 1, "r5"}, {"e", 1, "r4"}}));
  ASSERT_TRUE(c.traverse("d", GS_DIRECTION_OUT, "y", 5, 100, &hits, &truncated).ok());
  EXPECT_TRUE(hits.empty());
  ASSERT_TRUE(c.traverse("e", GS_DIRECTION_OUT, "y", 5, 100, &hits, &truncated).ok());
  EXPECT_EQ(hits, (std::vector<Hit>{{"a", 1, "r4"}}));
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "no-such-type", 5, 100, &hits, &truncated).ok());
  EXPECT_TRUE(hits.empty());
  EXPECT_FALSE(truncated);
}

TEST_F(InMemoryTraverseTest, DepthAndResultCaps) {
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 0, 100, &hits, &truncated).ok());
  EXPECT_TRUE(hits.empty());
  EXPECT_FALSE(truncated);
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 2, 100, &hits, &truncated).ok());
  EXPECT_EQ(hits.size(), 3u);
  EXPECT_FALSE(truncated);  // e exists, but beyond max_depth
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 10, 4, &hits, &truncated).ok());
  EXPECT_EQ(hits.size(), 4u);
  EXPECT_FALSE(truncated);  // exactly as many as existed
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 10, 3, &hits, &truncated).ok());
  EXPECT_EQ(hits, (std::vector<Hit>{{"b", 1, "r2"}, {"c", 1, "r5"}, {"d", 2, "r1"}}));
  EXPECT_TRUE(truncated);
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 10, 1, &hits, &truncated).ok());
  EXPECT_EQ(hits, (std::vector<Hit>{{"b", 1, "r2"}}));
  EXPECT_TRUE(truncated);
  ASSERT_TRUE(c.traverse("a", GS_DIRECTION_OUT, "", 10, 0, &hits, &truncated).ok());
  EXPECT_TRUE(hits.empty());
  EXPECT_TRUE(truncated);
  ASSERT_TRUE(c.traverse("lonely", GS_DIRECTION_BOTH, "", 10, 0, &hits, &truncated).ok());
  EXPECT_FALSE(truncated);
}

TEST_F(InMemoryTraverseTest, StatusCodes) {
  EXPECT_EQ(c.traverse("nobody", GS_DIRECTION_OUT, "", 3, 10, &hits, &truncated).status, GS_NOT_FOUND);
  EXPECT_EQ(c.traverse("a", GS_DIRECTION_OUT, "", 3, 10, &hits, &truncated, "elsewhere").status, GS_NOT_FOUND);
  EXPECT_EQ(c.traverse("a", 0, "", 3, 10, &hits, &truncated).status, GS_INVALID_ARGUMENT);
}

TEST_F(InMemoryTraverseTest, ViaIsAFullRelation) {
  gs_traverse_params p{};
  p.struct_size = sizeof p;
  p.start_id = str("a");
  p.direction = GS_DIRECTION_OUT;
  p.max_depth = 1;
  p.max_results = 10;
  std::vector<std::pair<Entity, Relation>> got;
  auto fn = +[](void* ctx, const gs_entity* e, uint32_t, const gs_relation* via) -> int32_t {
    static_cast<std::vector<std::pair<Entity, Relation>>*>(ctx)->emplace_back(copy(*e), copy(*via));
    return 0;
  };
  int32_t truncated_flag = -1;
  char buf[256];
  gs_errbuf err{buf, sizeof buf};
  ASSERT_EQ(c.api()->traverse(c.raw(), gs_str{"", 0}, &p, fn, &got, &truncated_flag, &err), GS_OK);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].second.source_id, "a");
  EXPECT_EQ(got[0].second.target_id, "b");
  EXPECT_EQ(got[0].second.type, "x");
  EXPECT_EQ(truncated_flag, 0);
}

TEST(InMemoryTraverse, MatchesReferenceOnRandomGraphs) {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    Graph g = random_graph(rng, 25 + seed % 10, 60 + int(seed) * 2);
    Client c;
    load(c, g);
    for (int q = 0; q < 12; ++q) {
      std::string start = g.entities[rng() % g.entities.size()];
      int32_t dir = int32_t(1 + rng() % 3);
      std::string type = q % 3 == 0 ? "a" : "";
      uint32_t depth = rng() % 5;
      uint64_t cap = q % 4 == 0 ? GS_NO_LIMIT : rng() % 12;
      bool want_trunc, got_trunc;
      auto want = ref_traverse(g, start, dir, type, depth, cap, &want_trunc);
      std::vector<Hit> got;
      ASSERT_TRUE(c.traverse(start, dir, type, depth, cap, &got, &got_trunc).ok());
      ASSERT_EQ(got, want) << "seed " << seed << " start " << start << " dir " << dir << " depth " << depth;
      ASSERT_EQ(got_trunc, want_trunc) << "seed " << seed;
    }
  }
}

// ---- find_paths -----------------------------------------------------------

class InMemoryPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // s -> a -> t, s -> b -> t (b via two parallel relations), s -> t, a -> b
    for (const char* id : {"s", "a", "b", "t"}) ASSERT_TRUE(c.add(entity(id)).ok());
    ASSERT_TRUE(c.add(relation("e1", "s", "a")).ok());
    ASSERT_TRUE(c.add(relation("e2", "a", "t")).ok());
    ASSERT_TRUE(c.add(relation("e3", "s", "b")).ok());
    ASSERT_TRUE(c.add(relation("e4b", "b", "t", "other")).ok());
    ASSERT_TRUE(c.add(relation("e4a", "b", "t")).ok());
    ASSERT_TRUE(c.add(relation("e9", "s", "t")).ok());
    ASSERT_TRUE(c.add(relation("e5", "a", "b")).ok());
    ASSERT_TRUE(c.add(relation("back", "t", "s")).ok());
  }
  Client c;
  std::vector<Path> paths;
  bool truncated = true;
};

TEST_F(InMemoryPathsTest, OrdersByLengthThenRelationIds) {
  ASSERT_TRUE(c.paths("s", "t", "", 5, 100, &paths, &truncated).ok());
  std::vector<Path> want = {
      {{"s", "t"}, {"e9"}},
      {{"s", "a", "t"}, {"e1", "e2"}},
      {{"s", "b", "t"}, {"e3", "e4a"}},
      {{"s", "b", "t"}, {"e3", "e4b"}},
      {{"s", "a", "b", "t"}, {"e1", "e5", "e4a"}},
      {{"s", "a", "b", "t"}, {"e1", "e5", "e4b"}},
  };
  EXPECT_EQ(paths, want);
  EXPECT_FALSE(truncated);
}

TEST_F(InMemoryPathsTest, CapsDepthPathsAndType) {
  ASSERT_TRUE(c.paths("s", "t", "", 2, 100, &paths, &truncated).ok());
  EXPECT_EQ(paths.size(), 4u);
  EXPECT_FALSE(truncated);
  ASSERT_TRUE(c.paths("s", "t", "", 5, 6, &paths, &truncated).ok());
  EXPECT_EQ(paths.size(), 6u);
  EXPECT_FALSE(truncated);
  ASSERT_TRUE(c.paths("s", "t", "", 5, 3, &paths, &truncated).ok());
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[2].relations, (std::vector<std::string>{"e3", "e4a"}));
  EXPECT_TRUE(truncated);
  ASSERT_TRUE(c.paths("s", "t", "", 5, 0, &paths, &truncated).ok());
  EXPECT_TRUE(paths.empty());
  EXPECT_TRUE(truncated);
  ASSERT_TRUE(c.paths("s", "t", "links", 5, 100, &paths, &truncated).ok());
  EXPECT_EQ(paths.size(), 4u);  // without e4b
  ASSERT_TRUE(c.paths("s", "t", "", 0, 100, &paths, &truncated).ok());
  EXPECT_TRUE(paths.empty());
  EXPECT_FALSE(truncated);
  ASSERT_TRUE(c.paths("t", "a", "", 1, 100, &paths, &truncated).ok());
  EXPECT_TRUE(paths.empty());
}

TEST_F(InMemoryPathsTest, SourceEqualsTargetIsOneTrivialPath) {
  ASSERT_TRUE(c.paths("s", "s", "", 5, 100, &paths, &truncated).ok());
  EXPECT_EQ(paths, (std::vector<Path>{{{"s"}, {}}}));
  EXPECT_FALSE(truncated);
  ASSERT_TRUE(c.paths("s", "s", "", 5, 0, &paths, &truncated).ok());
  EXPECT_TRUE(paths.empty());
  EXPECT_TRUE(truncated);
}

TEST_F(InMemoryPathsTest, StatusCodes) {
  Result r = c.paths("nobody", "t", "", 3, 10, &paths, &truncated);
  EXPECT_EQ(r.status, GS_NOT_FOUND);
  EXPECT_NE(r.message.find("'nobody'"), std::string::npos);
  EXPECT_EQ(c.paths("s", "nobody", "", 3, 10, &paths, &truncated).status, GS_NOT_FOUND);
  EXPECT_EQ(c.paths("s", "t", "", 3, 10, &paths, &truncated, "elsewhere").status, GS_NOT_FOUND);
}

TEST(InMemoryPaths, MatchesReferenceOnRandomGraphs) {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed * 31);
    Graph g = random_graph(rng, 12 + seed % 6, 30 + int(seed));
    Client c;
    load(c, g, "t1");
    for (int q = 0; q < 15; ++q) {
      std::string s = g.entities[rng() % g.entities.size()];
      std::string t = q == 0 ? s : g.entities[rng() % g.entities.size()];
      std::string type = q % 4 == 0 ? "a" : "";
      uint32_t depth = 1 + rng() % 6;
      uint64_t cap = q % 3 == 0 ? GS_NO_LIMIT : rng() % 8;
      bool want_trunc, got_trunc;
      auto want = ref_paths(g, s, t, type, depth, cap, &want_trunc);
      std::vector<Path> got;
      ASSERT_TRUE(c.paths(s, t, type, depth, cap, &got, &got_trunc, "t1").ok());
      ASSERT_EQ(got, want) << "seed " << seed << " " << s << "->" << t << " depth " << depth << " cap " << cap;
      ASSERT_EQ(got_trunc, want_trunc) << "seed " << seed;
    }
  }
}

TEST(InMemoryPaths, DeepSearchOnADenseGraphStaysBounded) {
  // A complete digraph on 12 nodes has billions of simple paths; asking for
  // ten must not enumerate them.
  Client c;
  const int n = 12;
  for (int i = 0; i < n; ++i) ASSERT_TRUE(c.add(entity(cat("v", i))).ok());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      ASSERT_TRUE(c.add(relation(cat("r", i * n + j), cat("v", i), cat("v", j))).ok());
    }
  std::vector<Path> paths;
  bool truncated = false;
  ASSERT_TRUE(c.paths("v0", "v1", "", 11, 10, &paths, &truncated).ok());
  ASSERT_EQ(paths.size(), 10u);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(paths[0].relations, std::vector<std::string>{"r1"});
  EXPECT_EQ(paths[1].relations.size(), 2u);
}

// ---- subgraph -------------------------------------------------------------

TEST(InMemorySubgraph, ExistingIdsOnceByIdThenInnerRelationsById) {
  Client c;
  for (const char* id : {"c", "a", "b", "d"}) ASSERT_TRUE(c.add(entity(id)).ok());
  ASSERT_TRUE(c.add(relation("r3", "a", "b")).ok());
  ASSERT_TRUE(c.add(relation("r1", "b", "a")).ok());
  ASSERT_TRUE(c.add(relation("r2", "a", "b")).ok());
  ASSERT_TRUE(c.add(relation("r0", "a", "d")).ok());  // d not requested
  ASSERT_TRUE(c.add(relation("r4", "c", "c")).ok());  // self-loop inside
  std::vector<Entity> es;
  std::vector<Relation> rs;
  ASSERT_TRUE(c.subgraph({"c", "b", "nobody", "a", "b"}, &es, &rs).ok());
  std::vector<std::string> eids, rids;
  for (const auto& e : es) eids.push_back(e.id);
  for (const auto& r : rs) rids.push_back(r.id);
  EXPECT_EQ(eids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rids, (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
  ASSERT_TRUE(c.subgraph({}, &es, &rs).ok());
  EXPECT_TRUE(es.empty() && rs.empty());
  ASSERT_TRUE(c.subgraph({"a"}, &es, &rs, "elsewhere").ok());
  EXPECT_TRUE(es.empty());
}

TEST(InMemorySubgraph, EntitySinkStopEndsEverything) {
  Client c;
  for (const char* id : {"a", "b"}) ASSERT_TRUE(c.add(entity(id)).ok());
  ASSERT_TRUE(c.add(relation("r", "a", "b")).ok());
  int calls = 0;
  auto on_entity = +[](void* ctx, const gs_entity*) -> int32_t { return ++*static_cast<int*>(ctx) > 0; };
  auto on_relation = +[](void* ctx, const gs_relation*) -> int32_t {
    *static_cast<int*>(ctx) += 100;
    return 0;
  };
  gs_str ids[] = {str("a"), str("b")};
  char buf[128];
  gs_errbuf err{buf, sizeof buf};
  EXPECT_EQ(c.api()->subgraph(c.raw(), gs_str{"", 0}, ids, 2, on_entity, on_relation, &calls, &err), GS_OK);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace gs_test
