// Compatibility across ABI 1.x builds, and plugins that throw: an old plugin
// with a Tier 1 only table works through the core's defaults, a newer-minor
// plugin with larger structs loads, and exceptions become statuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "graphstore/registry.hpp"

namespace graphstore {
namespace {

const std::filesystem::path kDir = GRAPHSTORE_TEST_PLUGIN_DIR;

std::string plugin_path(const std::string& name) { return (kDir / ("libgraphstore_" + name + ".so")).string(); }

Entity entity(std::string id, std::string type, std::string props = "{}", std::vector<float> emb = {}) {
  Entity e;
  e.id = std::move(id);
  e.entity_type = std::move(type);
  e.properties = std::move(props);
  e.embedding = std::move(emb);
  return e;
}

Relation relation(std::string id, std::string from, std::string to) {
  Relation r;
  r.id = std::move(id);
  r.relation_type = "LINK";
  r.source_id = std::move(from);
  r.target_id = std::move(to);
  return r;
}

std::unique_ptr<Store> open_ok(Registry& registry, const std::string& name) {
  std::unique_ptr<Store> store;
  Status s = registry.open(plugin_path(name), "{}", &store);
  EXPECT_TRUE(s.ok()) << s.to_string();
  return store;
}

bool has_capability(const PluginInfo& info, const std::string& cap) {
  return std::find(info.capabilities.begin(), info.capabilities.end(), cap) != info.capabilities.end();
}

TEST(RegistryCompat, OldTier1OnlyPluginRunsEveryTier2CallThroughTheDefaults) {
  Registry registry({kDir});
  auto store = open_ok(registry, "old_abi");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->plugin().abi_major, 1u);
  EXPECT_EQ(store->plugin().abi_minor, 0u);
  for (const char* slot :
       {"traverse", "find_paths", "subgraph", "scan_entities", "scan_relations", "vector_search", "text_search",
        "add_entities_bulk", "add_relations_bulk", "get_stats", "clear", "delete_by_source"})
    EXPECT_FALSE(has_capability(store->plugin(), slot)) << slot << " lies beyond the table's struct_size";

  // Every Tier 2 call below would hit a slot that fails loudly if the host
  // read past struct_size.
  std::vector<Entity> entities{entity("a", "P", R"({"t":"graph store"})", {1, 0}),
                               entity("b", "P", R"({"t":"graph"})", {0, 1}), entity("c", "Q", "{}", {1, 1})};
  BulkResult bulk;
  ASSERT_TRUE(store->add_entities_bulk("", entities, &bulk).ok());
  EXPECT_EQ(bulk.added, 3u);
  std::vector<Relation> relations{relation("ab", "a", "b"), relation("bc", "b", "c"), relation("bad", "a", "zz")};
  Status s = store->add_relations_bulk("", relations, &bulk);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(bulk.added, 2u);
  ASSERT_EQ(bulk.skipped.size(), 1u);
  EXPECT_EQ(bulk.skipped[0].status.code(), Code::kNotFound);

  TraverseResult t;
  ASSERT_TRUE(store->traverse("", "a", {}, &t).ok());
  ASSERT_EQ(t.hits.size(), 2u);
  EXPECT_EQ(t.hits[1].entity.id, "c");
  EXPECT_EQ(t.hits[1].via.id, "bc");
  PathResult p;
  ASSERT_TRUE(store->find_paths("", "a", "c", {}, &p).ok());
  ASSERT_EQ(p.paths.size(), 1u);
  EXPECT_EQ(p.paths[0].relations.size(), 2u);
  Subgraph g;
  ASSERT_TRUE(store->subgraph("", {"a", "b"}, &g).ok());
  EXPECT_EQ(g.relations.size(), 1u);
  std::vector<Entity> scanned;
  ScanOptions only_p;
  only_p.type = "P";
  ASSERT_TRUE(store->get_all_entities("", only_p, &scanned).ok());
  EXPECT_EQ(scanned.size(), 2u);
  int relations_seen = 0;
  ASSERT_TRUE(store->scan_relations("", {}, [&](const Relation&) { return ++relations_seen > 0; }).ok());
  EXPECT_EQ(relations_seen, 2);
  std::vector<ScoredEntity> hits;
  VectorQuery near_a;
  near_a.vector = {1, 0};
  near_a.k = 1;
  ASSERT_TRUE(store->vector_search("", near_a, &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "a");
  TextQuery store_word;
  store_word.text = "store";
  ASSERT_TRUE(store->text_search("", store_word, &hits).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "a");
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entity_count, 3u);
  EXPECT_EQ(stats.relation_count, 2u);

  // The removals (ABI 1.3) lie past its table too: the defaults remove.
  Entity sourced = entity("d", "P", "{}", {0, 0});
  sourced.source = "doc";
  ASSERT_TRUE(store->add_entity("", sourced).ok());
  ASSERT_TRUE(store->add_relation("", relation("da", "d", "a")).ok());
  Removed removed;
  ASSERT_TRUE(store->delete_by_source("", "doc", &removed).ok());
  EXPECT_EQ(removed, (Removed{1, 1}));
  ASSERT_TRUE(store->clear("", ClearScope::kTenant, &removed).ok());
  EXPECT_EQ(removed, (Removed{3, 2}));
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats, Stats{});
}

TEST(RegistryCompat, NewerMinorPluginWithLargerStructsLoadsAndWorks) {
  Registry registry({kDir});
  auto store = open_ok(registry, "newer_minor");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->plugin().abi_major, 1u);
  EXPECT_EQ(store->plugin().abi_minor, 7u);
  ASSERT_TRUE(store->add_entity("t", entity("a", "P")).ok());
  Entity got;
  ASSERT_TRUE(store->get_entity("t", "a", &got).ok());
  EXPECT_EQ(got.tenant_id, "t");
}

TEST(RegistryCompat, ExceptionsInsideAPluginBecomeStatusesWithTheirMessage) {
  Registry registry({kDir});
  auto store = open_ok(registry, "throwing");
  ASSERT_NE(store, nullptr);
  struct Case {
    const char* id;
    Code code;
    const char* says;
  };
  for (const Case& c : {Case{"throw-runtime", Code::kInternal, "disk on fire"},
                        Case{"throw-alloc", Code::kResourceExhausted, "out of memory"},
                        Case{"throw-sdk", Code::kUnavailable, "server went away"},
                        Case{"throw-int", Code::kInternal, "unknown exception"}}) {
    Status s = store->add_entity("", entity(c.id, "T"));
    EXPECT_EQ(s.code(), c.code) << c.id << ": " << s.to_string();
    EXPECT_NE(s.message().find(c.says), std::string::npos) << c.id << ": " << s.to_string();
  }
  // The store is still usable afterwards, and nothing half-written remains.
  ASSERT_TRUE(store->add_entity("", entity("fine", "T")).ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(store
                  ->for_each_entity("",
                                    [&](const Entity& e) {
                                      ids.push_back(e.id);
                                      return true;
                                    })
                  .ok());
  EXPECT_EQ(ids, std::vector<std::string>{"fine"});

  Stats stats;
  Status s = store->get_stats("", &stats);
  EXPECT_EQ(s.code(), Code::kInternal) << s.to_string();
  EXPECT_NE(s.message().find("stats exploded"), std::string::npos) << s.to_string();
  store->set_force_defaults(true);
  ASSERT_TRUE(store->get_stats("", &stats).ok()) << "the default does not call the throwing slot";
  EXPECT_EQ(stats.entity_count, 1u);
}

}  // namespace
}  // namespace graphstore
