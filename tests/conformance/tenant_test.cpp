// Tenant isolation through every read and write path: the global namespace
// and two tenants hold the same ids with different content (and embeddings
// of different dimensions); each call sees only its own tenant.
#include <algorithm>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Tenants);

using Strings = std::vector<std::string>;
const char* const kTenants[] = {"", "alpha", "beta"};

struct Content {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
};

// The records of one tenant; ids repeat across tenants, content does not.
Content content(const std::string& t) {
  std::string tag = t.empty() ? "global" : t;
  auto ent = [&](const std::string& id, std::vector<float> emb) {
    Entity e = make_entity(id, "Type_" + tag, R"({"who":")" + tag + " " + id + R"(","text":")" + tag + R"( words"})",
                           std::move(emb));
    e.created_at = e.updated_at = 100;
    e.tenant_id = t;
    return e;
  };
  auto rel = [&](const std::string& id, const std::string& from, const std::string& to) {
    Relation r = make_relation(id, from, to, "Rel_" + tag);
    r.created_at = r.updated_at = 200;
    r.tenant_id = t;
    return r;
  };
  if (t.empty())
    return {{ent("x", {1, 0}), ent("y", {0, 1}), ent("z", {1, 1})}, {rel("r1", "x", "y"), rel("r2", "y", "z")}};
  if (t == "alpha")
    return {{ent("x", {1, 0, 0}), ent("y", {0, 1, 0}), ent("z", {0, 0, 1}), ent("only-alpha", {1, 1, 1})},
            {rel("r1", "y", "x"), rel("r2", "z", "y")}};
  return {{ent("x", {1, 0, 0, 0}), ent("y", {})}, {rel("r1", "x", "x")}};
}

void load_tenants(Store& s) {
  for (const char* t : kTenants) {
    Content c = content(t);
    for (const auto& e : c.entities) ASSERT_TRUE(IsOk(s.add_entity(t, e)));
    for (const auto& r : c.relations) ASSERT_TRUE(IsOk(s.add_relation(t, r)));
  }
}

const Entity* find_entity(const Content& c, const std::string& id) {
  for (const auto& e : c.entities)
    if (e.id == id) return &e;
  return nullptr;
}
const Relation* find_relation(const Content& c, const std::string& id) {
  for (const auto& r : c.relations)
    if (r.id == id) return &r;
  return nullptr;
}

TEST_P(Tenants, GetSeesOnlyItsTenant) {
  load_tenants(store());
  for (const char* t : kTenants) {
    SCOPED_TRACE(std::string("tenant '") + t + "'");
    Content c = content(t);
    for (const char* id : {"x", "y", "z", "only-alpha"}) {
      Entity got;
      Status s = store().get_entity(t, id, &got);
      if (const Entity* want = find_entity(c, id)) {
        GS_EXPECT_OK(s);
        EXPECT_EQ(got, *want);
      } else {
        GS_EXPECT_CODE(s, kNotFound);
      }
    }
    for (const char* id : {"r1", "r2"}) {
      Relation got;
      Status s = store().get_relation(t, id, &got);
      if (const Relation* want = find_relation(c, id)) {
        GS_EXPECT_OK(s);
        EXPECT_EQ(got, *want);
      } else {
        GS_EXPECT_CODE(s, kNotFound);
      }
    }
  }
}

TEST_P(Tenants, ForEachScansAndStatsSeeOnlyTheirTenant) {
  load_tenants(store());
  for_each_mode([&] {
    for (const char* t : kTenants) {
      SCOPED_TRACE(std::string("tenant '") + t + "'");
      Content c = content(t);
      auto by_id = [](auto v) {
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        return v;
      };
      EXPECT_EQ(all_entities(store(), t), by_id(c.entities));
      EXPECT_EQ(all_relations(store(), t), by_id(c.relations));
      EXPECT_EQ(scan_entities(store(), t, {}), by_id(c.entities));
      EXPECT_EQ(scan_relations(store(), t, {}), by_id(c.relations));
      Stats stats;
      GS_ASSERT_OK(store().get_stats(t, &stats));
      EXPECT_EQ(stats.entity_count, c.entities.size());
      EXPECT_EQ(stats.relation_count, c.relations.size());
      std::string tag = *t ? t : "global";
      EXPECT_EQ(stats.entities_by_type, (std::map<std::string, uint64_t>{{"Type_" + tag, c.entities.size()}}));
    }
  });
}

