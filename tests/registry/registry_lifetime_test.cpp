// Library lifetime: a plugin's shared object stays loaded while any Store
// from it lives, even after the Registry that loaded it is destroyed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "graphstore/registry.hpp"

namespace graphstore {
namespace {

const std::filesystem::path kDir = GRAPHSTORE_TEST_PLUGIN_DIR;

std::string plugin_path(const std::string& name) { return (kDir / ("libgraphstore_" + name + ".so")).string(); }

// True when the process has the file mapped (it is a loaded library).
bool mapped(const std::string& path) {
  std::string canonical = std::filesystem::canonical(path).string();
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);)
    if (line.size() >= canonical.size() &&
        line.compare(line.size() - canonical.size(), canonical.size(), canonical) == 0)
      return true;
  return false;
}

Entity entity(std::string id) {
  Entity e;
  e.id = std::move(id);
  e.entity_type = "T";
  return e;
}

TEST(RegistryLifetime, StoreOutlivesItsRegistry) {
  std::unique_ptr<Store> store;
  {
    Registry registry({kDir});
    Status s = registry.open(plugin_path("old_abi"), "{}", &store);
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_TRUE(store->add_entity("", entity("before")).ok());
  }
  ASSERT_TRUE(mapped(plugin_path("old_abi"))) << "the library was unloaded under a live store";
  ASSERT_TRUE(store->add_entity("", entity("after")).ok());
  Entity got;
  ASSERT_TRUE(store->get_entity("", "before", &got).ok());
  TraverseResult t;
  EXPECT_TRUE(store->traverse("", "after", {}, &t).ok()) << "the core's defaults still run";
  EXPECT_EQ(store->plugin().id, "old_abi");
  store.reset();  // closes the plugin store, then may unload: must not crash
}

TEST(RegistryLifetime, EachStoreKeepsTheLibraryAndTheLastOneReleasesIt) {
  std::unique_ptr<Store> first, second;
  {
    Registry registry({kDir});
    ASSERT_TRUE(registry.open(plugin_path("old_abi"), "{}", &first).ok());
    ASSERT_TRUE(registry.open("old_abi", "{}", &second).ok()) << "by id, from the same search path";
  }
  ASSERT_TRUE(first->add_entity("", entity("x")).ok());
  first.reset();
  ASSERT_TRUE(mapped(plugin_path("old_abi")));
  Entity got;
  EXPECT_TRUE(second->get_entity("", "x", &got).is_not_found()) << "stores are independent";
  ASSERT_TRUE(second->add_entity("", entity("y")).ok());
  second.reset();
}

TEST(RegistryLifetime, StoresOpenedFromManyThreadsShareOneLoad) {
  Registry registry({kDir});
  std::vector<std::unique_ptr<Store>> stores(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < stores.size(); ++i)
    threads.emplace_back([&, i] { EXPECT_TRUE(registry.open(plugin_path("old_abi"), "{}", &stores[i]).ok()); });
  for (auto& t : threads) t.join();
  for (auto& s : stores) {
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->add_entity("", entity("z")).ok());
  }
}

}  // namespace
}  // namespace graphstore
