// The conformance suite's fixture: which backend is under test, a fresh store
// per test, and small record builders shared by every test file.
//
// The backend comes from the environment (see README.md):
//   GRAPHSTORE_CONFORMANCE_BACKEND  plugin id or path to a .so (default inmemory)
//   GRAPHSTORE_CONFORMANCE_OPTIONS  options JSON (default {}); "@TMPDIR@" becomes
//                                   a fresh directory per test, "@UNIQUE@" a
//                                   token unique to the test.
// Test names do not depend on the backend (the parameter prints as /0), so a
// CTest registration discovers the same names for every backend.
#ifndef GRAPHSTORE_TESTS_CONFORMANCE_HPP
#define GRAPHSTORE_TESTS_CONFORMANCE_HPP

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

namespace graphstore {
// Readable failure output for the host types (found by GoogleTest via ADL).
void PrintTo(const Entity& e, std::ostream* os);
void PrintTo(const Relation& r, std::ostream* os);
void PrintTo(const Stats& s, std::ostream* os);
void PrintTo(const Status& s, std::ostream* os);
}  // namespace graphstore

namespace graphstore::conformance {

// One backend to test: a plugin id or .so path, and its options template.
// metered: the stores record metrics (Store::enable_metrics), which must
// change no answer; GRAPHSTORE_CONFORMANCE_BACKEND="metered:ID" asks for it.
struct Backend {
  std::string plugin;
  std::string options;
  bool metered = false;
};
void PrintTo(const Backend& backend, std::ostream* os);

// The backend named by the environment; the suite is instantiated with it.
std::vector<Backend> backends_under_test();

// The options template with its placeholders replaced for one test.
std::string expand_options(const std::string& options, const std::filesystem::path& tmpdir, const std::string& unique);

class ConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Opens another store of the backend under test with extra options merged
  // into the configured ones (a JSON object's text).
  Status open_with_extra_options(const std::string& extra_json, std::unique_ptr<Store>* out);
  // Runs fn once with native Tier 2 slots and once with the core's defaults,
  // naming the mode in failures; restores native mode afterwards.
  void for_each_mode(const std::function<void()>& fn);

  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Store> store_;
  std::filesystem::path tmpdir_;
  std::string options_;  // expanded for this test
};

// Instantiates fixture X (an alias of ConformanceTest) with the backend under
// test. Parameters print as their index, keeping names backend-independent.
#define GS_CONFORMANCE_SUITE(X)                         \
  using X = ::graphstore::conformance::ConformanceTest; \
  INSTANTIATE_TEST_SUITE_P(Backend, X, ::testing::ValuesIn(::graphstore::conformance::backends_under_test()))

// ---- Record builders. ----------------------------------------------------

Entity make_entity(std::string id, std::string type = "Person", std::string properties = "{}",
                   std::vector<float> embedding = {});
Relation make_relation(std::string id, std::string source_id, std::string target_id, std::string type = "KNOWS",
                       double weight = 1.0);

// Queries with the defaults of types.hpp for what is not given.
VectorQuery vector_query(std::vector<float> v, uint32_t k = 10, std::string type = "",
                         double min_score = -std::numeric_limits<double>::infinity());
TextQuery text_query(std::string text, TextMethod method = TextMethod::kBm25, uint32_t k = 10);
ScanOptions scan_of_type(std::string type);

// ---- Reading everything back. --------------------------------------------

// Every entity (relation) of the tenant through for_each, sorted by id.
std::vector<Entity> all_entities(Store& store, std::string_view tenant);
std::vector<Relation> all_relations(Store& store, std::string_view tenant);
std::vector<std::string> ids_of(const std::vector<Entity>& entities);
std::vector<std::string> ids_of(const std::vector<Relation>& relations);
// Scans collected.
std::vector<Entity> scan_entities(Store& store, std::string_view tenant, const ScanOptions& options,
                                  Status* status = nullptr);
std::vector<Relation> scan_relations(Store& store, std::string_view tenant, const ScanOptions& options,
                                     Status* status = nullptr);

// Status assertions that print the message on failure.
::testing::AssertionResult IsOk(const Status& s);
::testing::AssertionResult HasCode(const Status& s, Code code);

}  // namespace graphstore::conformance

#define GS_ASSERT_OK(expr) ASSERT_TRUE(::graphstore::conformance::IsOk(expr))
#define GS_EXPECT_OK(expr) EXPECT_TRUE(::graphstore::conformance::IsOk(expr))
#define GS_EXPECT_CODE(expr, code) EXPECT_TRUE(::graphstore::conformance::HasCode((expr), ::graphstore::Code::code))

#endif  // GRAPHSTORE_TESTS_CONFORMANCE_HPP
