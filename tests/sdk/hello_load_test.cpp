// Loads a hello plugin built out of tree (examples/plugin) through
// graphstore::Registry by explicit path and uses it. The path comes from
// GRAPHSTORE_HELLO_PLUGIN, set by the CTest registration once the install
// test has built the plugin against the installed SDK.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "graphstore/registry.hpp"

namespace graphstore {
namespace {

std::string plugin_path() {
  const char* p = std::getenv("GRAPHSTORE_HELLO_PLUGIN");
  return p ? p : "";
}

class HelloPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(plugin_path().empty()) << "set GRAPHSTORE_HELLO_PLUGIN to the built libgraphstore_hello.so";
    ASSERT_TRUE(std::filesystem::exists(plugin_path())) << plugin_path();
    // No search path: only the explicit path can find it.
    registry_ = std::make_unique<Registry>();
    Status s = registry_->open(plugin_path(), "{}", &store_);
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Store> store_;
};

Entity entity(std::string id, std::string props = "{}") {
  Entity e;
  e.id = std::move(id);
  e.entity_type = "Greeting";
  e.properties = std::move(props);
  return e;
}

TEST_F(HelloPlugin, DescribesItself) {
  const PluginInfo& info = store_->plugin();
  EXPECT_EQ(info.id, "hello");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.abi_major, static_cast<uint32_t>(GS_ABI_MAJOR));
  EXPECT_FALSE(info.thread_safe);
  EXPECT_EQ(std::filesystem::canonical(info.path), std::filesystem::canonical(plugin_path()));
}

TEST_F(HelloPlugin, StoresAndReadsBack) {
  ASSERT_TRUE(store_->add_entity("", entity("hi", R"({"text":"hello world"})")).ok());
  ASSERT_TRUE(store_->add_entity("", entity("bye", R"({"text":"goodbye world"})")).ok());
  Relation r;
  r.id = "reply";
  r.relation_type = "ANSWERS";
  r.source_id = "bye";
  r.target_id = "hi";
  ASSERT_TRUE(store_->add_relation("", r).ok());
  Entity got;
  ASSERT_TRUE(store_->get_entity("", "hi", &got).ok());
  EXPECT_EQ(got.properties, R"({"text":"hello world"})");
  EXPECT_TRUE(store_->add_entity("", entity("hi")).is_already_exists());
  EXPECT_TRUE(store_->get_entity("other", "hi", &got).is_not_found());

  TraverseResult t;
  ASSERT_TRUE(store_->traverse("", "bye", {}, &t).ok());
  ASSERT_EQ(t.hits.size(), 1u);
  EXPECT_EQ(t.hits[0].entity.id, "hi");
  std::vector<ScoredEntity> found;
  TextQuery query;
  query.text = "hello";
  ASSERT_TRUE(store_->text_search("", query, &found).ok());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity.id, "hi");

  ASSERT_TRUE(store_->delete_entity("", "hi").ok());
  Relation gone;
  EXPECT_TRUE(store_->get_relation("", "reply", &gone).is_not_found());
}

TEST_F(HelloPlugin, RejectsUnknownOptionsByName) {
  std::unique_ptr<Store> other;
  Status s = registry_->open(plugin_path(), R"({"colour":"blue"})", &other);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("colour"), std::string::npos) << s.to_string();
}

}  // namespace
}  // namespace graphstore
