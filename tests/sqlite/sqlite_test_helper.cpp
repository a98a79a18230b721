// A child process for the multi-process and durability tests.
//
//   sqlite_test_helper add PATH PREFIX K
//     adds entities PREFIX-0 .. PREFIX-(K-1), each in its own transaction;
//     exits 0 when every add succeeded, 1 otherwise (the error on stderr).
//   sqlite_test_helper bulk PATH BATCH
//     bulk-imports batches of BATCH entities b<N>-<i> (properties name the
//     batch) forever, printing "N" on stdout after batch N commits; the test
//     kills it with SIGKILL.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

using graphstore::Entity;
using graphstore::Registry;
using graphstore::Status;
using graphstore::Store;

namespace {

std::unique_ptr<Store> open(const std::string& path) {
  Registry registry({GRAPHSTORE_SQLITE_PLUGIN_DIR});
  std::unique_ptr<Store> store;
  Status s = registry.open("sqlite", "{\"path\": \"" + path + "\", \"timeout\": 60}", &store);
  if (!s.ok()) {
    std::cerr << "open: " << s.to_string() << "\n";
    std::exit(1);
  }
  return store;
}

int add(const std::string& path, const std::string& prefix, int k) {
  auto store = open(path);
  for (int i = 0; i < k; ++i) {
    Entity e;
    e.id = prefix + "-" + std::to_string(i);
    e.entity_type = "Written";
    e.properties = "{\"writer\":\"" + prefix + "\"}";
    if (Status s = store->add_entity("", e); !s.ok()) {
      std::cerr << "add " << e.id << ": " << s.to_string() << "\n";
      return 1;
    }
  }
  return 0;
}

int bulk(const std::string& path, int batch) {
  auto store = open(path);
  for (int n = 0;; ++n) {
    std::vector<Entity> items(static_cast<size_t>(batch));
    for (int i = 0; i < batch; ++i) {
      Entity& e = items[static_cast<size_t>(i)];
      e.id = "b" + std::to_string(n) + "-" + std::to_string(i);
      e.entity_type = "Batch";
      e.properties = "{\"batch\":" + std::to_string(n) + ",\"text\":\"durable words " + std::to_string(i) + "\"}";
    }
    graphstore::BulkResult result;
    Status s = store->add_entities_bulk("", items, &result);
    if (!s.ok() || result.added != items.size()) {
      std::cerr << "bulk " << n << ": " << s.to_string() << "\n";
      return 1;
    }
    std::printf("%d\n", n);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "add") return add(args[1], args[2], std::atoi(args[3].c_str()));
  if (args.size() == 3 && args[0] == "bulk") return bulk(args[1], std::atoi(args[2].c_str()));
  std::cerr << "usage: sqlite_test_helper add PATH PREFIX K | bulk PATH BATCH\n";
  return 2;
}
