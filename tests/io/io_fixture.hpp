// Shared helpers of the io tests: a temporary directory, stores of the
// build's plugins, files written plain or gzip-compressed, and a sample
// graph that exercises every field.
#ifndef GRAPHSTORE_TESTS_IO_FIXTURE_HPP
#define GRAPHSTORE_TESTS_IO_FIXTURE_HPP

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

namespace graphstore::testing {

namespace fs = std::filesystem;

class IoTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A fresh store of the plugin ("inmemory", "sqlite"); sqlite lives in a
  // file of the temp dir.
  std::unique_ptr<Store> open(const std::string& plugin);
  static bool have_sqlite();

  fs::path path(const std::string& name) const { return dir_ / name; }
  void write_file(const std::string& name, const std::string& text) const;
  void write_gzip(const std::string& name, const std::string& text) const;
  std::string read_file(const std::string& name) const;
  std::vector<std::string> read_lines(const std::string& name) const;

  fs::path dir_;
  Registry registry_;
  int sqlite_files_ = 0;
};

// A graph over the global namespace and two tenants: unicode ids, nested
// properties with odd spacing, embeddings, absent/empty/set sources,
// timestamps with and without microseconds, weights, parallel relations.
void fill_sample(Store& store, size_t scale = 1);

// Every entity and relation of every tenant, by tenant then id.
StoreSummary summary(Store& store);

// Entities and relations of one tenant.
uint64_t count_entities(Store& store, const std::string& tenant = "");
uint64_t count_relations(Store& store, const std::string& tenant = "");

// n JSONL entity lines "e0".."e(n-1)" of type T.
std::string entity_lines(size_t n, size_t first = 0);

}  // namespace graphstore::testing

#endif  // GRAPHSTORE_TESTS_IO_FIXTURE_HPP