TEST_P(Tenants, NeighboursTraversalPathsAndSubgraphsStayInTheirTenant) {
  load_tenants(store());
  std::vector<Neighbor> n;
  GS_ASSERT_OK(store().get_neighbors("", "x", Direction::kBoth, "", &n));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].entity, *find_entity(content(""), "y"));
  GS_ASSERT_OK(store().get_neighbors("alpha", "x", Direction::kBoth, "", &n));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].relation, *find_relation(content("alpha"), "r1"));
  GS_ASSERT_OK(store().get_neighbors("beta", "x", Direction::kBoth, "", &n));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].entity, *find_entity(content("beta"), "x"));
  GS_EXPECT_CODE(store().get_neighbors("beta", "z", Direction::kBoth, "", &n), kNotFound);

  for_each_mode([&] {
    auto reach = [&](const char* t) {
      TraverseResult r;
      EXPECT_TRUE(IsOk(store().traverse(t, "x", TraverseOptions{Direction::kBoth, "", 5, kNoLimit}, &r)));
      Strings ids;
      for (const auto& h : r.hits) {
        ids.push_back(h.entity.id + "/" + h.via.id);
        EXPECT_EQ(h.entity.tenant_id, t);
        EXPECT_EQ(h.via.tenant_id, t);
      }
      return ids;
    };
    EXPECT_EQ(reach(""), (Strings{"y/r1", "z/r2"}));
    EXPECT_EQ(reach("alpha"), (Strings{"y/r1", "z/r2"}));
    EXPECT_TRUE(reach("beta").empty());

    auto path_count = [&](const char* t, const char* from, const char* to) {
      PathResult r;
      Status s = store().find_paths(t, from, to, {}, &r);
      return s.ok() ? static_cast<int>(r.paths.size()) : -static_cast<int>(s.code());
    };
    EXPECT_EQ(path_count("", "x", "z"), 1);
    EXPECT_EQ(path_count("alpha", "x", "z"), 0) << "alpha's relations point the other way";
    EXPECT_EQ(path_count("alpha", "z", "x"), 1);
    EXPECT_EQ(path_count("beta", "x", "z"), -static_cast<int>(Code::kNotFound));
    EXPECT_EQ(path_count("", "only-alpha", "x"), -static_cast<int>(Code::kNotFound));

    for (const char* t : kTenants) {
      Subgraph g;
      GS_ASSERT_OK(store().subgraph(t, {"x", "y", "z", "only-alpha"}, &g));
      Content c = content(t);
      EXPECT_EQ(g.entities.size(), c.entities.size()) << t;
      EXPECT_EQ(g.relations.size(), c.relations.size()) << t;
      for (const auto& e : g.entities) EXPECT_EQ(e, *find_entity(c, e.id));
      for (const auto& r : g.relations) EXPECT_EQ(r, *find_relation(c, r.id));
    }
  });
}

