// The smallest complete graphstore host: opens the store a config file
// names, writes and reads a few records, then swaps to the store of another
// environment through StoreHandle, copying the data over, and reads again.
//
//   host_example CONFIG_FILE FIRST_ENV SECOND_ENV
//
// Exits 0 when every step worked; prints each failure's Status otherwise.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/config.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/store_handle.hpp"

namespace {

using graphstore::Status;

bool report(const char* step, const Status& s) {
  if (s.ok()) return true;
  std::fprintf(stderr, "%s: %s\n", step, s.to_string().c_str());
  return false;
}

// Opens the store of one environment of the config file.
Status open_environment(graphstore::Registry& registry, const std::string& file, const std::string& env,
                        std::unique_ptr<graphstore::Store>* out) {
  graphstore::BackendConfig config;
  if (Status s = graphstore::load_backend_config(file, env, &config); !s.ok()) return s;
  return graphstore::open_backend(registry, config, out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CONFIG_FILE FIRST_ENV SECOND_ENV\n", argv[0]);
    return 2;
  }
  const std::string file = argv[1];
  graphstore::Registry registry({GRAPHSTORE_PLUGIN_DIR});

  std::unique_ptr<graphstore::Store> first;
  if (!report("open first", open_environment(registry, file, argv[2], &first))) return 1;
  graphstore::StoreHandle handle(std::move(first));

  graphstore::Entity ada;
  ada.id = "ada";
  ada.entity_type = "Person";
  ada.properties = R"({"name": "Ada Lovelace"})";
  graphstore::Entity engine = ada;
  engine.id = "engine";
  engine.entity_type = "Machine";
  engine.properties = R"({"name": "Analytical Engine"})";
  graphstore::Relation wrote;
  wrote.id = "ada-engine";
  wrote.relation_type = "PROGRAMMED";
  wrote.source_id = "ada";
  wrote.target_id = "engine";
  if (!report("add ada", handle.add_entity("", ada)) || !report("add engine", handle.add_entity("", engine)) ||
      !report("add relation", handle.add_relation("", wrote)))
    return 1;

  graphstore::Entity got;
  if (!report("get ada", handle.with_store([&](graphstore::Store& s) { return s.get_entity("", "ada", &got); })))
    return 1;
  std::printf("%s holds %s (%s)\n", handle.plugin().id.c_str(), got.id.c_str(), got.properties.c_str());

  std::unique_ptr<graphstore::Store> second;
  if (!report("open second", open_environment(registry, file, argv[3], &second))) return 1;
  graphstore::SwapReport swapped;
  if (!report("swap", handle.swap(std::move(second), graphstore::SwapOptions{.migrate = true}, &swapped))) return 1;
  std::printf("swapped to %s: copied %llu entities and %llu relations\n", handle.plugin().id.c_str(),
              static_cast<unsigned long long>(swapped.copied_entities),
              static_cast<unsigned long long>(swapped.copied_relations));

  std::vector<graphstore::Neighbor> neighbors;
  if (!report("neighbours", handle.with_store([&](graphstore::Store& s) {
        return s.get_neighbors("", "ada", graphstore::Direction::kOut, "", &neighbors);
      })))
    return 1;
  if (neighbors.size() != 1 || neighbors[0].entity.id != "engine") {
    std::fprintf(stderr, "after the swap: expected ada -> engine, found %zu neighbours\n", neighbors.size());
    return 1;
  }
  std::printf("%s holds ada -[%s]-> %s\n", handle.plugin().id.c_str(), neighbors[0].relation.relation_type.c_str(),
              neighbors[0].entity.id.c_str());
  return 0;
}