TEST_P(Tenants, SearchesSeeOnlyTheirTenantAndItsDimension) {
  load_tenants(store());
  for_each_mode([&] {
    std::vector<ScoredEntity> out;
    GS_ASSERT_OK(store().vector_search("", vector_query({1, 0}), &out));
    EXPECT_EQ(out.size(), 3u);
    GS_ASSERT_OK(store().vector_search("alpha", vector_query({1, 0, 0}), &out));
    EXPECT_EQ(out.size(), 4u);
    GS_ASSERT_OK(store().vector_search("beta", vector_query({1, 0, 0, 0}), &out));
    ASSERT_EQ(out.size(), 1u) << "beta's y has no embedding";
    EXPECT_EQ(out[0].entity, *find_entity(content("beta"), "x"));
    GS_EXPECT_CODE(store().vector_search("", vector_query({1, 0, 0}), &out), kInvalidArgument);
    GS_EXPECT_CODE(store().vector_search("beta", vector_query({1, 0}), &out), kInvalidArgument);

    for (const char* t : kTenants) {
      for (const char* word : {"global", "alpha", "beta"}) {
        GS_ASSERT_OK(store().text_search(t, text_query(word, TextMethod::kBm25, 100), &out));
        bool own = std::string(word) == (*t ? t : "global");
        EXPECT_EQ(out.size(), own ? content(t).entities.size() : 0u) << "tenant '" << t << "' query " << word;
        for (const auto& h : out) EXPECT_EQ(h.entity.tenant_id, t);
      }
    }
  });
}

TEST_P(Tenants, ListTenantsNamesTheNonGlobalOnes) {
  load_tenants(store());
  Strings tenants;
  GS_ASSERT_OK(store().list_tenants(&tenants));
  EXPECT_EQ(tenants, (Strings{"alpha", "beta"}));
}

TEST_P(Tenants, WritesChangeOnlyTheirTenant) {
  load_tenants(store());
  GS_ASSERT_OK(store().delete_entity("alpha", "x"));
  Entity y = make_entity("y", "Changed", R"({"beta":"updated"})");
  GS_ASSERT_OK(store().update_entity("beta", y));
  GS_ASSERT_OK(store().delete_relation("", "r2"));
  GS_ASSERT_OK(store().add_entity("beta", make_entity("z", "New")));

  EXPECT_EQ(ids_of(all_relations(store(), "alpha")), Strings{"r2"}) << "r1 touched alpha's x";
  EXPECT_EQ(ids_of(all_relations(store(), "")), Strings{"r1"});
  EXPECT_EQ(ids_of(all_relations(store(), "beta")), Strings{"r1"});
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "x", &got));
  EXPECT_EQ(got, *find_entity(content(""), "x"));
  GS_ASSERT_OK(store().get_entity("", "y", &got));
  EXPECT_EQ(got, *find_entity(content(""), "y"));
  GS_ASSERT_OK(store().get_entity("alpha", "z", &got));
  EXPECT_EQ(got, *find_entity(content("alpha"), "z"));
  GS_ASSERT_OK(store().get_entity("beta", "y", &got));
  EXPECT_EQ(got.entity_type, "Changed");
  GS_EXPECT_CODE(store().add_entity("", make_entity("z")), kAlreadyExists);
  GS_EXPECT_CODE(store().add_relation("beta", make_relation("r9", "x", "only-alpha")), kNotFound);

  BulkResult bulk;
  std::vector<Entity> items{make_entity("x"), make_entity("only-alpha")};
  GS_ASSERT_OK(store().add_entities_bulk("beta", items, &bulk));
  EXPECT_EQ(bulk.added, 1u);
  ASSERT_EQ(bulk.skipped.size(), 1u);
  EXPECT_EQ(bulk.skipped[0].index, 0u);
  GS_ASSERT_OK(store().get_entity("alpha", "only-alpha", &got));
  EXPECT_EQ(got, *find_entity(content("alpha"), "only-alpha"));
}

TEST_P(Tenants, EmptiedTenantLeavesTheList) {
  GS_ASSERT_OK(store().add_entity("gone", make_entity("a")));
  GS_ASSERT_OK(store().add_entity("kept", make_entity("a")));
  GS_ASSERT_OK(store().delete_entity("gone", "a"));
  Strings tenants;
  GS_ASSERT_OK(store().list_tenants(&tenants));
  EXPECT_EQ(tenants, Strings{"kept"});
}

}  // namespace
}  // namespace graphstore::conformance
